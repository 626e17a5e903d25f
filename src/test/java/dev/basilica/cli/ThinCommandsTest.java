package dev.basilica.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.operate.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Commands stay thin (jib-cli style): a command parses flags, calls one use case and maps the outcome to an
 * exit code. So no file in {@code cli/} grows past 150 lines, and none runs a tool itself: the use cases in
 * {@code operate/}, {@code generate/}, {@code validate/} do, through {@code run/ToolRunner}.
 */
class ThinCommandsTest {

    private static final Path CLI = Path.of("src/main/java/dev/basilica/cli");
    private static final int MOST_LINES = 150;
    /** What running a tool looks like in Java source. */
    private static final List<String> RUNS_A_TOOL = List.of("ToolRunner", "ProcessBuilder", "Runtime.getRuntime().exec",
            "org.apache.commons.exec");

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.list(CLI)) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            assertTrue(list.size() > 10, "the cli sources are found from the project directory: " + list);
            return list;
        }
    }

    @Test
    void noCommandIsLongerThan150Lines() throws IOException {
        List<String> long_ = new ArrayList<>();
        for (Path p : sources()) {
            long n = Files.readAllLines(p).size();
            if (n > MOST_LINES) long_.add(p.getFileName() + " (" + n + " lines)");
        }
        assertEquals(List.of(), long_, "move the workflow into its package's use case, or a subcommand into its own file");
    }

    @Test
    void noCommandRunsAToolItself() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path p : sources()) {
            String text = Files.readString(p);
            for (String s : RUNS_A_TOOL) if (text.contains(s)) found.add(p.getFileName() + ": " + s);
        }
        assertEquals(List.of(), found, "a command calls a use case; the use case runs the tool");
    }

    @Test
    void everyOperationOutcomeHasItsExitCode() {
        for (Operation.Outcome o : Operation.Outcome.values()) {
            assertEquals(o.logged(), ExitCode.of(o), "the operation log records the exit code the command returns: " + o);
        }
    }
}
