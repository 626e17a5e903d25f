package dev.basilica.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.output.OutputLock;
import dev.basilica.support.CliRun;
import dev.basilica.support.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * generate writes only where it owns the directory, never anything it did not write, and keeps
 * operational state out of the generated tree (issue 10: the trust boundary).
 */
class GenerateOwnershipTest {

    @TempDir
    Path tmp;

    DevelopmentProject project;
    Path home;

    @BeforeEach
    void project() throws IOException {
        project = DevelopmentProject.in(tmp);
        home = project.home();
    }


    private CliRun generate(Path cwd, Map<String, String> env, String... extra) {
        return project.generate(cwd, env, extra);
    }

    private static void assertRefused(CliRun r, String why) {
        assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), r.toString());
        assertTrue(r.err().contains(why), "expected '" + why + "' in:\n" + r.err());
        assertTrue(r.err().contains("Nothing was changed."), r.err());
        assertFalse(r.err().contains("internal error"), r.err());
    }

    @Test
    void aDirectoryOfSomeoneElsesFilesIsRefusedAndKeepsEveryFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("someones-home"));
        Files.createDirectories(dir.resolve(".ssh"));
        Files.writeString(dir.resolve(".ssh/id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("notes.txt"), "notes");
        Map<String, String> before = DevelopmentProject.snapshot(dir);
        CliRun r = generate(home, Map.of(), "--out", dir.toString());
        assertRefused(r, "it holds files that basilica did not write (such as .ssh/id_ed25519, notes.txt) and no MANIFEST.json");
        assertEquals(before, DevelopmentProject.snapshot(dir));
        CliRun check = generate(home, Map.of(), "--out", dir.toString(), "--check");
        assertEquals(ExitCode.CHECKS_FAILED, check.exitCode(), "--check reports rather than refuses:\n" + check);
        assertEquals(before, DevelopmentProject.snapshot(dir));
    }

    @Test
    void theProjectTheCurrentDirectoryAndTheirParentsAreRefused() throws IOException {
        Files.createDirectories(home.resolve(".git/objects"));
        Files.writeString(home.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Map<String, String> before = DevelopmentProject.snapshot(home);
        assertRefused(generate(home, Map.of(), "--out", "."), "it is the project directory");
        assertRefused(generate(home, Map.of(), "--out", ".."), "it contains the project directory");
        assertRefused(generate(home, Map.of(), "--out", ".git/x"), "it is inside a .git directory");
        assertRefused(generate(home, Map.of(), "--out", "state/development"), "it is inside the project's state directory");
        assertRefused(generate(home, Map.of(), "--out", "environments"), "it is inside the project's models");
        Path elsewhere = Files.createDirectories(tmp.resolve("other-repo"));
        Files.createDirectories(elsewhere.resolve(".git"));
        assertRefused(generate(elsewhere, Map.of(), "--out", "."), "it is the current directory");
        assertRefused(generate(home, Map.of(), "--out", "/"), "it is the root directory");
        assertEquals(before, DevelopmentProject.snapshot(home));
    }

    @Test
    void aHomeDirectoryIsRefusedEvenWhenEmpty() throws IOException {
        Path userHome = Files.createDirectories(tmp.resolve("home/alice"));
        assertRefused(generate(home, Map.of("HOME", userHome.toString()), "--out", userHome.toString()), "it is your home directory");
        try (Stream<Path> s = Files.list(userHome)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void aFileOrASymbolicLinkIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "data");
        assertRefused(generate(home, Map.of(), "--out", file.toString()), "it is a file, not a directory");
        assertEquals("data", Files.readString(file));
        Path real = Files.createDirectories(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertRefused(generate(home, Map.of(), "--out", link.toString()), "it is a symbolic link");
        assertRefused(generate(home, Map.of(), "--out", link.resolve("dev").toString()), "the path goes through the symbolic link");
        Files.createSymbolicLink(home.resolve("out"), real);
        assertRefused(generate(home, Map.of()), "the path goes through the symbolic link");
        try (Stream<Path> s = Files.list(real)) {
            assertEquals(0, s.count());
        }
    }

    @Tag("tools")
    @Test
    void aReadOnlyPlaceIsAnInputErrorNotABug() throws Exception {
        // Root ignores permission bits: a read-only file system is the honest test; others get a read-only directory.
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Optional<Tmpfs> mounted = Tmpfs.mount(ro, "ro,size=1m");
        if (mounted.isEmpty()) assertTrue(ro.toFile().setWritable(false, false));
        try {
            CliRun r = generate(home, Map.of(), "--out", ro.resolve("dev").toString());
            assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), r.toString());
            assertTrue(r.err().contains("cannot write") && !r.err().contains("internal error"), r.err());
        } finally {
            if (mounted.isPresent()) mounted.get().close();
            else ro.toFile().setWritable(true, false);
        }
    }

    @Test
    void aSecondRunWaitsForTheFirstOrGivesUp() throws Exception {
        Path out = home.resolve("out/development");
        try (OutputLock held = OutputLock.acquire(out, Duration.ZERO, w -> { })) {
            CliRun r = generate(home, Map.of(), "--lock-timeout", "1");
            assertRefused(r, "another basilica run (process " + ProcessHandle.current().pid() + ") is writing this directory");
            assertFalse(Files.exists(out));
        }
        OutputLock held = OutputLock.acquire(out, Duration.ZERO, w -> { });
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(1500);
                held.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        release.start();
        CliRun r = generate(home, Map.of(), "--lock-timeout", "60");
        release.join();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("waiting for another basilica run"), r.err());
        assertTrue(Files.isRegularFile(out.resolve("MANIFEST.json")));
    }

    @Test
    void stateKeptInsideOutByOlderVersionsMovesToStateOnce() throws IOException {
        assertEquals(0, generate(home, Map.of()).exitCode());
        Path out = home.resolve("out/development");
        Files.writeString(out.resolve("known_hosts"), "dev-local ssh-ed25519 AAAA\n");
        Files.createDirectories(out.resolve("reports/plan"));
        Files.writeString(out.resolve("reports/operations.jsonl"), "{\"command\":\"x\"}\n");
        Files.writeString(out.resolve("reports/plan/report.json"), "{}");
        Files.createDirectories(out.resolve("terraform/.terraform"));
        Files.writeString(out.resolve("terraform/terraform.tfstate"), "{\"serial\": 42}");
        Files.writeString(out.resolve("terraform/.terraform/cache"), "cache");
        Path state = home.resolve("state/development");
        Files.createDirectories(state);
        Files.writeString(state.resolve("known_hosts"), "newer\n"); // already there: the old one must not replace it

        CliRun r = generate(home, Map.of());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("moved out/development/reports/operations.jsonl to state/development/reports/operations.jsonl"), r.err());
        assertEquals("{\"command\":\"x\"}\n", Files.readString(state.resolve("reports/operations.jsonl")));
        assertEquals("{}", Files.readString(state.resolve("reports/plan/report.json")));
        assertEquals("{\"serial\": 42}", Files.readString(state.resolve("terraform/terraform.tfstate")));
        assertEquals("newer\n", Files.readString(state.resolve("known_hosts")));
        assertEquals("dev-local ssh-ed25519 AAAA\n", Files.readString(state.resolve("recovered/out/known_hosts")));
        assertFalse(Files.exists(out.resolve("known_hosts")));
        assertFalse(Files.exists(out.resolve("reports")));
        assertFalse(Files.exists(out.resolve("terraform/terraform.tfstate")));
        assertEquals("cache", Files.readString(out.resolve("terraform/.terraform/cache")), "Terraform's cache is not ours to move");

        CliRun again = generate(home, Map.of());
        assertTrue(again.out().contains("nothing written") && !again.err().contains("moved"), again.toString());
        assertEquals(0, generate(home, Map.of(), "--check").exitCode());
    }
}
