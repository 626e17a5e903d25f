package dev.basilica.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.basilica.emit.Templates;
import dev.basilica.model.ModelLoader;
import dev.basilica.output.OutputTree;
import dev.basilica.output.TreeWriter;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.support.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole generated trees compared file by file with src/test/resources/golden/CASE/. After an intended
 * change, regenerate with {@code mvn test -Dtest=GoldenTreeTest -Dbasilica.golden.update=true} and
 * review the diff before committing it.
 */
class GoldenTreeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "development, environments/development.yaml",
        "staging, environments/staging.yaml",
        "production-example, environments/production.yaml.example",
    })
    void generatedTreeMatchesGolden(String goldenCase, String model) throws Exception {
        Path root = Repo.root();
        ModelLoader.Loaded loaded = ModelLoader.load(root.resolve(model), model);
        OutputTree tree = new Generator(Templates.packaged()).emit(FleetPlanner.plan(loaded));
        SortedMap<String, byte[]> desired = TreeWriter.effectiveTree(Path.of("/nonexistent-out"), tree, f -> true,
                new TreeWriter.ManifestInfo("test", loaded.environment().name(), model, loaded.sha256()));
        Path golden = root.resolve("src/test/resources/golden").resolve(goldenCase);

        if (Boolean.getBoolean("basilica.golden.update")) {
            TreeWriter.write(golden, desired);
            return;
        }
        TreeWriter.Diff diff = TreeWriter.diff(golden, desired);
        if (diff.isEmpty()) return;
        List<String> report = new ArrayList<>();
        diff.added().forEach(p -> report.add("not in golden: " + p));
        diff.removed().forEach(p -> report.add("only in golden: " + p));
        for (String p : diff.changed()) {
            report.add("differs: " + p);
            String expected = Files.readString(golden.resolve(p), StandardCharsets.UTF_8);
            String actual = new String(desired.get(p), StandardCharsets.UTF_8);
            report.add(firstDifference(expected, actual));
        }
        fail("generated tree for " + model + " differs from golden/" + goldenCase
                + " (regenerate with -Dbasilica.golden.update=true and review the diff):\n" + String.join("\n", report));
    }

    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<end of file>";
            String al = i < a.length ? a[i] : "<end of file>";
            if (!el.equals(al)) return "  line " + (i + 1) + ":\n    golden:    " + el + "\n    generated: " + al;
        }
        assertEquals(expected, actual);
        return "";
    }
}
