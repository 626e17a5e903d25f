package dev.basilica.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.support.CliRun;
import dev.basilica.support.Tmpfs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * generate on a full disk: the project (model, state/, out/) lives on a small tmpfs that a file of the test fills.
 * A first run that does not fit leaves no tree and no debris; an update that does not fit leaves the old tree and
 * the state byte for byte as they were (but for the inputs record, a cache the run forgets before it writes); once there is room again the next run completes the update. Both failures
 * are input errors with the system's reason, never an internal error.
 */
@Tag("tools")
class GenerateFullDiskTest {

    @TempDir
    Path tmp;

    private Tmpfs disk;
    private DevelopmentProject project;
    private Path home;

    @BeforeEach
    void projectOnASmallDisk() throws Exception {
        disk = Tmpfs.mountOrSkip(tmp.resolve("disk"), "size=8m,mode=0755");
        project = DevelopmentProject.in(disk.dir());
        home = project.home();
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) disk.close();
    }

    @Test
    void aFirstRunThatDoesNotFitLeavesNoTreeAndNoDebris() throws Exception {
        Path filler = fill(64 * 1024);
        CliRun r = generate();
        assertNoSpace(r);
        Path out = home.resolve("out");
        List<String> left = Files.isDirectory(out) ? names(out) : List.of();
        assertTrue(left.stream().allMatch(n -> n.equals(".development.lock")), "left beside the tree: " + left);
        assertTrue(Files.size(filler) > 0);

        Files.delete(filler);
        assertEquals(0, generate().exitCode(), "with room again");
        assertEquals(0, generate("--check").exitCode());
    }

    @Test
    void anUpdateThatDoesNotFitKeepsTheOldTreeAndStateAndTheNextRunCompletesIt() throws Exception {
        assertEquals(0, generate().exitCode());
        Path model = home.resolve("environments/development.yaml");
        String text = Files.readString(model);
        assertTrue(text.contains("netuid: 387"));
        Files.writeString(model, text.replace("netuid: 387", "netuid: 388"));
        Files.createDirectories(home.resolve("state/development"));
        Files.writeString(home.resolve("state/development/known_hosts"), "[127.0.0.1]:22 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeep\n");
        Map<String, String> before = DevelopmentProject.snapshot(home.resolve("out"));
        // The inputs record (state/.generate/) is a cache a run forgets before it writes; the rest of state/ is kept.
        Map<String, String> stateBefore = withoutInputsRecords(DevelopmentProject.snapshot(home.resolve("state")));

        Path filler = fill(4 * 1024);
        CliRun r = generate();
        assertNoSpace(r);
        assertEquals(before, DevelopmentProject.snapshot(home.resolve("out")), "the old tree, byte for byte, and nothing beside it");
        assertEquals(stateBefore, withoutInputsRecords(DevelopmentProject.snapshot(home.resolve("state"))));

        Files.delete(filler);
        CliRun again = generate();
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().contains(" changed"), again.out());
        assertFalse(again.out().contains(" 0 changed"), again.out());
        assertEquals(0, generate("--check").exitCode());
        assertTrue(Files.readString(home.resolve("out/development/MANIFEST.json")).contains("\"development\""));
    }

    private CliRun generate(String... extra) {
        return project.generate(home, Map.of(), extra);
    }

    private static void assertNoSpace(CliRun r) {
        assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), r.toString());
        assertTrue(r.err().contains("No space left on device"), r.err());
        assertTrue(r.err().contains("The previous output is unchanged."), r.err());
        assertFalse(r.err().contains("internal error"), r.err());
    }

    /** Fills the disk with a file of the test's, then gives back {@code leave} bytes of it. */
    private Path fill(long leave) throws IOException {
        Path filler = disk.dir().resolve("filler");
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) 'x');
        try (OutputStream o = Files.newOutputStream(filler)) {
            while (true) o.write(block);
        } catch (IOException full) {
            // The file system is full: exactly what is wanted.
        }
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.WRITE)) {
            ch.truncate(Math.max(0, ch.size() - leave));
        }
        return filler;
    }

    private static Map<String, String> withoutInputsRecords(Map<String, String> state) {
        Map<String, String> m = new TreeMap<>(state);
        m.keySet().removeIf(k -> k.startsWith(".generate/"));
        return m;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
