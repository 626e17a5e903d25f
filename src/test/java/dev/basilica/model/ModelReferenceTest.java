package dev.basilica.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.cli.Context;
import dev.basilica.cli.Main;
import dev.basilica.cli.Workspace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;

/** docs/model.md and schema/environment.schema.json are what the schema in the code renders, byte for byte. */
class ModelReferenceTest {

    private static final String BUILD = "mvn -B -q package -DskipTests && java -jar target/basilica.jar ";

    private static Path repo() {
        return Path.of(System.getProperty("basilica.repo", "."));
    }

    private static String read(String file) throws Exception {
        return Files.readString(repo().resolve(file), StandardCharsets.UTF_8);
    }

    @Test
    void docsCarryTheCurrentReference() throws Exception {
        String doc = read("docs/model.md");
        String section = ModelReference.section(doc).orElseThrow(() -> new AssertionError(
                "docs/model.md lacks the lines " + ModelReference.BEGIN + " and " + ModelReference.END));
        assertEquals(ModelReference.render(), section,
                "docs/model.md is out of date with the schema; regenerate it: " + BUILD + "schema --format markdown --output docs/model.md");
    }

    @Test
    void docsNameEverySchemaPath() throws Exception {
        String doc = read("docs/model.md");
        List<String> missing = new ArrayList<>();
        for (String path : EnvironmentSchema.root().paths("")) {
            if (!doc.contains("`" + path + "`")) missing.add(path);
        }
        assertEquals(List.of(), missing, "paths not documented in docs/model.md");
        assertEquals(EnvironmentSchema.root().paths(""), ModelReference.rows().stream().map(ModelReference.Row::path).toList());
    }

    @Test
    void committedJsonSchemaIsCurrent() throws Exception {
        assertEquals(JsonSchemaWriter.render(), read("schema/environment.schema.json"),
                "schema/environment.schema.json is out of date; regenerate it: " + BUILD + "schema --output schema/environment.schema.json");
    }

    /** Every field has an example, and each example, as printed, is a valid value of its field. */
    @Test
    void everyExampleIsValidForItsField() {
        List<String> problems = new ArrayList<>();
        for (ModelReference.Row row : ModelReference.rows()) {
            String example = ModelReference.exampleYaml(row.field());
            if (example == null) {
                problems.add(row.path() + ": no example");
                continue;
            }
            YamlTree.YamlNode value = ((YamlTree.Mapping) YamlTree.composeAll(example, new LoaderOptions()).get(0)).values.get(0);
            var result = ModelBinder.bind("example", value, row.field().type());
            result.diagnostics().forEach(d -> problems.add(row.path() + ": " + example + " -> " + d.message()));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void schemaCommandPrintsBothFormats(@TempDir Path tmp) {
        assertEquals(JsonSchemaWriter.render(), run(tmp, 0, "schema"));
        assertEquals(ModelReference.render(), run(tmp, 0, "schema", "--format", "markdown"));
        run(tmp, 2, "schema", "--format", "yaml");
    }

    @Test
    void markdownOutputReplacesOnlyTheGeneratedSection(@TempDir Path tmp) throws Exception {
        Path doc = tmp.resolve("model.md");
        Files.writeString(doc, "# Intro\n\n" + ModelReference.BEGIN + "\nstale\n" + ModelReference.END + "\n\nOutro\n");
        run(tmp, 0, "schema", "--format", "markdown", "--output", "model.md");
        assertEquals("# Intro\n\n" + ModelReference.BEGIN + "\n" + ModelReference.render() + ModelReference.END + "\n\nOutro\n",
                Files.readString(doc));

        Path plain = tmp.resolve("plain.md");
        Files.writeString(plain, "handwritten\n");
        run(tmp, 2, "schema", "--format", "markdown", "--output", "plain.md");
        assertEquals("handwritten\n", Files.readString(plain), "a document without markers is never overwritten");
    }

    private static String run(Path dir, int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new Context(new Workspace(dir, dir), new PrintWriter(out), new PrintWriter(err), Map.of()));
        assertEquals(expectedCode, code, err.toString());
        if (expectedCode != 0) assertEquals("", out.toString(), "a refused run prints nothing on standard output");
        return out.toString();
    }
}
