package dev.basilica.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeWriterTest {

    @TempDir
    Path tmp;

    private static SortedMap<String, byte[]> tree(String... pathsAndContents) {
        SortedMap<String, byte[]> t = new TreeMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            t.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        t.put(Manifest.PATH, Manifest.render("0", "dev", "environments/dev.yaml", "x", t));
        return t;
    }

    @Test
    void writesTheTreeAndReportsWhatChanged() throws IOException {
        Path out = tmp.resolve("out/dev");
        TreeWriter.Diff first = TreeWriter.write(out, tree("a.txt", "1", "dir/b.txt", "2"));
        assertEquals(List.of(Manifest.PATH, "a.txt", "dir/b.txt"), first.added());
        assertEquals("2", Files.readString(out.resolve("dir/b.txt")));

        TreeWriter.Diff second = TreeWriter.write(out, tree("a.txt", "1", "dir/c.txt", "3"));
        assertEquals(List.of("dir/c.txt"), second.added());
        assertEquals(List.of("dir/b.txt"), second.removed());
        assertFalse(Files.exists(out.resolve("dir/b.txt")));
    }

    @Test
    void aRunThatChangesNothingWritesNothing() throws IOException {
        Path out = tmp.resolve("out/dev");
        SortedMap<String, byte[]> t = tree("a.txt", "1", "dir/b.txt", "2");
        TreeWriter.write(out, t);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(out.resolve("a.txt"), old);
        Object inode = Files.getAttribute(out.resolve("a.txt"), "unix:ino");

        assertTrue(TreeWriter.write(out, t).isEmpty());
        assertEquals(old, Files.getLastModifiedTime(out.resolve("a.txt")));
        assertEquals(inode, Files.getAttribute(out.resolve("a.txt"), "unix:ino"));
    }

    @Test
    void unchangedFilesKeepTheirInodeWhenOthersChange() throws IOException {
        Path out = tmp.resolve("out/dev");
        TreeWriter.write(out, tree("a.txt", "1", "b.txt", "2"));
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(out.resolve("a.txt"), old);
        Object inode = Files.getAttribute(out.resolve("a.txt"), "unix:ino");

        TreeWriter.write(out, tree("a.txt", "1", "b.txt", "changed"));
        assertEquals(old, Files.getLastModifiedTime(out.resolve("a.txt")));
        assertEquals(inode, Files.getAttribute(out.resolve("a.txt"), "unix:ino"));
        assertEquals("changed", Files.readString(out.resolve("b.txt")));
    }

    @Test
    void aFailedRunLeavesTheOldTreeAndNoDebris() throws IOException {
        Path out = tmp.resolve("out/dev");
        TreeWriter.write(out, tree("a.txt", "1"));
        // "x" as a file and as a directory cannot both exist: the write fails half-way.
        SortedMap<String, byte[]> impossible = tree("a.txt", "2", "x", "file", "x/y", "nested");
        assertThrows(IOException.class, () -> TreeWriter.write(out, impossible));
        assertEquals("1", Files.readString(out.resolve("a.txt")));
        try (Stream<Path> siblings = Files.list(out.getParent())) {
            assertEquals(List.of("dev"), siblings.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** A manifest of ours listing these files, as a previous run would have left it. */
    private static String manifest(String... files) {
        StringBuilder b = new StringBuilder("{\"generator\": \"basilica 0\", \"files\": {");
        for (int i = 0; i < files.length; i++) b.append(i > 0 ? ", " : "").append('"').append(files[i]).append("\": \"x\"");
        return b.append("}}").toString();
    }

    @Test
    void filesTheGeneratorDidNotWriteAreKeptAndNeverListed() throws IOException {
        Path out = tmp.resolve("out/dev");
        TreeWriter.write(out, tree("a.txt", "1", "terraform/main.tf", "tf"));
        Files.writeString(out.resolve("NOTES.md"), "mine");
        Files.createDirectories(out.resolve("terraform/.terraform/providers"));
        Files.writeString(out.resolve("terraform/.terraform/providers/p"), "x");
        Files.createDirectories(out.resolve("empty-dir-of-mine"));
        Files.createSymbolicLink(out.resolve("link-of-mine"), Path.of("/etc/hostname"));
        Object inode = Files.getAttribute(out.resolve("NOTES.md"), "unix:ino");

        TreeWriter.Diff d = TreeWriter.write(out, tree("a.txt", "2"));
        assertEquals(List.of("terraform/main.tf"), d.removed(), "only what the manifest lists is removed");
        assertEquals(List.of("NOTES.md", "link-of-mine", "terraform/.terraform/providers/p"), d.foreign());
        assertEquals("mine", Files.readString(out.resolve("NOTES.md")));
        assertEquals(inode, Files.getAttribute(out.resolve("NOTES.md"), "unix:ino"), "the same file, not a copy");
        assertEquals("x", Files.readString(out.resolve("terraform/.terraform/providers/p")));
        assertTrue(Files.isDirectory(out.resolve("empty-dir-of-mine")));
        assertEquals(Path.of("/etc/hostname"), Files.readSymbolicLink(out.resolve("link-of-mine")));
        assertTrue(TreeWriter.diff(out, tree("a.txt", "2")).isEmpty(), "foreign files are not stale");
    }

    @Test
    void aDirectoryWithFilesButNoManifestIsRefusedAndUntouched() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_ed25519"), "key");
        Files.writeString(home.resolve("notes.txt"), "notes");
        OutputRefusedException e = assertThrows(OutputRefusedException.class, () -> TreeWriter.write(home, tree("a.txt", "1")));
        assertTrue(e.getMessage().contains("holds files that basilica did not write (such as .ssh/id_ed25519, notes.txt)"), e.getMessage());
        assertEquals("key", Files.readString(home.resolve(".ssh/id_ed25519")));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("home"), s.map(p -> p.getFileName().toString()).toList(), "no staging, lock or debris");
        }
    }

    @Test
    void aForeignFileWhereAGeneratedOneWouldGoIsRefused() throws IOException {
        Path out = tmp.resolve("out/dev");
        TreeWriter.write(out, tree("a.txt", "1"));
        Files.writeString(out.resolve("b.txt"), "operator's");
        OutputRefusedException e = assertThrows(OutputRefusedException.class, () -> TreeWriter.write(out, tree("a.txt", "1", "b.txt", "2")));
        assertTrue(e.getMessage().contains("basilica would write b.txt, but a file that basilica did not write is there"), e.getMessage());
        assertEquals("operator's", Files.readString(out.resolve("b.txt")));
    }

    @Test
    void aManifestNamingPathsOutsideTheDirectoryIsRefused() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out/dev"));
        Files.writeString(tmp.resolve("out/precious"), "keep");
        for (String bad : List.of("../precious", "/etc/passwd", "a/../../precious", "./a", "a//b", "a\\b")) {
            Files.writeString(out.resolve(Manifest.PATH), manifest(bad));
            OutputRefusedException e = assertThrows(OutputRefusedException.class, () -> TreeWriter.write(out, tree("a.txt", "1")), bad);
            assertTrue(e.getMessage().contains("is not a plain relative path inside the directory"), e.getMessage());
        }
        Files.writeString(out.resolve(Manifest.PATH), "{\"files\": {}}");
        assertTrue(assertThrows(OutputRefusedException.class, () -> TreeWriter.write(out, tree("a.txt", "1")))
                .getMessage().contains("was not written by basilica"));
        Files.writeString(out.resolve(Manifest.PATH), "not json");
        assertTrue(assertThrows(OutputRefusedException.class, () -> TreeWriter.write(out, tree("a.txt", "1")))
                .getMessage().contains("is not valid JSON"));
        assertEquals("keep", Files.readString(tmp.resolve("out/precious")));
    }

    @Test
    void aSymbolicLinkOrAFileAsTargetIsRefused() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertTrue(assertThrows(OutputRefusedException.class, () -> TreeWriter.write(link, tree("a.txt", "1")))
                .getMessage().contains("symbolic link"));
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertTrue(assertThrows(OutputRefusedException.class, () -> TreeWriter.write(file, tree("a.txt", "1")))
                .getMessage().contains("is a file"));
        assertEquals("x", Files.readString(file));
        try (Stream<Path> s = Files.list(real)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void leftoversOfKilledRunsAreResolvedWithoutPickingOne() throws IOException {
        Path out = tmp.resolve("out/dev");
        TreeWriter.write(out, tree("a.txt", "1"));
        // A staging tree, and two previous trees as older versions could leave them, each with a state file.
        Path staging = Files.createDirectories(tmp.resolve("out/.dev.new-111"));
        Files.writeString(staging.resolve("a.txt"), "half");
        // A journal a killed run was writing and had not committed (not yet renamed into place): dropped.
        Files.writeString(tmp.resolve("out/.dev.journal.tmp-444"), "{\"journal\": \"basilica output upd");
        for (String pid : List.of("222", "333")) {
            Path old = Files.createDirectories(tmp.resolve("out/.dev.old-" + pid + "/terraform"));
            Files.writeString(old.getParent().resolve(Manifest.PATH), manifest("a.txt"));
            Files.writeString(old.getParent().resolve("a.txt"), "old");
            Files.writeString(old.resolve("terraform.tfstate"), "serial " + pid);
        }
        Path rescue = tmp.resolve("rescued");
        List<String> notes = new java.util.ArrayList<>();
        assertTrue(TreeWriter.write(out, tree("a.txt", "1"), new TreeWriter.Options(rescue, notes::add)).isEmpty());
        assertEquals("serial 222", Files.readString(rescue.resolve(".dev.old-222/terraform/terraform.tfstate")));
        assertEquals("serial 333", Files.readString(rescue.resolve(".dev.old-333/terraform/terraform.tfstate")));
        assertFalse(Files.exists(rescue.resolve(".dev.old-222/a.txt")), "generated files are not rescued");
        try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
            assertEquals(List.of("dev"), s.map(p -> p.getFileName().toString()).sorted().toList(), "no debris");
        }
        assertEquals(3, notes.size(), String.join("\n", notes)); // the staging tree, two rescued files
    }

    @Test
    void recoversATreeLeftBesideAMissingTargetByAnInterruptedSwap() throws IOException {
        Path out = tmp.resolve("out/dev");
        Path old = tmp.resolve("out/.dev.old-12345");
        Files.createDirectories(old);
        Files.writeString(old.resolve("a.txt"), "1");
        Files.write(old.resolve(Manifest.PATH), tree("a.txt", "1").get(Manifest.PATH));
        assertTrue(TreeWriter.write(out, tree("a.txt", "1")).isEmpty(), "the recovered tree is already up to date");
        assertArrayEquals("1".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(out.resolve("a.txt")));
        assertFalse(Files.exists(old));
    }

    private static Object ino(Path p) throws IOException {
        return Files.getAttribute(p, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void anUpdateTouchesOnlyWhatChangedAndDirectoriesComeAndGoWithTheirFiles() throws IOException {
        Path out = tmp.resolve("out/dev");
        TreeWriter.write(out, tree("a/one.txt", "1", "b/two.txt", "2", "c/three.txt", "3", "c/four.txt", "4"));
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        for (String d : List.of("a", "b", "c")) Files.setLastModifiedTime(out.resolve(d), old);
        Object rootIno = ino(out);
        Object aIno = ino(out.resolve("a"));
        Object oneIno = ino(out.resolve("a/one.txt"));

        TreeWriter.Diff d = TreeWriter.write(out, tree("a/one.txt", "1", "c/three.txt", "3", "c/four.txt", "four", "d/new.txt", "n"));
        assertEquals(List.of("d/new.txt"), d.added());
        assertEquals(List.of(Manifest.PATH, "c/four.txt"), d.changed());
        assertEquals(List.of("b/two.txt"), d.removed());
        assertEquals(rootIno, ino(out), "the tree is updated in place");
        assertEquals(aIno, ino(out.resolve("a")));
        assertEquals(old, Files.getLastModifiedTime(out.resolve("a")), "a directory without a change keeps its time");
        assertEquals(oneIno, ino(out.resolve("a/one.txt")));
        assertFalse(Files.exists(out.resolve("b")), "a directory that lost its last file goes");
        assertEquals("four", Files.readString(out.resolve("c/four.txt")));
        assertEquals("n", Files.readString(out.resolve("d/new.txt")));
        assertTrue(TreeWriter.diff(out, tree("a/one.txt", "1", "c/three.txt", "3", "c/four.txt", "four", "d/new.txt", "n")).isEmpty());
        try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
            assertEquals(List.of("dev"), s.map(p -> p.getFileName().toString()).toList(), "no staging or journal left");
        }
    }

    @Test
    void aFileChangedByHandIsPutBackEvenWithItsSizeAndTheManifestUnchanged() throws IOException {
        Path out = tmp.resolve("out/dev");
        SortedMap<String, byte[]> t = tree("a.txt", "1", "b.txt", "2");
        TreeWriter.write(out, t);
        Files.setLastModifiedTime(out.resolve(Manifest.PATH), FileTime.fromMillis(1_000_000_000_000L));
        Files.writeString(out.resolve("b.txt"), "X"); // newer than the manifest: read, found different
        TreeWriter.Diff d = TreeWriter.write(out, t);
        assertEquals(List.of("b.txt"), d.changed());
        assertEquals("2", Files.readString(out.resolve("b.txt")));
    }

    @Test
    void aForeignFileWhereADirectoryMustGoFailsBeforeAnythingIsWritten() throws IOException {
        Path out = tmp.resolve("out/dev");
        TreeWriter.write(out, tree("a.txt", "1"));
        Files.writeString(out.resolve("x"), "operator's");
        assertThrows(IOException.class, () -> TreeWriter.write(out, tree("a.txt", "2", "x/y", "nested")));
        assertEquals("1", Files.readString(out.resolve("a.txt")));
        assertEquals("operator's", Files.readString(out.resolve("x")));
        assertFalse(TreeWriter.interrupted(out));
        try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
            assertEquals(List.of("dev"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aCommittedJournalIsCompletedByTheNextRunHoweverFarTheKilledRunGot() throws IOException {
        SortedMap<String, byte[]> before = tree("keep.txt", "k", "gone/x.txt", "x", "f", "file", "changed.txt", "old");
        SortedMap<String, byte[]> after = tree("keep.txt", "k", "f/inner.txt", "dir now", "changed.txt", "new", "added/y.txt", "y");
        // Killed after 0, 1, 2, ... steps of applying the journal: the next run finishes the same tree.
        for (int steps = 0; steps <= 6; steps++) {
            Path out = tmp.resolve("k" + steps + "/dev");
            TreeWriter.write(out, before);
            Path staging = out.resolveSibling(".dev.new-4242");
            List<String> puts = List.of("added/y.txt", "changed.txt", "f/inner.txt", Manifest.PATH);
            for (String p : puts) {
                Files.createDirectories(staging.resolve(p).getParent());
                Files.write(staging.resolve(p), after.get(p));
            }
            new TreeWriter.Journal(".dev.new-4242", Manifest.sha256(after.get(Manifest.PATH)), List.of("f", "gone/x.txt"), puts)
                    .write(out.resolveSibling(".dev.journal"));
            assertTrue(TreeWriter.interrupted(out));
            // The steps a killed run may have done, in order.
            List<Runnable> done = List.of(
                    () -> delete(out.resolve("f")), () -> delete(out.resolve("gone/x.txt")), () -> delete(out.resolve("gone")),
                    () -> move(staging.resolve("added/y.txt"), out.resolve("added/y.txt")),
                    () -> move(staging.resolve("changed.txt"), out.resolve("changed.txt")),
                    () -> move(staging.resolve("f/inner.txt"), out.resolve("f/inner.txt")));
            for (int i = 0; i < steps; i++) done.get(i).run();
            Object keep = ino(out.resolve("keep.txt"));
            List<String> notes = new java.util.ArrayList<>();
            assertTrue(TreeWriter.write(out, after, new TreeWriter.Options(tmp.resolve("rescue"), notes::add)).isEmpty(),
                    "completed to the new tree after " + steps + " steps");
            assertTrue(notes.get(0).startsWith("completing the update an interrupted run committed"), notes.toString());
            assertTrue(TreeWriter.diff(out, after).isEmpty());
            assertEquals(keep, ino(out.resolve("keep.txt")));
            assertFalse(Files.exists(out.resolve("gone")));
            assertFalse(TreeWriter.interrupted(out));
            try (Stream<Path> s = Files.list(out.getParent())) {
                assertEquals(List.of("dev"), s.map(p -> p.getFileName().toString()).toList());
            }
        }
        assertFalse(Files.exists(tmp.resolve("rescue")));
    }

    @Test
    void aJournalThatNamesPathsOutsideTheTreeIsRefused() throws IOException {
        Path out = tmp.resolve("out/dev");
        TreeWriter.write(out, tree("a.txt", "1"));
        Files.writeString(tmp.resolve("out/precious"), "keep");
        Files.writeString(out.resolveSibling(".dev.journal"),
                "{\"journal\": \"basilica output update\", \"staging\": \".dev.new-1\", \"remove\": [\"../precious\"], \"put\": []}");
        OutputRefusedException e = assertThrows(OutputRefusedException.class, () -> TreeWriter.write(out, tree("a.txt", "2")));
        assertTrue(e.getMessage().contains("refusing it"), e.getMessage());
        assertEquals("keep", Files.readString(tmp.resolve("out/precious")));
        assertEquals("1", Files.readString(out.resolve("a.txt")));

        // A directory replaced by a symbolic link after the journal was written: not followed.
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("x.txt"), "not ours");
        Files.createSymbolicLink(out.resolve("d"), elsewhere);
        Files.writeString(out.resolveSibling(".dev.journal"),
                "{\"journal\": \"basilica output update\", \"staging\": \".dev.new-1\", \"remove\": [\"d/x.txt\"], \"put\": []}");
        e = assertThrows(OutputRefusedException.class, () -> TreeWriter.write(out, tree("a.txt", "2")));
        assertTrue(e.getMessage().contains("is now a symbolic link"), e.getMessage());
        assertEquals("not ours", Files.readString(elsewhere.resolve("x.txt")));
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void manifestListsEveryFileButItself() throws IOException {
        OutputTree t = new OutputTree();
        t.put("b.txt", "2", OutputKind.CONFIGS, null);
        t.put("a.txt", "1", OutputKind.CONFIGS, null);
        SortedMap<String, byte[]> eff = TreeWriter.effectiveTree(tmp.resolve("none"), t, f -> true,
                new TreeWriter.ManifestInfo("9.9", "x", "environments/x.yaml", "abc"));
        String manifest = new String(eff.get(Manifest.PATH), StandardCharsets.UTF_8);
        assertEquals("""
                {
                  "generator": "basilica 9.9",
                  "environment": "x",
                  "model": "environments/x.yaml",
                  "model_sha256": "abc",
                  "files": {
                    "a.txt": "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b",
                    "b.txt": "d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35"
                  }
                }
                """, manifest);
    }
}
