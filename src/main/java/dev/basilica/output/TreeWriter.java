package dev.basilica.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.basilica.model.DisplayText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Puts an {@link OutputTree} on disk as {@code out/<env>/}, at a cost proportional to the change, all or
 * nothing as the manifest tells it.
 *
 * <p>A new directory is written whole into a hidden sibling ({@code .<name>.new-<pid>}) and renamed into
 * place. An existing tree is updated in place, under an intent journal:
 * <ol>
 *   <li>the files that are added or changed (the new {@code MANIFEST.json} among them) are written into
 *       the staging sibling at their relative paths, and flushed to disk when they are few
 *       ({@link #FLUSH_LIMIT}); every check that can refuse or fail (foreign files in the way, a file
 *       where a directory must go) runs before this point;</li>
 *   <li>the journal {@code .<name>.journal} (beside the tree, like the lock) is written atomically: the
 *       files to remove, the files to move in, the staging directory and the new manifest's digest. This
 *       is the commit point: before it the tree is the old one, untouched; after it the update is
 *       completed (rolled forward), by this run or the next;</li>
 *   <li>removed files go, directories that lost their last file go, staged files are renamed over
 *       their targets (one rename each, so a file is always whole), {@code MANIFEST.json} last;</li>
 *   <li>the staging directory and then the journal are deleted.</li>
 * </ol>
 * Unchanged files and directories that gain or lose no entry keep their inode and time stamps; a
 * directory is created when it gains its first file and removed when it loses its last. A run that
 * changes nothing writes nothing; deciding that reads no file whose size, recorded digest and time
 * stamp (not newer than the manifest) already agree with the new tree.
 *
 * <p>What a reader sees: before the commit, the old tree; after step 4, the new one. While step 3 runs,
 * or after a run killed in it, the journal is present and {@code MANIFEST.json} is still the old one,
 * so a reader that checks files against the manifest (as {@code generate --check} does, which also
 * reports a journal as an interrupted update) sees a mismatch, never a tree that passes for whole. The
 * manifest is the contract: a tree is whole when no journal stands beside it and every file the
 * manifest lists has its digest. Each step of the journal is idempotent (a rename whose source is gone
 * is done; a removal whose file is gone is done), so the next run, under the lock, completes it the
 * same way however often it was interrupted.
 *
 * <p>Ownership: the previous {@code MANIFEST.json} lists the files the generator wrote; only those are
 * ever replaced or removed. Anything else in the directory (an operator's notes, Terraform's
 * {@code .terraform/} cache) is foreign: left where it is, never listed as stale. A directory that holds
 * files but no manifest of ours is refused, as is a generated path already taken by a foreign file.
 *
 * <p>Leftovers: the next run (under the {@link OutputLock}) first completes a journal; then deletes
 * staging directories without a journal (a run killed before its commit); and, for trees left by
 * versions that swapped whole trees ({@code .<name>.old-<pid>}), puts a previous tree beside a missing
 * target back (there can be one only, since runs are serialised), or deletes a previous tree beside a
 * present target after any file in it that exists nowhere else is rescued into the rescue directory
 * (never "pick one of several").
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
    private static final String JOURNAL = ".journal";
    /**
     * Staged files are flushed to disk before the journal commits them when an update has at most this
     * many (an executor added or removed, a setting changed: a handful). A larger update (a new template
     * touching every host's file) is not flushed file by file, which would cost seconds per thousand
     * files on a busy disk: like the whole-tree writes, it is safe against a killed process, and
     * against a power cut as far as the file system orders renames after data (ext4 does).
     */
    static final int FLUSH_LIMIT = 256;

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
     * Compares the desired tree with what is on disk, byte for byte ({@code generate --check}: the
     * contract). Only the listing is held in memory: a file whose size differs is changed without being
     * read, the others are read (on every core) and compared one at a time, so a fleet-sized tree is
     * never loaded twice.
     */
    public static Diff diff(Path target, SortedMap<String, byte[]> desired) throws IOException {
        Set<String> owned = Manifest.read(target).map(Manifest.Previous::files).orElse(Set.of());
        return diff(target, desired, owned, listTree(target), null);
    }

    /**
     * What a write may take from the manifest on disk without reading a file: a file whose size matches,
     * whose recorded digest is the one the new tree gives it, and whose time stamp is not newer than the
     * manifest's (the writer puts the manifest last) still holds what the manifest says. {@code desired}
     * null: the new manifest equals the old one, so every recorded digest is the new one.
     */
    private record Recorded(Predicate<String> sameDigest, FileTime manifestTime) {
        boolean vouchesFor(String path, FileTime mtime) {
            return mtime != null && mtime.compareTo(manifestTime) <= 0 && sameDigest.test(path);
        }
    }

    /** The manifest on disk when it is a regular file with exactly the bytes of the new one; else null. */
    private static FileTime sameManifest(Path target, SortedMap<String, byte[]> desired) throws IOException {
        Path file = target.resolve(Manifest.PATH);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        byte[] mine = desired.get(Manifest.PATH);
        if (!a.isRegularFile() || a.size() != mine.length || !Arrays.equals(Files.readAllBytes(file), mine)) return null;
        return a.lastModifiedTime();
    }

    private static Diff diff(Path target, SortedMap<String, byte[]> desired, Set<String> ownedSorted, Listing existing, Recorded recorded) {
        // Hashed copies for the lookups below: a fleet's paths share long prefixes, which sorted maps compare
        // over and over (tens of thousands of lookups).
        Set<String> owned = new HashSet<>(ownedSorted);
        Map<String, Long> sizes = new java.util.HashMap<>(existing.files());
        List<String> added = new ArrayList<>();
        List<String> toRead = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        desired.forEach((path, bytes) -> {
            Long size = sizes.get(path);
            boolean ours = owned.contains(path) || path.equals(Manifest.PATH);
            if (size == null) {
                if (existing.others().contains(path) && !ours) conflicts.add(path);
                else added.add(path);
            } else if (!ours) {
                conflicts.add(path);
            } else if (size != bytes.length) {
                changed.add(path);
            } else if (recorded == null || path.equals(Manifest.PATH) || !recorded.vouchesFor(path, existing.mtimes().get(path))) {
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
        Set<String> wanted = new HashSet<>(desired.keySet());
        for (String p : present) {
            if (wanted.contains(p)) continue;
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
        // The common case of a regeneration: the manifest on disk is byte for byte the new one (so it is
        // ours, and every recorded digest is the new one) and need not be parsed.
        FileTime sameManifest = sameManifest(target, desired);
        Optional<Manifest.Previous> previous = sameManifest != null ? Optional.empty() : Manifest.read(target);
        Listing existing = listTree(target);
        if (sameManifest == null && previous.isEmpty() && !existing.isEmpty()) {
            throw new OutputRefusedException(target, "it holds files that basilica did not write (such as "
                    + String.join(", ", existing.sample(3).stream().map(DisplayText::shown).toList()) + ") and no " + Manifest.PATH
                    + "; give an empty or new directory");
        }
        Set<String> owned;
        Recorded recorded = null;
        if (sameManifest != null) {
            owned = desired.keySet(); // the old manifest listed exactly these files, with these digests
            recorded = new Recorded(desired::containsKey, sameManifest);
        } else if (previous.isPresent()) {
            owned = previous.get().files();
            Map<String, String> was = new java.util.HashMap<>(previous.get().digests()); // hashed: looked up once a file
            Map<String, String> will = new java.util.HashMap<>(Manifest.digestsOf(desired.get(Manifest.PATH)));
            recorded = new Recorded(p -> { String d = was.get(p); return d != null && d.equals(will.get(p)); },
                    Files.getLastModifiedTime(target.resolve(Manifest.PATH), LinkOption.NOFOLLOW_LINKS));
        } else {
            owned = Set.of();
        }
        Diff diff = diff(target, desired, owned, existing, recorded);
        if (!diff.conflicts().isEmpty()) {
            throw new OutputRefusedException(target, "basilica would write " + DisplayText.shown(diff.conflicts().get(0))
                    + (diff.conflicts().size() > 1 ? " (and " + (diff.conflicts().size() - 1) + " more)" : "")
                    + ", but a file that basilica did not write is there; move it away");
        }
        if (diff.isEmpty()) return diff;

        Path abs = target.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS) || existing.isEmpty()) {
            writeWhole(abs, desired);
        } else {
            writeIncremental(abs, desired, diff, existing);
        }
        return diff;
    }

    /** A new or empty directory: the whole tree into a staging sibling, then one rename. */
    private static void writeWhole(Path abs, SortedMap<String, byte[]> desired) throws IOException {
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path staging = stagingOf(abs);
        deleteRecursively(staging);
        try {
            // Directories first, parents before children, then the files on every core: on a fleet-sized
            // tree the time goes into system calls, which two threads overlap well.
            Set<Path> dirs = new TreeSet<>();
            dirs.add(staging);
            for (String path : desired.keySet()) dirs.add(staging.resolve(path).getParent());
            for (Path d : dirs) Files.createDirectories(d);
            List<Map.Entry<String, byte[]>> entries = new ArrayList<>(desired.entrySet());
            entries.removeIf(e -> e.getKey().equals(Manifest.PATH));
            parallel(entries.size(), i -> Files.write(staging.resolve(entries.get(i).getKey()), entries.get(i).getValue()));
            Files.write(staging.resolve(Manifest.PATH), desired.get(Manifest.PATH)); // last: no file is newer than it
            // An empty directory is replaced by the rename (rename(2) allows it); a missing one is created by it.
            Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteRecursively(staging);
        }
    }

    /** An existing tree: stage what changes, commit the journal, apply it (see the class comment). */
    private static void writeIncremental(Path abs, SortedMap<String, byte[]> desired, Diff diff, Listing existing) throws IOException {
        List<String> puts = new ArrayList<>(diff.added());
        puts.addAll(diff.changed());
        puts.remove(Manifest.PATH);
        puts.sort(null);
        puts.add(Manifest.PATH); // last: the manifest says "new tree" only once every file is there
        preflight(diff, existing);
        Path staging = stagingOf(abs);
        Path journalFile = journalOf(abs);
        deleteRecursively(staging);
        Journal journal = new Journal(staging.getFileName().toString(), Manifest.sha256(desired.get(Manifest.PATH)), diff.removed(), puts);
        try {
            Set<Path> dirs = new TreeSet<>();
            dirs.add(staging);
            for (String path : puts) dirs.add(staging.resolve(path).getParent());
            for (Path d : dirs) Files.createDirectories(d);
            int files = puts.size() - 1;
            boolean flush = puts.size() <= FLUSH_LIMIT;
            parallel(files, i -> write(staging.resolve(puts.get(i)), desired.get(puts.get(i)), flush));
            write(staging.resolve(Manifest.PATH), desired.get(Manifest.PATH), flush); // last: no file is newer than it
            journal.write(journalFile);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(staging);
            throw e;
        }
        try {
            apply(abs, journal, journalFile, false);
        } catch (IOException e) {
            throw new UnfinishedUpdateException(abs, e);
        }
    }

    /**
     * Thrown when an update failed after its journal was committed: the tree is part-way, the manifest
     * still the old one, and the next run completes the update.
     */
    public static final class UnfinishedUpdateException extends IOException {
        UnfinishedUpdateException(Path target, IOException cause) {
            super("the update was committed but not finished (" + cause.getMessage() + "); "
                    + "the next generate completes it, and until then " + Manifest.PATH + " does not match the files", cause);
        }
    }

    /**
     * Refuses, before anything is written, what renaming the staged files in would trip over: a file
     * (that stays) where a new file needs a directory, or a directory where a new file goes.
     */
    private static void preflight(Diff diff, Listing existing) throws IOException {
        Set<String> removed = new HashSet<>(diff.removed());
        Set<String> stayingFiles = new HashSet<>();
        for (String f : existing.files().keySet()) if (!removed.contains(f)) stayingFiles.add(f);
        for (String f : existing.others()) if (!removed.contains(f)) stayingFiles.add(f);
        Set<String> stayingDirs = new HashSet<>(existing.dirs());
        for (String f : stayingFiles) {
            for (int i = f.lastIndexOf('/'); i > 0; i = f.lastIndexOf('/', i - 1)) {
                if (!stayingDirs.add(f.substring(0, i))) break;
            }
        }
        for (String p : diff.added()) {
            if (stayingDirs.contains(p)) {
                throw new FileSystemException(p, null, "basilica would write a file where a directory is");
            }
            for (int i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
                String dir = p.substring(0, i);
                if (stayingFiles.contains(dir)) {
                    throw new FileSystemException(p, null, "basilica would need a directory " + dir + " where a file is");
                }
            }
        }
    }

    private static void write(Path file, byte[] content, boolean flush) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
            if (flush) ch.force(false);
        }
    }

    /**
     * Carries out a committed journal; every step may have been done before, by a run that was killed.
     * Removes, prunes emptied directories (not those a staged file goes into), renames the staged files
     * in ({@code MANIFEST.json} last), then deletes the staging directory and the journal. A journal
     * read back from disk ({@code recheck}) may have waited a long time: every path it names must still
     * lie inside the tree without passing through a symbolic link.
     */
    private static void apply(Path abs, Journal journal, Path journalFile, boolean recheck) throws IOException {
        Path staging = abs.getParent().resolve(journal.staging());
        if (recheck) {
            Path real = abs.toRealPath();
            for (String p : journal.removes()) insideWithoutLinks(real, p);
            for (String p : journal.puts()) insideWithoutLinks(real, p);
        }
        Set<String> needed = new HashSet<>();
        for (String p : journal.puts()) {
            for (int i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
                if (!needed.add(p.substring(0, i))) break;
            }
        }
        for (String r : journal.removes()) {
            Path f = abs.resolve(r);
            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(f)) Files.delete(f);
        }
        for (String r : journal.removes()) {
            for (int i = r.lastIndexOf('/'); i > 0; i = r.lastIndexOf('/', i - 1)) {
                String dir = r.substring(0, i);
                Path d = abs.resolve(dir);
                if (needed.contains(dir) || !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) break;
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                    if (ds.iterator().hasNext()) break; // a file of ours or someone else's keeps it
                }
                Files.delete(d);
            }
        }
        for (String p : journal.puts()) {
            Path src = staging.resolve(p);
            if (!Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) continue; // moved in before an interruption
            Path dest = abs.resolve(p);
            Files.createDirectories(dest.getParent());
            Files.move(src, dest, StandardCopyOption.ATOMIC_MOVE);
        }
        deleteRecursively(staging);
        Files.delete(journalFile);
    }

    private static void insideWithoutLinks(Path realRoot, String relative) throws IOException {
        Path dir = realRoot;
        String[] parts = relative.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            dir = dir.resolve(parts[i]);
            if (Files.isSymbolicLink(dir)) {
                throw new OutputRefusedException(realRoot, "the interrupted update names " + DisplayText.quoted(relative)
                        + ", but " + DisplayText.quoted(realRoot.relativize(dir).toString()) + " is now a symbolic link; move it away");
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return; // created, or found already removed, by the replay
        }
    }

    private static Path stagingOf(Path abs) {
        return abs.getParent().resolve("." + abs.getFileName() + NEW + ProcessHandle.current().pid());
    }

    private static Path journalOf(Path abs) {
        return abs.getParent().resolve("." + abs.getFileName() + JOURNAL);
    }

    /**
     * Whether {@code target} is at rest: no journal, uncommitted journal, staging tree or previous tree of
     * any run stands beside it (nothing the next write would have to resolve first).
     */
    public static boolean atRest(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) return false;
        String name = abs.getFileName().toString();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "." + name + ".*")) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(name.length() + 1);
                if (rest.startsWith(NEW) || rest.startsWith(OLD) || rest.startsWith(JOURNAL)) return false;
            }
        }
        return true;
    }

    /** Whether an update of {@code target} was committed and not finished (its journal stands beside it). */
    public static boolean interrupted(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        return abs.getParent() != null && Files.exists(journalOf(abs), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The intent journal of an update: the staging directory (a sibling of the tree), the digest of the
     * new manifest, the generated files to remove and the files to move in, manifest last.
     */
    record Journal(String staging, String manifestSha256, List<String> removes, List<String> puts) {
        private static final ObjectMapper JSON = JsonMapper.builder().build();

        /** Written to a temporary sibling, flushed, renamed into place, and the directory flushed: the commit. */
        void write(Path file) throws IOException {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("journal", "basilica output update");
            root.put("staging", staging);
            root.put("manifest_sha256", manifestSha256);
            root.put("remove", removes);
            root.put("put", puts);
            // The temporary name is the one resolveLeftovers clears: a journal a killed run had not yet committed.
            AtomicFiles.write(file, JSON.writeValueAsBytes(root), file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid()));
        }

        /** Reads a journal, refusing one that basilica did not write or that names paths outside the tree. */
        static Journal read(Path file, Path target) throws IOException {
            String shown = file.getFileName().toString();
            JsonNode root;
            try {
                root = Files.size(file) > Manifest.MAX_BYTES ? null : JSON.readTree(Files.readAllBytes(file));
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                root = null;
            }
            String name = target.getFileName().toString();
            if (root == null || !root.path("journal").asText("").equals("basilica output update")
                    || !root.path("staging").asText("").matches(java.util.regex.Pattern.quote("." + name + NEW) + "[0-9]+")
                    || !root.path("remove").isArray() || !root.path("put").isArray()) {
                throw new OutputRefusedException(target, shown + " beside it is not a journal basilica wrote; move it away");
            }
            List<String> removes = new ArrayList<>();
            List<String> puts = new ArrayList<>();
            for (JsonNode n : root.get("remove")) removes.add(n.asText(""));
            for (JsonNode n : root.get("put")) puts.add(n.asText(""));
            for (String p : removes) {
                if (!Manifest.isInsidePath(p)) throw new OutputRefusedException(target, shown + " names " + DisplayText.quoted(p) + "; refusing it");
            }
            for (String p : puts) {
                if (!p.equals(Manifest.PATH) && !Manifest.isInsidePath(p)) {
                    throw new OutputRefusedException(target, shown + " names " + DisplayText.quoted(p) + "; refusing it");
                }
            }
            return new Journal(root.get("staging").asText(), root.path("manifest_sha256").asText(""), removes, puts);
        }
    }

    private interface IoAction {
        void run(int index) throws IOException;
    }

    /** Threads for file-system work: one a core, at most four. */
    private static int workers() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** Runs {@code action} for 0..n-1 on up to four threads; waits for all of them before reporting the first failure. */
    private static void parallel(int n, IoAction action) throws IOException {
        int workers = workers();
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
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "." + name + JOURNAL + ".tmp-*")) {
            for (Path p : ds) Files.deleteIfExists(p); // a journal not yet committed
        }
        Path journalFile = journalOf(abs);
        if (Files.exists(journalFile, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
                throw new OutputRefusedException(target, journalFile.getFileName() + " stands beside it but the directory is gone; move the journal away");
            }
            Journal journal = Journal.read(journalFile, abs);
            options.notes().accept("completing the update an interrupted run committed (" + journal.puts().size() + " files in, "
                    + journal.removes().size() + " out)");
            apply(abs, journal, journalFile, true);
        }
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
    record Listing(Map<String, Long> files, Map<String, FileTime> mtimes, Set<String> others, Set<String> dirs) {
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

    /**
     * Lists {@code root} without following symbolic links. Each directory is read by a task of its own on
     * every core: a fleet's tree has tens of thousands of entries, and each costs a stat call.
     */
    static Listing listTree(Path root) throws IOException {
        Map<String, Long> sizes = new ConcurrentHashMap<>();
        Map<String, FileTime> mtimes = new ConcurrentHashMap<>();
        Set<String> others = ConcurrentHashMap.newKeySet();
        Set<String> emptyDirs = ConcurrentHashMap.newKeySet();
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            ForkJoinPool pool = new ForkJoinPool(workers());
            try {
                pool.invoke(new DirectoryListing(root, "", new Listing(sizes, mtimes, others, emptyDirs)));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } finally {
                pool.shutdown();
            }
        }
        return new Listing(new TreeMap<>(sizes), new java.util.HashMap<>(mtimes), new TreeSet<>(others), new TreeSet<>(emptyDirs));
    }

    /**
     * Lists one directory into {@code into} (thread-safe sets and maps) and its subdirectories as tasks of their
     * own. True when something other than a directory lies under it: a directory is listed in {@code dirs}
     * only when nothing but directories does.
     */
    private static final class DirectoryListing extends RecursiveTask<Boolean> {
        private final Path dir;
        private final String prefix;
        private final Listing into;

        DirectoryListing(Path dir, String prefix, Listing into) {
            this.dir = dir;
            this.prefix = prefix;
            this.into = into;
        }

        @Override
        protected Boolean compute() {
            List<DirectoryListing> subdirectories = new ArrayList<>();
            boolean holdsEntries = false;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String relative = prefix + entry.getFileName().toString();
                    BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isDirectory()) {
                        subdirectories.add(new DirectoryListing(entry, relative + "/", into));
                        continue;
                    }
                    holdsEntries = true;
                    if (a.isRegularFile()) {
                        into.files().put(relative, a.size());
                        into.mtimes().put(relative, a.lastModifiedTime());
                    } else {
                        into.others().add(relative);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            invokeAll(subdirectories);
            for (DirectoryListing sub : subdirectories) {
                if (sub.join()) holdsEntries = true;
                else into.dirs().add(sub.prefix.substring(0, sub.prefix.length() - 1));
            }
            return holdsEntries;
        }
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
