package dev.basilica.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Puts an {@link OutputTree} on disk as {@code out/<env>/}, all or nothing: the new tree is assembled
 * in a hidden sibling directory (unchanged files hard-linked from the old tree, so they keep their
 * inode and time stamps) and swapped in with two renames. A failed run leaves the old tree as it was;
 * a run that changes nothing writes nothing.
 *
 * <p>Some things under {@code out/<env>/} are not ours: reports and Terraform's working files and
 * state. They are never compared, never listed as stale, and are carried into the new tree.
 */
public final class TreeWriter {

    /** What a write or check found. */
    public record Diff(List<String> added, List<String> changed, List<String> removed) {
        public boolean isEmpty() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
        }

        public int count() {
            return added.size() + changed.size() + removed.size();
        }
    }

    private TreeWriter() {}

    /** Paths under {@code out/<env>/} that belong to the operator or to tools, not to the generator. */
    public static boolean isPreserved(String relative) {
        String[] parts = relative.split("/");
        String name = parts[parts.length - 1];
        return parts[0].equals("reports")
                || Arrays.asList(parts).contains(".terraform")
                || name.equals(".terraform.lock.hcl")
                || name.startsWith("terraform.tfstate")
                || name.endsWith(".tfplan")
                || relative.equals("known_hosts");
    }

    /**
     * The files that would be on disk after writing {@code generated} with {@code inScope} limiting which
     * generated paths are updated: out-of-scope paths keep their current content. Includes the manifest.
     */
    public static SortedMap<String, byte[]> effectiveTree(Path target, OutputTree generated, Predicate<OutputTree.File> inScope,
                                                          ManifestInfo manifest) throws IOException {
        SortedMap<String, byte[]> result = new TreeMap<>();
        List<OutputTree.File> outOfScope = new ArrayList<>();
        for (OutputTree.File f : generated.files()) {
            if (inScope.test(f)) result.put(f.path(), f.content());
            else outOfScope.add(f);
        }
        // Files outside the scope keep what is on disk (read only those, and only when there are any).
        for (OutputTree.File f : outOfScope) {
            Path p = target.resolve(f.path());
            if (Files.isRegularFile(p)) result.put(f.path(), Files.readAllBytes(p));
        }
        result.put(Manifest.PATH, Manifest.render(manifest.version(), manifest.modelPath(), manifest.modelSha256(), result));
        return result;
    }

    /** Version and model facts the manifest records. */
    public record ManifestInfo(String version, String modelPath, String modelSha256) {}

    /**
     * Compares the desired tree with what is on disk, byte for byte. Only the listing is held in memory:
     * a file whose size differs is changed without being read, the others are read (on every core) and
     * compared one at a time, so a fleet-sized tree is never loaded twice.
     */
    public static Diff diff(Path target, SortedMap<String, byte[]> desired) throws IOException {
        Map<String, Long> existing = listTree(target);
        List<String> added = new ArrayList<>();
        List<String> toRead = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        desired.forEach((path, bytes) -> {
            Long size = existing.get(path);
            if (size == null) added.add(path);
            else if (size != bytes.length) changed.add(path);
            else toRead.add(path);
        });
        List<String> differing = toRead.parallelStream().filter(path -> {
            try {
                return !Arrays.equals(Files.readAllBytes(target.resolve(path)), desired.get(path));
            } catch (NoSuchFileException e) {
                return true; // removed since the listing: it differs
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
        changed.addAll(differing);
        changed.sort(null);
        List<String> removed = new ArrayList<>();
        existing.keySet().stream().filter(p -> !desired.containsKey(p)).sorted().forEach(removed::add);
        return new Diff(added, changed, removed);
    }

    /** Writes {@code desired} to {@code target} atomically; returns what changed (nothing written if empty). */
    public static Diff write(Path target, SortedMap<String, byte[]> desired) throws IOException {
        recoverInterruptedSwap(target);
        Diff diff = diff(target, desired);
        if (diff.isEmpty()) return diff;

        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        long pid = ProcessHandle.current().pid();
        Path staging = parent.resolve("." + target.getFileName() + ".new-" + pid);
        Path old = parent.resolve("." + target.getFileName() + ".old-" + pid);
        deleteRecursively(staging);
        try {
            Set<String> fresh = new HashSet<>(diff.added());
            fresh.addAll(diff.changed());
            // Directories first, parents before children, then the files on every core: on a fleet-sized
            // tree the time goes into system calls, which two threads overlap well.
            Set<Path> dirs = new TreeSet<>();
            for (String path : desired.keySet()) dirs.add(staging.resolve(path).getParent());
            for (Path d : dirs) Files.createDirectories(d);
            List<Map.Entry<String, byte[]>> entries = new ArrayList<>(desired.entrySet());
            int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
            List<CompletableFuture<Void>> parts = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int first = w;
                parts.add(CompletableFuture.runAsync(() -> {
                    for (int i = first; i < entries.size(); i += workers) {
                        var e = entries.get(i);
                        Path dest = staging.resolve(e.getKey());
                        try {
                            if (!fresh.contains(e.getKey())) linkOrCopy(target.resolve(e.getKey()), dest);
                            else Files.write(dest, e.getValue());
                        } catch (IOException x) {
                            throw new UncheckedIOException(x);
                        }
                    }
                }));
            }
            // Wait for every part, failed or not, before the staging directory can be cleaned up.
            CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).handle((ok, x) -> null).join();
            IOException failure = null;
            for (CompletableFuture<Void> part : parts) {
                try {
                    part.join();
                } catch (CompletionException x) {
                    if (x.getCause() instanceof UncheckedIOException io) {
                        if (failure == null) failure = io.getCause();
                    } else if (x.getCause() instanceof RuntimeException re) {
                        throw re;
                    } else {
                        throw x;
                    }
                }
            }
            if (failure != null) throw failure;
            boolean hadTarget = Files.isDirectory(target);
            if (hadTarget) Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (hadTarget) Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                throw e;
            }
            if (hadTarget) {
                carryPreserved(old, target);
                deleteRecursively(old);
            }
        } finally {
            deleteRecursively(staging);
        }
        return diff;
    }

    /** A run killed between the two renames leaves only the old tree beside a missing target: put it back. */
    private static void recoverInterruptedSwap(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent) || Files.exists(target)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "." + target.getFileName() + ".old-*")) {
            for (Path p : ds) {
                Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
        }
    }

    private static void linkOrCopy(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | IOException e) {
            if (e instanceof FileAlreadyExistsException) throw (IOException) e;
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** Moves reports, Terraform state and the like from the old tree into the new one. */
    private static void carryPreserved(Path old, Path target) throws IOException {
        List<Path> toMove = new ArrayList<>();
        Files.walkFileTree(old, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(old) && isPreserved(rel(old, dir))) {
                    toMove.add(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (isPreserved(rel(old, file))) toMove.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        for (Path p : toMove) {
            Path dest = target.resolve(old.relativize(p));
            Files.createDirectories(dest.getParent());
            if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) Files.move(p, dest, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Every generated file under {@code root}, skipping preserved paths and hidden working directories. */
    public static SortedMap<String, byte[]> readTree(Path root) throws IOException {
        SortedMap<String, byte[]> out = new TreeMap<>();
        for (String r : listTree(root).keySet()) out.put(r, Files.readAllBytes(root.resolve(r)));
        return out;
    }

    /** Size of every generated file under {@code root} by relative path, skipping preserved paths. */
    static Map<String, Long> listTree(Path root) throws IOException {
        Map<String, Long> out = new HashMap<>();
        if (!Files.isDirectory(root)) return out;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(root) && isPreserved(rel(root, dir)) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String r = rel(root, file);
                if (!isPreserved(r) && attrs.isRegularFile()) out.put(r, attrs.size());
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    private static String rel(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(x -> {
                try {
                    Files.delete(x);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
