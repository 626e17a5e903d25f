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
        return t;
    }

    @Test
    void writesTheTreeAndReportsWhatChanged() throws IOException {
        Path out = tmp.resolve("out/dev");
        TreeWriter.Diff first = TreeWriter.write(out, tree("a.txt", "1", "dir/b.txt", "2"));
        assertEquals(List.of("a.txt", "dir/b.txt"), first.added());
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

    @Test
    void reportsAndTerraformStateSurviveRegeneration() throws IOException {
        Path out = tmp.resolve("out/dev");
        TreeWriter.write(out, tree("a.txt", "1"));
        Files.createDirectories(out.resolve("reports"));
        Files.writeString(out.resolve("reports/validate.json"), "{}");
        Files.createDirectories(out.resolve("terraform/.terraform/providers"));
        Files.writeString(out.resolve("terraform/terraform.tfstate"), "state");
        Files.writeString(out.resolve("terraform/.terraform/providers/p"), "x");

        TreeWriter.Diff d = TreeWriter.write(out, tree("a.txt", "2", "terraform/main.tf", "tf"));
        assertEquals(List.of(), d.removed(), "preserved files are not ours to remove");
        assertEquals("{}", Files.readString(out.resolve("reports/validate.json")));
        assertEquals("state", Files.readString(out.resolve("terraform/terraform.tfstate")));
        assertEquals("x", Files.readString(out.resolve("terraform/.terraform/providers/p")));
        assertTrue(TreeWriter.diff(out, tree("a.txt", "2", "terraform/main.tf", "tf")).isEmpty());
    }

    @Test
    void onlyTheManagedKnownHostsFileIsPreservedNotDirectoriesOfThatName() {
        assertTrue(TreeWriter.isPreserved("known_hosts"));
        assertFalse(TreeWriter.isPreserved("ansible/roles/known_hosts/tasks/main.yml"));
        assertFalse(TreeWriter.isPreserved("ansible/roles/known_hosts"));
        assertTrue(TreeWriter.isPreserved("reports/report.json"));
        assertTrue(TreeWriter.isPreserved("terraform/.terraform/providers/x"));
    }

    @Test
    void recoversATreeLeftBesideAMissingTargetByAnInterruptedSwap() throws IOException {
        Path out = tmp.resolve("out/dev");
        Path old = tmp.resolve("out/.dev.old-12345");
        Files.createDirectories(old);
        Files.writeString(old.resolve("a.txt"), "1");
        assertTrue(TreeWriter.write(out, tree("a.txt", "1")).isEmpty(), "the recovered tree is already up to date");
        assertArrayEquals("1".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(out.resolve("a.txt")));
        assertFalse(Files.exists(old));
    }

    @Test
    void manifestListsEveryFileButItself() throws IOException {
        OutputTree t = new OutputTree();
        t.put("b.txt", "2", "configs", null);
        t.put("a.txt", "1", "configs", null);
        SortedMap<String, byte[]> eff = TreeWriter.effectiveTree(tmp.resolve("none"), t, f -> true,
                new TreeWriter.ManifestInfo("9.9", "environments/x.yaml", "abc"));
        String manifest = new String(eff.get(Manifest.PATH), StandardCharsets.UTF_8);
        assertEquals("""
                {
                  "generator": "basilica 9.9",
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
