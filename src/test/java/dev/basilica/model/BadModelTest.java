package dev.basilica.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.cli.Context;
import dev.basilica.cli.Main;
import dev.basilica.cli.Workspace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code src/test/resources/bad-models/} is a complete model with one kind of mistake. Its
 * first comment lines say exactly which errors the loader must report, in order:
 * {@code # EXPECT: bad-models/NAME.yaml:LINE:COL: message}.
 */
class BadModelTest {

    private static final String EXPECT = "# EXPECT: ";

    static Path fixtureDir() throws URISyntaxException {
        return Path.of(BadModelTest.class.getResource("/bad-models").toURI());
    }

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(fixtureDir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    static List<String> expected(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith(EXPECT)) out.add(line.substring(EXPECT.length()));
        }
        return out;
    }

    private static String read(String name) throws IOException, URISyntaxException {
        return Files.readString(fixtureDir().resolve(name), StandardCharsets.UTF_8);
    }

    private static List<String> errors(ModelException e) {
        return e.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::format).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void reportsExactlyTheExpectedErrors(String name) throws Exception {
        String text = read(name);
        List<String> expected = expected(text);
        assertFalse(expected.isEmpty(), name + " has no '" + EXPECT + "' lines");
        ModelException e = assertThrows(ModelException.class, () -> ModelLoader.parse(text, "bad-models/" + name),
                name + " was accepted");
        assertEquals(String.join("\n", expected), String.join("\n", errors(e)), "errors reported for " + name);
    }

    @Test
    void thereAreEnoughFixtures() throws Exception {
        assertTrue(fixtures().count() >= 20, "at least 20 bad models");
    }

    /** All errors of a file come at once, sorted by position, not only the first. */
    @Test
    void severalErrorsAreAllReportedInOrder() throws Exception {
        String text = read("several-errors.yaml");
        List<String> got = errors(assertThrows(ModelException.class, () -> ModelLoader.parse(text, "bad-models/several-errors.yaml")));
        assertTrue(got.size() >= 5, "expected every error, got " + got);
        int lastLine = 0;
        int lastColumn = 0;
        for (String line : got) {
            String[] parts = line.split(":", 4);
            int l = Integer.parseInt(parts[1]);
            int c = Integer.parseInt(parts[2]);
            assertTrue(l > lastLine || (l == lastLine && c >= lastColumn), "not sorted by position: " + got);
            lastLine = l;
            lastColumn = c;
        }
    }

    /** The fixtures start from the shipped models; those must be valid, or a fixture's errors would mix. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedModels")
    void shippedModelsAreValid(String file) throws Exception {
        Path repo = Path.of(System.getProperty("basilica.repo", "."));
        String text = Files.readString(repo.resolve(file), StandardCharsets.UTF_8);
        var loaded = ModelLoader.parse(text, file);
        assertTrue(loaded.warnings().stream().noneMatch(Diagnostic::isError));
    }

    static Stream<String> shippedModels() {
        return Stream.of("environments/development.yaml", "environments/staging.yaml", "environments/production.yaml.example");
    }

    /** Through the CLI: exit 2, every error on stderr, and nothing written, not even the output directory. */
    @Test
    void generateRejectsABadModelAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("home");
        Path model = home.resolve("bad-models/several-errors.yaml");
        Files.createDirectories(model.getParent());
        String text = read("several-errors.yaml");
        Files.writeString(model, text, StandardCharsets.UTF_8);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Context ctx = new Context(new Workspace(home, home), new PrintWriter(out), new PrintWriter(err), Map.of());

        int code = Main.run(new String[] {"generate", "--file", "bad-models/several-errors.yaml", "--out", "generated"}, ctx);

        assertEquals(2, code, err.toString());
        List<String> expected = new ArrayList<>(expected(text));
        expected.add(expected.size() + " errors in the model; nothing was written.");
        // Warnings are printed beside the errors; the errors, in order, are what this test is about.
        String errors = err.toString().strip().lines().filter(l -> !l.contains(": warning: "))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(String.join("\n", expected), errors);
        assertEquals("", out.toString());
        assertFalse(Files.exists(home.resolve("generated")), "the output directory was created");
        try (Stream<Path> all = Files.walk(tmp)) {
            assertEquals(List.of(model), all.filter(Files::isRegularFile).toList(), "files besides the model");
        }
    }
}
