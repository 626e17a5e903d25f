package dev.basilica.emit.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.support.CliRun;
import dev.basilica.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code basilica plan --no-ansible} with the real terraform on the AWS test model, the whole CLI run in a
 * network namespace that has only loopback (providers from the local mirror, placeholder credentials from
 * {@code examples/ci/offline_override.tf}): init, plan, show -json, the report and the operation log.
 */
@Tag("tools")
class PlanCommandTerraformTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void planRunsTerraformInAutomationAndReportsTheChanges(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue(TerraformCli.planUnavailable().isEmpty(), () -> "skipped: " + TerraformCli.planUnavailable().orElse(""));
        Path project = Files.createDirectories(work.resolve("project"));
        Path model = project.resolve("aws.yaml");
        Files.copy(TerraformTestSupport.model("aws"), model);
        CliRun gen = CliRun.run(project, "generate", "--file", "aws.yaml", "--only", "terraform");
        assertEquals(0, gen.exitCode(), gen.toString());
        Path out;
        try (Stream<Path> s = Files.list(project.resolve("out"))) {
            out = s.findFirst().orElseThrow();
        }
        Files.copy(TerraformTestSupport.repo().resolve("examples/ci/offline_override.tf"), out.resolve("terraform/offline_override.tf"));

        Path nsDir = Files.createDirectories(work.resolve("ns"));
        try (TerraformCli tf = TerraformCli.open(nsDir, true)) {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", tf.namespace(),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                    "dev.basilica.cli.Main", "plan", "--file", "aws.yaml", "--no-ansible"));
            Tools.Result r = Tools.run(project, Map.of("BASILICA_HOME", project.toString(), "TF_CLI_CONFIG_FILE",
                    nsDir.resolve("terraform.rc").toString(), "AWS_EC2_METADATA_DISABLED", "true", "NO_COLOR", "1"), Duration.ofMinutes(8), cmd);
            assertEquals(0, r.exitCode(), r.output());
            assertTrue(r.stderr().contains("== terraform plan (terraform "), r.stderr());
            assertTrue(r.stdout().contains("terraform"), r.stdout());
            String env = project.relativize(out).getFileName().toString();
            assertTrue(r.stdout().contains("Wrote state/" + env + "/reports/plan/"), r.stdout());
        }
        Path state = project.resolve("state").resolve(out.getFileName());
        JsonNode plan = JSON.readTree(Files.readString(state.resolve("reports/terraform-plan.json")));
        assertTrue(plan.has("format_version") && plan.path("resource_changes").size() > 0, "terraform show -json of the saved plan");
        // Everything Terraform wrote is state, outside the generated tree.
        assertTrue(Files.exists(state.resolve("terraform/basilica.tfplan")));
        assertTrue(Files.isDirectory(state.resolve("terraform/.terraform")), "TF_DATA_DIR under state/");
        assertFalse(Files.exists(out.resolve("terraform/.terraform")), "nothing of Terraform's in out/");
        assertFalse(Files.exists(out.resolve("terraform/basilica.tfplan")));
        JsonNode report = JSON.readTree(Files.readString(state.resolve("reports/plan/report.json")));
        assertTrue(report.toString().contains("terraform"), report.toPrettyString());
        for (String f : List.of("junit.xml", "report.md", "report.html")) assertTrue(Files.exists(state.resolve("reports/plan/" + f)), f);
        List<String> log = Files.readAllLines(state.resolve("reports/operations.jsonl"));
        assertEquals(1, log.size());
        JsonNode entry = JSON.readTree(log.get(0));
        assertEquals("basilica plan --file aws.yaml --no-ansible", entry.get("command").asText());
        assertEquals("ok", entry.get("outcome").asText());
    }
}
