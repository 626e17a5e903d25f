package dev.basilica.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.support.CliRun;
import dev.basilica.support.Repo;
import dev.basilica.support.Tmpfs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command whose file the file system refuses (a file where a directory must be, a read-only or a full place)
 * exits 2 with the path and the system's reason, never as an internal error, and an existing file keeps its
 * bytes. Errors that are not the file system's stay internal errors.
 */
class FileSystemErrorsTest {

    @TempDir
    Path tmp;

    private CliRun run(String... args) {
        return CliRun.run(Repo.root(), tmp, Map.of(), args);
    }

    private static void assertRefusedByTheFileSystem(CliRun r, String pathAndReason) {
        assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), r.toString());
        assertTrue(r.err().contains("basilica: " + pathAndReason + " (the file system's answer"), r.err());
        assertFalse(r.err().contains("internal error"), r.err());
    }

    @Test
    void aFileWhereADirectoryMustGo() throws IOException {
        Path file = Files.writeString(tmp.resolve("afile"), "mine\n");
        assertRefusedByTheFileSystem(run("schema", "--output", "afile/schema.json"), file + ": a file is already there");
        assertRefusedByTheFileSystem(run("bench", "model", "--executors", "3", "--output", "afile/m.yaml"),
                file + ": a file is already there");
        assertEquals("mine\n", Files.readString(file));
    }

    @Tag("tools")
    @Test
    void aReadOnlyPlace() throws Exception {
        try (Tmpfs ro = Tmpfs.mountOrSkip(tmp.resolve("ro"), "ro,size=1m")) {
            assertRefusedByTheFileSystem(run("schema", "--output", "ro/schema.json"), ro.dir().resolve("schema.json") + ": Read-only file system");
        }
    }

    @Tag("tools")
    @Test
    void aFullPlaceKeepsTheOldFileAndLeavesNoTemporaryOne() throws Exception {
        try (Tmpfs full = Tmpfs.mountOrSkip(tmp.resolve("full"), "size=64k")) {
            Path old = Files.writeString(full.dir().resolve("schema.json"), "the old schema\n");
            assertRefusedByTheFileSystem(run("schema", "--output", "full/schema.json"), old + ": No space left on device");
            assertEquals("the old schema\n", Files.readString(old), "the old file keeps its bytes");
            try (Stream<Path> s = Files.list(full.dir())) {
                assertEquals(List.of(old), s.toList(), "no temporary file left beside it");
            }
        }
    }

    @Test
    void otherErrorsStayInternalErrors() {
        Context ctx = new Context(new Workspace(tmp, tmp), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of());
        assertTrue(Main.fileSystemProblem(new IllegalStateException("a bug"), ctx).isEmpty());
        assertTrue(Main.fileSystemProblem(new IOException("Stream closed"), ctx).isEmpty());
        assertEquals("No space left on device", Main.fileSystemProblem(new java.io.UncheckedIOException(
                new IOException("No space left on device")), ctx).orElseThrow());
    }
}
