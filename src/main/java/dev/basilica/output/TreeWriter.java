package dev.basilica.output;

import dev.basilica.model.DisplayText;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Puts an {@link OutputTree} on disk as {@code out/<env>/}, all or nothing: the new tree is assembled
 * in a hidden sibling directory ({@code .<name>.new-<pid>}; unchanged files hard-linked from the old
 * tree, so they keep their inode and time stamps) and swapped in with two renames. A failed run leaves
 * the old tree as it was; a run that changes nothing writes nothing.
 *
 * <p>Ownership: the previous {@code MANIFEST.json} lists the files the generator wrote; only those are
 * ever replaced or removed. Anything else in the directory (an operator's notes, Terraform's
 * {@code .terraform/} cache) is foreign: hard-linked into the new tree unchanged, never listed as stale.
 * A directory that holds files but no manifest of ours is refused, as is a generated path already taken
 * by a foreign file.
 *
 * <p>Interruption: a run killed at any instant leaves either the old tree or the new one in place, plus
 * debris that the next run (under the {@link OutputLock}) resolves deterministically before it starts:
 * staging trees are deleted; a previous tree beside a missing target is put back (there can be one
 * only, since runs are serialised); a previous tree beside a present target is deleted after any file
 * in it that exists nowhere else is rescued into the rescue directory (never "pick one of several").
 */
public final class TreeWriter {

    /**
     * What a write or check found: generated files added, changed and removed; {@code foreign} files
     * left alone; {@code conflicts}, generated paths where a foreign file stands.
     */
    public record Diff(List<String> added, List<String> changed, List<String> removed, List<String> foreign,
                       List<String> conflicts) {
        public boolean isEmpty() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty() && conflicts.isEmpty();
        }

        public int count() {
            return added.size() + changed.size() + removed.size() + conflicts.size();
        }
    }

    /** Where files rescued from a killed run's leftovers go, and who hears about it. */
    public record Options(Path rescueDir, Consumer<String> notes) {
        /** Rescued files beside the target, in {@code .<name>.rescued/}; notes dropped. */
        public static Options beside(Path target) {
            Path abs = target.toAbsolutePath().normalize();
            return new Options(abs.getParent().resolve("." + abs.getFileName() + ".rescued"), n -> { });
        }
    }

    private static final String NEW = ".new-";
    private static final String OLD = ".old-";

    private TreeWriter() {}

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
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) result.put(f.path(), Files.readAllBytes(p));
        }
        result.put(Manifest.PATH, Manifest.render(manifest.version(), manifest.environment(), manifest.modelPath(),
                manifest.modelSha256(), result));
        return result;
    }

    /** Version, environment and model facts the manifest records. */
    public record ManifestInfo(String version, String environment, String modelPath, String modelSha256) {}

    /**
     * Compares the desired tree with what is on disk, byte for byte. Only the listing is held in memory:
     * a file whose size differs is changed without being read, the others are read (on every core) and
     * compared one at a time, so a fleet-sized tree is never loaded twice.
     */
    public static Diff diff(Path target, SortedMap<String, byte[]> desired) throws IOException {
        Set<String> owned = Manifest.read(target).map(Manifest.Previous::files).orElse(Set.of());
        return diff(target, desired, owned, listTree(target));
    }

    private static Diff diff(Path target, SortedMap<String, byte[]> desired, Set<String> owned, Listing existing) {
        List<String> added = new ArrayList<>();
        List<String> toRead = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        desired.forEach((path, bytes) -> {
            Long size = existing.files().get(path);
            boolean ours = owned.contains(path) || path.equals(Manifest.PATH);
            if (size == null) {
                if (existing.others().contains(path) && !ours) conflicts.add(path);
                else added.add(path);
            } else if (!ours) {
                conflicts.add(path);
            } else if (size != bytes.length) {
                changed.add(path);
            } else {
                toRead.add(path);
            }
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
        List<String> foreign = new ArrayList<>();
        Set<String> present = new TreeSet<>(existing.files().keySet());
        present.addAll(existing.others());
        for (String p : present) {
            if (desired.containsKey(p)) continue;
            if (owned.contains(p)) removed.add(p);
            else foreign.add(p);
        }
        return new Diff(added, changed, removed, foreign, conflicts);
    }

    /** As {@link #write(Path, SortedMap, Options)}, rescuing leftovers beside the target. */
    public static Diff write(Path target, SortedMap<String, byte[]> desired) throws IOException {
        return write(target, desired, Options.beside(target));
    }

    /**
     * Writes {@code desired} to {@code target} atomically; returns what changed (nothing written if empty).
     * The caller holds the target's {@link OutputLock}.
     */
    public static Diff write(Path target, SortedMap<String, byte[]> desired, Options options) throws IOException {
        if (!desired.containsKey(Manifest.PATH)) throw new IllegalArgumentException("a tree to write carries its manifest");
        if (Files.isSymbolicLink(target)) {
            throw new OutputRefusedException(target, "it is a symbolic link; give the directory it points to, or another path");
        }
        if (Files.exists(target) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputRefusedException(target, "it is a file, not a directory");
        }
        resolveLeftovers(target, options);
        Optional<Manifest.Previous> previous = Manifest.read(target);
        Listing existing = listTree(target);
        if (previous.isEmpty() && !existing.isEmpty()) {
            throw new OutputRefusedException(target, "it holds files that basilica did not write (such as "
                    + String.join(", ", existing.sample(3).stream().map(DisplayText::shown).toList()) + ") and no " + Manifest.PATH
                    + "; give an empty or new directory");
        }
        Set<String> owned = previous.map(Manifest.Previous::files).orElse(Set.of());
        Diff diff = diff(target, desired, owned, existing);
        if (!diff.conflicts().isEmpty()) {
            throw new OutputRefusedException(target, "basilica would write " + DisplayText.shown(diff.conflicts().get(0))
                    + (diff.conflicts().size() > 1 ? " (and " + (diff.conflicts().size() - 1) + " more)" : "")
                    + ", but a file that basilica did not write is there; move it away");
        }
        if (diff.isEmpty()) return diff;

        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        long pid = ProcessHandle.current().pid();
        Path staging = parent.resolve("." + abs.getFileName() + NEW + pid);
        Path old = parent.resolve("." + abs.getFileName() + OLD + pid);
        deleteRecursively(staging);
        try {
            Set<String> fresh = new HashSet<>(diff.added());
            fresh.addAll(diff.changed());
            // Directories first, parents before children, then the files on every core: on a fleet-sized
            // tree the time goes into system calls, which two threads overlap well.
            Set<Path> dirs = new TreeSet<>();
            dirs.add(staging);
            for (String path : desired.keySet()) dirs.add(staging.resolve(path).getParent());
            for (String path : diff.foreign()) dirs.add(staging.resolve(path).getParent());
            for (String dir : existing.dirs()) dirs.add(staging.resolve(dir)); // foreign empty directories too
            for (Path d : dirs) Files.createDirectories(d);
            List<Map.Entry<String, byte[]>> entries = new ArrayList<>(desired.entrySet());
            parallel(entries.size(), i -> {
                var e = entries.get(i);
                Path dest = staging.resolve(e.getKey());
                if (!fresh.contains(e.getKey())) linkOrCopy(abs.resolve(e.getKey()), dest);
                else Files.write(dest, e.getValue());
            });
            // Foreign files travel with the tree, as links to the same inodes: nothing of theirs changes.
            for (String f : diff.foreign()) linkOrCopy(abs.resolve(f), staging.resolve(f));
            boolean hadTarget = Files.isDirectory(abs);
            if (hadTarget) Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (hadTarget) Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE);
                throw e;
            }
            if (hadTarget) deleteRecursively(old);
        } finally {
            deleteRecursively(staging);
        }
        return diff;
    }

    private interface IoAction {
        void run(int index) throws IOException;
    }

    /** Runs {@code action} for 0..n-1 on up to four threads; waits for all of them before reporting the first failure. */
    private static void parallel(int n, IoAction action) throws IOException {
        int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int first = w;
            parts.add(CompletableFuture.runAsync(() -> {
                for (int i = first; i < n; i += workers) {
                    try {
                        action.run(i);
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                }
            }));
        }
        // Wait for every part, failed or not, before the caller cleans up what they were writing into.
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).handle((ok, x) -> null).join();
        for (CompletableFuture<Void> part : parts) {
            try {
                part.join();
            } catch (CompletionException x) {
                if (x.getCause() instanceof UncheckedIOException io) throw io.getCause();
                if (x.getCause() instanceof RuntimeException re) throw re;
                throw x;
            }
        }
    }

    /**
     * Resolves what killed runs left beside {@code target}: staging trees (only ever generated files and
     * links to files that are also elsewhere) are deleted; a previous tree beside a missing target is put
     * back; previous trees beside a present target (a run killed while deleting it, or, from older
     * versions, several) are deleted once every file in them that the target does not also hold, and that
     * their manifest does not list, has been moved into the rescue directory.
     */
    static void resolveLeftovers(Path target, Options options) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) return;
        String name = abs.getFileName().toString();
        List<Path> staging = new ArrayList<>();
        List<Path> previous = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "." + name + ".*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                String rest = n.substring(name.length() + 1);
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) continue;
                if (rest.startsWith(NEW) && rest.substring(NEW.length()).matches("[0-9]+")) staging.add(p);
                if (rest.startsWith(OLD) && rest.substring(OLD.length()).matches("[0-9]+")) previous.add(p);
            }
        }
        staging.sort(null);
        previous.sort(null);
        for (Path p : staging) {
            options.notes().accept("removing " + p.getFileName() + "/, the staging tree of an interrupted run");
            deleteRecursively(p);
        }
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && previous.size() == 1) {
            options.notes().accept("putting back " + name + "/ from " + previous.get(0).getFileName()
                    + "/, where an interrupted run left it");
            Files.move(previous.get(0), abs, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        for (Path p : previous) {
            rescueUnique(p, abs, options);
            deleteRecursively(p);
        }
    }

    /** Moves the files of a left-over tree that exist nowhere else into the rescue directory. */
    private static void rescueUnique(Path leftover, Path target, Options options) throws IOException {
        Set<String> listed;
        try {
            listed = Manifest.read(leftover).map(Manifest.Previous::files).orElse(Set.of());
        } catch (OutputRefusedException e) {
            listed = Set.of(); // no trustworthy list of generated files: every file counts as foreign
        }
        Listing l = listTree(leftover);
        List<String> candidates = new ArrayList<>(l.files().keySet());
        candidates.addAll(l.others());
        candidates.sort(null);
        for (String f : candidates) {
            if (listed.contains(f) || f.equals(Manifest.PATH)) continue;
            Path src = leftover.resolve(f);
            Path inTarget = target.resolve(f);
            if (Files.exists(inTarget, LinkOption.NOFOLLOW_LINKS) && sameFile(src, inTarget)) continue;
            Path dest = options.rescueDir().resolve(leftover.getFileName().toString()).resolve(f);
            Files.createDirectories(dest.getParent());
            if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) continue; // rescued by a run killed before it deleted the leftover
            Files.move(src, dest, StandardCopyOption.ATOMIC_MOVE);
            options.notes().accept("rescued " + f + " from " + leftover.getFileName() + "/ (left by an interrupted run) into "
                    + options.rescueDir().getFileName() + "/" + leftover.getFileName() + "/" + f);
        }
    }

    private static boolean sameFile(Path a, Path b) throws IOException {
        if (Files.isSameFile(a, b)) return true;
        if (!Files.isRegularFile(a, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(b, LinkOption.NOFOLLOW_LINKS)) return false;
        return Files.size(a) == Files.size(b) && Files.mismatch(a, b) == -1;
    }

    private static void linkOrCopy(Path from, Path to) throws IOException {
        if (Files.isSymbolicLink(from)) {
            Files.createSymbolicLink(to, Files.readSymbolicLink(from)); // the link itself, never what it points to
            return;
        }
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | IOException e) {
            if (e instanceof FileAlreadyExistsException) throw (IOException) e;
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** Every generated file under {@code root} (its manifest's files, or every regular file when it has none). */
    public static SortedMap<String, byte[]> readTree(Path root) throws IOException {
        SortedMap<String, byte[]> out = new TreeMap<>();
        for (String r : listTree(root).files().keySet()) out.put(r, Files.readAllBytes(root.resolve(r)));
        return out;
    }

    /**
     * What is under a directory: regular files with their sizes, other entries (symbolic links, sockets,
     * ...) that are not directories, and directories with nothing in them.
     */
    record Listing(Map<String, Long> files, Set<String> others, Set<String> dirs) {
        boolean isEmpty() {
            return files.isEmpty() && others.isEmpty() && dirs.isEmpty();
        }

        List<String> sample(int n) {
            TreeSet<String> all = new TreeSet<>(files.keySet());
            all.addAll(others);
            all.addAll(dirs);
            return all.stream().limit(n).toList();
        }
    }

    /** Lists {@code root} without following symbolic links. */
    static Listing listTree(Path root) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        Set<String> others = new TreeSet<>();
        Set<String> dirs = new TreeSet<>();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) return new Listing(files, others, dirs);
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root)) dirs.add(rel(root, dir));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String r = rel(root, file);
                if (attrs.isRegularFile()) files.put(r, attrs.size());
                else others.add(r);
                Path p = file.getParent();
                while (p != null && !p.equals(root)) {
                    if (!dirs.remove(rel(root, p))) break; // only directories that stay empty are listed
                    p = p.getParent();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return new Listing(files, others, dirs);
    }

    private static String rel(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
