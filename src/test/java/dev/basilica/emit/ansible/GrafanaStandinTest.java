package dev.basilica.emit.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.basilica.support.Tools;
import dev.basilica.testfleet.Exec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana stand-in's YAML reader (src/test/resources/standins/grafana-standin.py, used by
 * {@link GrafanaConvergeIT}) reads every generated provisioning file of the golden cases as a YAML parser
 * does, so the converge test's datasource and dashboard checks rest on what the emitter writes; and it
 * refuses what it does not understand instead of guessing.
 */
@Tag("tools")
class GrafanaStandinTest {

    private static final String READ = "import json, runpy, sys; m = runpy.run_path(sys.argv[1]);"
            + " print(json.dumps([m['parse_yaml'](open(f, encoding='utf-8').read()) for f in sys.argv[2:]]))";

    @TempDir
    Path work;

    @Test
    void readsEveryGeneratedProvisioningFileAsYamlDoes() throws Exception {
        Tools.assume("python3", "python3");
        Path standin = standin();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("src/test/resources/golden"))) {
            files = walk.filter(p -> p.toString().contains("/monitoring/grafana/provisioning/") && p.toString().endsWith(".yml"))
                    .sorted().toList();
        }
        assertFalse(files.isEmpty(), "golden cases with Grafana provisioning");
        Stream.Builder<String> command = Stream.<String>builder().add("python3").add("-c").add(READ).add(standin.toString());
        files.forEach(f -> command.add(f.toString()));
        JsonNode read = new ObjectMapper().readTree(Exec.run(Duration.ofSeconds(30), command.build().toList()).orThrow().stdout());
        YAMLMapper yaml = new YAMLMapper();
        for (int i = 0; i < files.size(); i++) {
            assertEquals(yaml.readTree(files.get(i).toFile()), read.get(i), files.get(i).toString());
        }
    }

    @Test
    void refusesYamlOutsideItsSubset() throws Exception {
        Tools.assume("python3", "python3");
        Path standin = standin();
        for (String text : List.of("a: &x 1\nb: *x\n", "a:\n  b: 1\n c: 2\n", "a: \"open\n", "a: 1\na: 2\n", "a: {b: 1}\n")) {
            Path f = Files.writeString(work.resolve("bad.yml"), text);
            Exec.Result r = Exec.run(Duration.ofSeconds(30), "python3", "-c", READ, standin.toString(), f.toString());
            assertNotEquals(0, r.exitCode(), "refused: " + text + " -> " + r.stdout());
        }
    }

    private Path standin() throws Exception {
        Path file = work.resolve("grafana-standin.py");
        try (InputStream in = GrafanaStandinTest.class.getResourceAsStream("/standins/grafana-standin.py")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }
}
