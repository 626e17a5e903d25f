package dev.basilica.report.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.report.Check;
import dev.basilica.report.Report;
import dev.basilica.report.Status;
import dev.basilica.report.render.ReportFormat;
import dev.basilica.report.terraform.TerraformPlan.Counts;
import dev.basilica.report.terraform.TerraformPlan.ResourceChange;
import dev.basilica.support.LoopbackNamespace;
import dev.basilica.support.LoopbackNamespace.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Terraform: applies a configuration of built-in {@code terraform_data} resources with local state,
 * changes it, and reads what {@code show -json} and {@code plan -json} say about the change. Runs in a
 * network namespace with only loopback, with a CLI configuration that installs providers from a local
 * mirror only. Skips with a message where terraform or namespaces are missing.
 */
@Tag("integration")
class TerraformLiveTest {

    private static final String SECRET_V1 = "tok-v1-DO-NOT-LEAK-7f3a";
    private static final String SECRET_V2 = "tok-v2-DO-NOT-LEAK-9c1e";

    private static final String V1 = """
            variable "token" {
              type      = string
              sensitive = true
              default   = "%s"
            }

            resource "terraform_data" "updated" {
              input = "v1"
            }

            resource "terraform_data" "replaced" {
              triggers_replace = "v1"
            }

            resource "terraform_data" "replaced_create_first" {
              triggers_replace = "v1"
              lifecycle {
                create_before_destroy = true
              }
            }

            resource "terraform_data" "deleted" {
              input = "goes away"
            }

            resource "terraform_data" "secret" {
              input = var.token
            }

            output "token" {
              value     = var.token
              sensitive = true
            }
            """.formatted(SECRET_V1);

    private static final String V2 = V1.replace(SECRET_V1, SECRET_V2)
            .replace("input = \"v1\"", "input = \"v2\"")
            .replace("triggers_replace = \"v1\"", "triggers_replace = \"v2\"")
            .replace("""
                    resource "terraform_data" "deleted" {
                      input = "goes away"
                    }
                    """, """
                    resource "terraform_data" "created" {
                      input = "new"
                    }
                    """);

    @TempDir
    Path dir;

    @Test
    void realPlanOfUpdatesReplacementsDeletesAndSensitiveValues() throws Exception {
        Assumptions.assumeTrue(LoopbackNamespace.onPath("terraform") != null, "skipped: terraform is not on PATH");
        Path mirror = Files.createDirectories(dir.resolve("mirror"));
        Files.writeString(dir.resolve("cli.tfrc"), """
                provider_installation {
                  filesystem_mirror {
                    path = "%s"
                  }
                }
                """.formatted(mirror));
        Path work = Files.createDirectories(dir.resolve("work"));
        Map<String, String> env = Map.of("CHECKPOINT_DISABLE", "1", "TF_IN_AUTOMATION", "1",
                "TF_CLI_CONFIG_FILE", dir.resolve("cli.tfrc").toString(), "TF_INPUT", "0");
        String show;
        String planLog;
        try (LoopbackNamespace ns = LoopbackNamespace.create()) {
            Files.writeString(work.resolve("main.tf"), V1);
            ok(ns.run(work, env, 120, "terraform", "init", "-no-color"));
            ok(ns.run(work, env, 120, "terraform", "apply", "-auto-approve", "-no-color"));
            Files.writeString(work.resolve("main.tf"), V2);
            ok(ns.run(work, env, 120, "terraform", "plan", "-no-color", "-out=tfplan"));
            show = ok(ns.run(work, env, 120, "terraform", "show", "-json", "tfplan")).stdout();
            planLog = ok(ns.run(work, env, 120, "terraform", "plan", "-json")).stdout();
        }
        assertTrue(show.contains(SECRET_V1) && show.contains(SECRET_V2),
                "terraform show -json carries sensitive values unredacted; that is what masking must handle");

        TerraformPlan plan = TerraformPlanParser.parse(show, "show.json");
        assertEquals(new Counts(1, 2, 2, 1, 0, 0, 0), plan.counts(), plan.changes().toString());
        Map<String, ResourceChange> byAddress = plan.changes().stream()
                .collect(Collectors.toMap(ResourceChange::address, Function.identity()));
        assertEquals(PlanAction.REPLACE, byAddress.get("terraform_data.replaced").action());
        assertEquals(List.of("delete", "create"), byAddress.get("terraform_data.replaced").actions());
        assertFalse(byAddress.get("terraform_data.replaced").createBeforeDestroy());
        assertEquals(List.of("create", "delete"), byAddress.get("terraform_data.replaced_create_first").actions());
        assertTrue(byAddress.get("terraform_data.replaced_create_first").createBeforeDestroy());
        assertEquals(PlanAction.DELETE, byAddress.get("terraform_data.deleted").action());
        assertEquals(PlanAction.UPDATE, byAddress.get("terraform_data.secret").action());
        assertEquals(PlanAction.UPDATE, byAddress.get("terraform_data.updated").action());
        var input = byAddress.get("terraform_data.secret").attributes().stream().filter(a -> a.name().equals("input")).findFirst();
        assertTrue(input.isPresent(), byAddress.get("terraform_data.secret").attributes().toString());
        assertEquals(SensitiveValues.SENSITIVE, input.get().before());
        assertEquals(SensitiveValues.SENSITIVE, input.get().after());
        var token = plan.outputs().stream().filter(o -> o.name().equals("token")).findFirst().orElseThrow();
        assertTrue(token.sensitive());

        List<Check> checks = new ArrayList<>(TerraformChecks.of(plan));
        Map<String, Check> byId = checks.stream().collect(Collectors.toMap(Check::id, Function.identity()));
        assertEquals("Plan: 1 to create, 2 to update, 2 to replace, 1 to delete", byId.get("terraform.plan").title());
        Check other = byId.get("terraform.destroys-other");
        assertEquals(Status.WARN, other.status(), "terraform_data is no firewall: a warning, not a failure");
        assertEquals(3, other.evidence().size(), other.evidence().toString());
        assertTrue(checks.stream().noneMatch(c -> c.id().startsWith("terraform.destroys.")));

        TerraformPlanLog log = TerraformPlanLogParser.parse(planLog, "plan.log");
        assertNotNull(log.summary());
        assertEquals(3, log.summary().add());
        assertEquals(2, log.summary().change());
        assertEquals(3, log.summary().remove());
        assertEquals(List.of("token"), log.outputs());
        checks.addAll(TerraformChecks.of(log));

        Report report = Report.of("live", List.of("show.json", "plan.log"), checks);
        for (ReportFormat f : ReportFormat.values()) {
            String rendered = f.render(report, true);
            assertFalse(rendered.contains(SECRET_V1) || rendered.contains(SECRET_V2), f + " leaks a sensitive value:\n" + rendered);
        }
    }

    private static Result ok(Result r) {
        assertEquals(0, r.exitCode(), "terraform failed:\n" + r.stdout() + r.stderr());
        return r;
    }
}
