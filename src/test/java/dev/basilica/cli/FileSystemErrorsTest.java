package dev.basilica.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.support.CliRun;
import dev.basilica.support.Repo;
import dev.basilica.support.Tools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
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
    void aReadOnlyAndAFullPlaceKeepTheOldFile() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Tools.onPath("mount"),
                "needs root and mount(8) for a read-only and a full tmpfs");
        for (String options : List.of("ro,size=1m", "size=64k")) {
            Path place = Files.createDirectories(tmp.resolve(options.startsWith("ro") ? "ro" : "full"));
            Path old = place.resolve("schema.json");
            assertEquals(0, Tools.run(tmp, Map.of(), Duration.ofSeconds(20), List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs",
                    place.toString())).exitCode());
            if (!options.startsWith("ro")) Files.writeString(old, "the old schema\n");
            try {
                CliRun r = run("schema", "--output", place.getFileName() + "/schema.json");
                assertRefusedByTheFileSystem(r, old + ": " + (options.startsWith("ro") ? "Read-only file system" : "No space left on device"));
                if (!options.startsWith("ro")) {
                    assertEquals("the old schema\n", Files.readString(old), "the old file keeps its bytes");
                    try (Stream<Path> s = Files.list(place)) {
                        assertEquals(List.of(old), s.toList(), "no temporary file left beside it");
                    }
                }
            } finally {
                Tools.run(tmp, Map.of(), Duration.ofSeconds(20), List.of("umount", place.toString()));
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
