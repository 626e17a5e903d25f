package dev.basilica.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.basilica.support.CliRun;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that are not model files, or are far too large, end with exit 2 and a message that says why, quickly
 * and in bounded memory: never an OutOfMemoryError, never a hang on a FIFO, never exit 4.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BoundedInputTest {

    private static final Path DEV_ZERO = Path.of("/dev/zero");

    private static void assertRefused(CliRun run, String expected) {
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertEquals(expected, run.err().strip(), run.toString());
        assertEquals("", run.out());
    }

    @Test
    void generateRefusesACharacterDevice(@TempDir Path home) {
        assumeTrue(Files.exists(DEV_ZERO), "no /dev/zero here");
        assertRefused(CliRun.run(home, "generate", "--file", "/dev/zero", "--out", "generated"),
                "zero: not a regular file (a character device); give a model file\n1 error in the model; nothing was written.");
    }

    @Test
    void generateRefusesAFifoWithoutOpeningIt(@TempDir Path home) throws Exception {
        Path fifo = home.resolve("model.yaml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
        // Nothing ever writes to it: opening it for reading would block for ever.
        assertRefused(CliRun.run(home, "generate", "--file", "model.yaml", "--out", "generated"),
                "model.yaml: not a regular file (a FIFO); give a model file\n1 error in the model; nothing was written.");
    }

    @Test
    void envCheckRefusesADirectory(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("models"));
        assertRefused(CliRun.run(home, "env", "check", "--file", "models"),
                "models: a directory, not a file; give a model file\n1 error in the model; fix them and run again.");
    }

    @Test
    void aModelOverTheCapIsRefusedBeforeItIsRead(@TempDir Path home) throws Exception {
        Path big = home.resolve("big.yaml");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(100L * 1024 * 1024); // sparse: 100 MB that take no disk
        }
        try {
            assertRefused(CliRun.run(home, "generate", "--file", "big.yaml", "--out", "generated"),
                    "big.yaml: too large: 104857600 bytes; at most 67108864 bytes are read (set BASILICA_MAX_INPUT_BYTES to "
                    + "raise the limit)\n1 error in the model; nothing was written.");
        } finally {
            Files.delete(big);
        }
    }

    @Test
    void reportRefusesACharacterDevice(@TempDir Path home) {
        assumeTrue(Files.exists(DEV_ZERO), "no /dev/zero here");
        assertRefused(CliRun.run(home, "report", "--terraform-plan", "/dev/zero"),
                "/dev/zero: not a regular file (a character device); give the file a tool wrote\n1 input error; no report was made.");
    }

    @Test
    void reportRefusesAFileOverTheCap(@TempDir Path home) throws Exception {
        Path big = home.resolve("plan.json");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(100L * 1024 * 1024);
        }
        try {
            assertRefused(CliRun.run(home, "report", "--terraform-plan", "plan.json"),
                    "plan.json: too large: 104857600 bytes; at most 67108864 bytes are read (set BASILICA_MAX_INPUT_BYTES "
                    + "to raise the limit)\n1 input error; no report was made.");
        } finally {
            Files.delete(big);
        }
    }

    @Test
    void bytesThatAreNotUtf8AreNamedWhereTheyAre(@TempDir Path home) throws Exception {
        byte[] text = "apiVersion: basilica.dev/v1alpha1\nkind: Environment\nname: caf\u00e9-x\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(home.resolve("latin1.yaml"), text);
        assertRefused(CliRun.run(home, "env", "check", "--file", "latin1.yaml"),
                "latin1.yaml:3:10: the file is not valid UTF-8: byte 0xe9 at byte offset 61 cannot start or continue a character "
                + "(saved as Latin-1, Windows-1252 or UTF-16?); save it as UTF-8\n1 error in the model; fix them and run again.");
    }

    @Test
    void aByteOrderMarkIsAccepted(@TempDir Path home) throws Exception {
        byte[] model = Files.readAllBytes(Path.of(System.getProperty("basilica.repo", ".")).resolve("environments/development.yaml"));
        byte[] withBom = new byte[model.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(model, 0, withBom, 3, model.length);
        Files.write(home.resolve("bom.yaml"), withBom);
        CliRun run = CliRun.run(home, "env", "check", "--file", "bom.yaml");
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
    }

    @Test
    void aOneMegabyteValueIsRefusedAndShownShort(@TempDir Path home) throws Exception {
        String model = Files.readString(Path.of(System.getProperty("basilica.repo", ".")).resolve("environments/development.yaml"));
        String huge = "w".repeat(1024 * 1024);
        Files.writeString(home.resolve("huge.yaml"), model.replace("name: dev_validator", "name: " + huge));
        CliRun run = CliRun.run(home, "env", "check", "--file", "huge.yaml");
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode());
        String first = run.err().lines().findFirst().orElseThrow();
        assertTrue(first.matches("huge\\.yaml:\\d+:\\d+: wallets\\.validator\\.name: 'w{60}… \\(1048576 characters\\)' is not valid: "
                + "it is 1048576 characters long; at most 64; expected a wallet or hotkey name .*"), first);
        assertTrue(run.err().length() < 2000, "the value is not echoed: " + run.err().length() + " characters");
    }

    /** In a JVM with a 512 MB heap, /dev/zero, a FIFO without a writer and a 100 MB file end at once with exit 2. */
    @Test
    void aSmallHeapSurvivesDevZeroAFifoAndAHugeFile(@TempDir Path home) throws Exception {
        assumeTrue(Files.exists(DEV_ZERO), "no /dev/zero here");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path fifo = home.resolve("model.fifo");
        boolean haveFifo = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        Path huge = home.resolve("huge.yaml");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(100L << 20); // sparse: no disk used
        }
        List<List<String>> cases = new java.util.ArrayList<>(List.of(List.of("generate", "--file", "/dev/zero"),
                List.of("report", "--terraform-plan", "/dev/zero"), List.of("env", "check", "--file", "-"),
                List.of("generate", "--file", huge.toString()), List.of("report", "--terraform-plan", huge.toString())));
        if (haveFifo) cases.add(List.of("generate", "--file", fifo.toString()));
        for (List<String> args : cases) {
            // Its own JVM with a small heap, on the test classpath (no jar needed before 'package').
            List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    "dev.basilica.cli.Main"));
            command.addAll(args);
            // Standard input is /dev/zero too: '-' reads it, with the same cap.
            Process p = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                    .redirectInput(DEV_ZERO.toFile()).start();
            assertTrue(p.waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS), args + " did not end");
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, p.exitValue(), args + ": " + output);
            String expected = args.contains("-") ? "too large: more than 67108864 bytes on standard input"
                    : args.contains(huge.toString()) ? "too large: 104857600 bytes; at most 67108864 bytes are read"
                    : args.contains(fifo.toString()) ? "not a regular file (a FIFO)"
                    : "not a regular file (a character device)";
            assertTrue(output.contains(expected), args + ": " + output);
        }
    }
}
