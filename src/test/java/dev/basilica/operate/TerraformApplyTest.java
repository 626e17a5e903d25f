package dev.basilica.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.report.terraform.TerraformPlan;
import dev.basilica.support.CliRun;
import dev.basilica.support.LoopbackNamespace;
import dev.basilica.support.Repo;
import dev.basilica.support.Tools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code basilica plan} then {@code basilica apply}, and the terraform phase of {@code provision all}, with the real terraform on a hand-written configuration of
 * the built-in {@code terraform_data} resource (no provider to download) in place of the generated one. Every
 * terraform command runs in a network namespace with nothing but loopback: the {@code terraform} that the
 * commands find on PATH is a wrapper that enters it. {@code provision all} runs the real ansible-playbook on small
 * local-connection playbooks in the generated ones' places.
 */
@Tag("tools")
class TerraformApplyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENV = "development";

    @TempDir
    Path work;
    private Path project;
    private Path config;
    private Path state;
    private Map<String, String> environment;
    private LoopbackNamespace ns;

    @BeforeEach
    void setUp() throws Exception {
        Path terraform = LoopbackNamespace.onPath("terraform");
        Assumptions.assumeTrue(terraform != null, "skipped: no terraform on PATH");
        ns = LoopbackNamespace.create();
        project = Files.createDirectories(work.resolve("project"));
        Files.createDirectories(project.resolve("environments"));
        Files.copy(Repo.path("environments/" + ENV + ".yaml"), project.resolve("environments/" + ENV + ".yaml"));
        config = Files.createDirectories(project.resolve("out/" + ENV + "/terraform"));
        state = project.resolve("state/" + ENV);
        writeConfig("v1");
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path wrapper = bin.resolve("terraform");
        Files.writeString(wrapper, "#!/bin/sh\nexec " + LoopbackNamespace.onPath("ip") + " netns exec " + ns.name() + " " + terraform
                + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path rc = Files.writeString(work.resolve("terraform.rc"), "provider_installation {\n  direct {\n"
                + "    exclude = [\"registry.terraform.io/*/*\"]\n  }\n}\n");
        environment = new HashMap<>(Map.of("PATH", bin + ":/usr/local/bin:/usr/bin:/bin", "HOME", work.toString(),
                "TF_CLI_CONFIG_FILE", rc.toString(), "CHECKPOINT_DISABLE", "1", "NO_COLOR", "1", "USER", "alice", "HOSTNAME", "ops-1"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ns != null) ns.close();
    }

    /** One resource, named as a firewall would be; changing {@code trigger} replaces it. */
    private void writeConfig(String trigger) throws Exception {
        Files.writeString(config.resolve("main.tf"), "terraform {\n  backend \"local\" {}\n}\n\n"
                + "resource \"terraform_data\" \"firewall\" {\n  triggers_replace = \"" + trigger + "\"\n  input = \"" + trigger + "\"\n}\n");
    }

    private CliRun cli(String... args) {
        return CliRun.run(project, project, environment, args);
    }

    private CliRun plan() {
        CliRun r = cli("plan", "--env", ENV, "--no-ansible");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(Files.isRegularFile(state.resolve("terraform/basilica.tfplan.record.json")), r.toString());
        return r;
    }

    private String resourceId() throws Exception {
        Path f = state.resolve("terraform/terraform.tfstate");
        if (!Files.exists(f) || Files.size(f) == 0) return null;
        JsonNode s = JSON.readTree(Files.readString(f));
        for (JsonNode res : s.path("resources")) return res.path("instances").path(0).path("attributes").path("id").asText();
        return null;
    }

    private List<String> log() throws Exception {
        return Files.readAllLines(state.resolve("reports/operations.jsonl"));
    }

    @Test
    void appliesTheSavedPlanOnceAndReportsIt() throws Exception {
        CliRun none = cli("apply", "--env", ENV);
        assertEquals(2, none.exitCode(), none.toString());
        assertTrue(none.err().contains("there is no saved plan"), none.err());

        plan();
        CliRun dry = cli("apply", "--env", ENV, "--dry-run");
        assertEquals(0, dry.exitCode(), dry.toString());
        assertTrue(dry.out().contains("terraform apply -input=false -no-color -lock=true -lock-timeout=60s"), dry.out());
        assertEquals(null, resourceId(), "a dry run applies nothing");

        CliRun apply = cli("apply", "--env", ENV);
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.err().contains("== terraform apply (terraform "), apply.err());
        assertTrue(apply.err().contains("terraform_data.firewall: Creation complete"), "progress streams: " + apply.err());
        assertTrue(resourceId() != null, "the resource is in the state");
        JsonNode report = JSON.readTree(Files.readString(state.resolve("reports/apply/report.json")));
        assertTrue(report.toString().contains("terraform apply succeeded"), report.toPrettyString());
        assertTrue(Files.readString(state.resolve("reports/terraform-apply.log")).contains("Apply complete!"));
        JsonNode entry = JSON.readTree(log().get(log().size() - 1));
        assertEquals("basilica apply --env development", entry.get("command").asText());
        assertEquals("ok", entry.get("outcome").asText());
        assertEquals("alice@ops-1", entry.get("operator").asText());

        CliRun again = cli("apply", "--env", ENV);
        assertEquals(2, again.exitCode(), "an applied plan is spent: " + again);
    }

    @Test
    void refusesAPlanWhoseConfigurationChanged() throws Exception {
        plan();
        writeConfig("v2");
        CliRun apply = cli("apply", "--env", ENV);
        assertEquals(1, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("The saved plan is stale"), apply.out());
        assertTrue(apply.out().contains("configuration file main.tf changed since the plan"), apply.out());
        assertEquals(null, resourceId(), "nothing applied");
        assertEquals("failed", JSON.readTree(log().get(log().size() - 1)).get("outcome").asText());
    }

    @Test
    void refusesAPlanWhoseStateChanged() throws Exception {
        plan();
        Path saved = Files.createDirectories(work.resolve("saved"));
        for (String f : List.of("basilica.tfplan", "basilica.tfplan.record.json")) {
            Files.copy(state.resolve("terraform/" + f), saved.resolve(f));
        }
        plan();
        assertEquals(0, cli("apply", "--env", ENV).exitCode());
        String id = resourceId();
        for (String f : List.of("basilica.tfplan", "basilica.tfplan.record.json")) {
            Files.copy(saved.resolve(f), state.resolve("terraform/" + f), StandardCopyOption.REPLACE_EXISTING);
        }
        CliRun apply = cli("apply", "--env", ENV);
        assertEquals(1, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("the state changed since the plan (planned against no state, now serial 1"), apply.out());
        assertEquals(id, resourceId());
    }

    @Test
    void aReplacedFirewallNeedsAllowDestroy() throws Exception {
        plan();
        assertEquals(0, cli("apply", "--env", ENV).exitCode());
        String before = resourceId();
        writeConfig("v2");
        plan();
        // terraform_data stands in for a firewall: the same checks, on its type instead of a cloud's firewall types.
        Function<TerraformPlan, List<Check>> asFirewall = p -> p.changes().stream()
                .filter(c -> c.destructive() && c.type().equals("terraform_data"))
                .map(c -> Check.of("terraform.destroys." + c.address(), null, Category.TERRAFORM, Status.FAIL,
                        "Plan replaces firewall resource " + c.address(), List.of(), null))
                .toList();
        StringWriter out = new StringWriter();
        Operation.Outcome refused = new TerraformApply(operation(out), asFirewall).run(false, Duration.ofSeconds(10));
        assertEquals(Operation.Outcome.CHECKS_FAILED, refused, out.toString());
        assertTrue(out.toString().contains("The plan deletes or replaces a firewall or network; nothing was applied"), out.toString());
        assertTrue(out.toString().contains("--allow-destroy"), out.toString());
        assertEquals(before, resourceId(), "nothing applied");

        StringWriter out2 = new StringWriter();
        Operation.Outcome allowed = new TerraformApply(operation(out2), asFirewall).run(true, Duration.ofSeconds(10));
        assertEquals(Operation.Outcome.OK, allowed, out2.toString());
        assertTrue(out2.toString().contains("(allowed with --allow-destroy)"), out2.toString());
        assertNotEquals(before, resourceId(), "replaced");
    }

    @Test
    void waitsForTheStateLockAndGivesUpAfterTheTimeout() throws Exception {
        plan();
        // Held as another terraform run holds it (the local backend): a lock on the state file, and who holds it beside.
        Path tfstate = state.resolve("terraform/terraform.tfstate");
        Path info = state.resolve("terraform/.terraform.tfstate.lock.info");
        try (FileChannel ch = FileChannel.open(tfstate, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.lock();
            Files.writeString(info, "{\"ID\":\"5f1c0e2a\",\"Operation\":\"OperationTypeApply\",\"Info\":\"\",\"Who\":\"bob@ops-2\","
                    + "\"Version\":\"1.11.4\",\"Created\":\"2026-01-01T00:00:00Z\",\"Path\":\"" + tfstate + "\"}");
            CliRun refused = cli("apply", "--env", ENV, "--lock-timeout", "1");
            assertEquals(1, refused.exitCode(), refused.toString());
            assertTrue(refused.out().contains("The state is locked by another run; nothing was applied"), refused.toString());
            assertTrue(refused.out().contains("bob@ops-2"), "says who holds it: " + refused);
            assertEquals(null, resourceId());
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(3000);
                    Files.delete(info);
                    lock.release();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();
            long start = System.nanoTime();
            CliRun waited = cli("apply", "--env", ENV, "--lock-timeout", "60");
            release.join();
            assertEquals(0, waited.exitCode(), waited.toString());
            assertTrue(System.nanoTime() - start > 2_000_000_000L, "it waited for the lock");
        }
        assertTrue(resourceId() != null);
    }

    @Test
    void refusesALimitAndAModelWithoutTerraform() throws Exception {
        CliRun limited = cli("apply", "--env", ENV, "--limit", "somehost");
        assertEquals(2, limited.exitCode(), limited.toString());
        Files.delete(config.resolve("main.tf"));
        CliRun none = cli("apply", "--env", ENV);
        assertEquals(2, none.exitCode(), none.toString());
        assertTrue(none.err().contains("has no Terraform configuration"), none.err());
    }

    /** out/development/ansible/ with local-connection playbooks (no collect.yml: the live checks fail at once). */
    private void localPlaybooks() throws Exception {
        Tools.assume("ansible-playbook", "ansible");
        Path a = project.resolve("out/" + ENV + "/ansible");
        Files.createDirectories(a.resolve("inventory"));
        Files.writeString(a.resolve("ansible.cfg"), "[defaults]\ninventory = inventory/hosts.yml\nretry_files_enabled = False\n"
                + "gathering = explicit\nlocal_tmp = " + work.resolve("tmp") + "\n");
        Files.writeString(a.resolve("inventory/hosts.yml"), "all:\n  hosts:\n    box:\n      ansible_connection: local\n"
                + "      ansible_python_interpreter: /usr/bin/python3\n");
        for (String p : List.of("servers", "configure", "deploy", "start", "validate")) {
            Files.writeString(a.resolve(p + ".yml"), "- name: Phase " + p + "\n  hosts: all\n  gather_facts: false\n  tasks:\n"
                    + "    - name: Do it\n      ansible.builtin.debug: { msg: done }\n");
        }
    }

    /** The phase table's rows, PHASE STATE TIME DETAIL, by phase. */
    private static Map<String, String> phases(CliRun r) {
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        r.out().lines().filter(l -> l.startsWith("  ") && !l.startsWith("  PHASE")).map(String::strip)
                .forEach(l -> rows.put(l.split(" +", 2)[0], l.split(" +", 2)[1]));
        return rows;
    }

    private JsonNode lastLogged() throws Exception {
        return JSON.readTree(log().get(log().size() - 1));
    }

    @Test
    void provisionAllAppliesTheSavedPlanFirstThenRunsThePlaybooks() throws Exception {
        localPlaybooks();
        plan();
        CliRun r = cli("provision", "all", "--env", ENV, "--no-generate");
        // The live checks fail (this project has no collect.yml); every phase before them ran.
        assertEquals(1, r.exitCode(), r.toString());
        Map<String, String> rows = phases(r);
        assertEquals(List.of("terraform", "servers", "configure", "deploy", "start", "validate"), List.copyOf(rows.keySet()), r.out());
        assertTrue(rows.get("terraform").matches("done +\\d+s +applied the saved plan of .*; report in state/development/reports/apply/"),
                rows.toString());
        for (String p : List.of("servers", "configure", "deploy", "start")) assertTrue(rows.get(p).startsWith("done "), rows.toString());
        assertTrue(r.err().indexOf("terraform_data.firewall: Creation complete") < r.err().indexOf("PLAY Phase servers"),
                "applied before the hosts: " + r.err());
        assertTrue(resourceId() != null, "applied");
        assertFalse(Files.exists(state.resolve("terraform/basilica.tfplan")), "the plan is spent");
        JsonNode entry = lastLogged();
        assertEquals("basilica provision all --env development --no-generate", entry.get("command").asText());
        assertEquals("done", entry.get("phases").get("terraform").asText());
        assertEquals("failed", entry.get("phases").get("validate").asText());
    }

    @Test
    void provisionAllWithoutASavedPlanGoesOnWhenTerraformHasNoChanges() throws Exception {
        localPlaybooks();
        plan();
        assertEquals(0, cli("apply", "--env", ENV).exitCode());
        String id = resourceId();
        CliRun r = cli("provision", "all", "--env", ENV, "--no-generate", "--limit", "box");
        assertTrue(phases(r).get("terraform").matches("skipped +- +--limit selects hosts, .*'basilica apply --env development'"), r.out());
        assertEquals(0, r.exitCode(), "a skipped phase fails nothing: " + r);

        CliRun all = cli("provision", "all", "--env", ENV, "--no-generate");
        Map<String, String> rows = phases(all);
        assertTrue(rows.get("terraform").matches("done +\\d+s +no changes"), all.toString());
        assertTrue(rows.get("start").startsWith("done "), rows.toString());
        assertTrue(all.err().contains("terraform plan -detailed-exitcode"), all.err());
        assertEquals(id, resourceId());
        assertFalse(Files.exists(state.resolve("terraform/basilica.tfplan")), "no plan saved");
    }

    @Test
    void provisionAllStopsBeforeTheHostsWhenTerraformHasChangesNobodyReviewed() throws Exception {
        localPlaybooks();
        CliRun r = cli("provision", "all", "--env", ENV, "--no-generate");
        assertEquals(1, r.exitCode(), r.toString());
        Map<String, String> rows = phases(r);
        assertTrue(rows.get("terraform").matches("failed +\\d+s +Terraform has changes nobody has reviewed: run 'basilica plan --env "
                + "development', read it, then run this again"), rows.toString());
        for (String p : List.of("servers", "configure", "deploy", "start", "validate")) {
            assertTrue(rows.get(p).matches("not run +-"), rows.toString());
        }
        assertFalse(r.err().contains("PLAY "), "no playbook ran: " + r.err());
        assertTrue(r.err().contains("terraform_data.firewall will be created"), "the changes stream: " + r.err());
        assertEquals(null, resourceId(), "nothing applied");
        assertFalse(Files.exists(state.resolve("terraform/basilica.tfplan")), "no plan saved that could be applied");
        assertEquals("not run", lastLogged().get("phases").get("servers").asText());
    }

    @Test
    void provisionAllRefusesAStaleSavedPlanAndCanLeaveTerraformOut() throws Exception {
        localPlaybooks();
        plan();
        writeConfig("v2");
        CliRun r = cli("provision", "all", "--env", ENV, "--no-generate");
        assertEquals(1, r.exitCode(), r.toString());
        Map<String, String> rows = phases(r);
        assertTrue(rows.get("terraform").startsWith("failed"), rows.toString());
        assertTrue(rows.get("terraform").contains("The saved plan is stale; nothing was applied"), rows.toString());
        assertTrue(r.out().contains("configuration file main.tf changed since the plan"), r.out());
        assertTrue(rows.get("servers").matches("not run +-"), rows.toString());
        assertEquals(null, resourceId(), "nothing applied");

        CliRun skipped = cli("provision", "all", "--env", ENV, "--no-generate", "--no-terraform");
        Map<String, String> rows2 = phases(skipped);
        assertTrue(rows2.get("terraform").matches("skipped +- +--no-terraform: the cloud firewalls were left as they are"), rows2.toString());
        assertTrue(rows2.get("start").startsWith("done "), rows2.toString());
        assertEquals(null, resourceId(), "still nothing applied");
        assertEquals("skipped", lastLogged().get("phases").get("terraform").asText());
    }

    @Test
    void provisionAllDryRunShowsTheTerraformCommands() throws Exception {
        CliRun check = cli("provision", "all", "--env", ENV, "--no-generate", "--dry-run", "--lock-timeout", "5");
        assertEquals(0, check.exitCode(), check.toString());
        assertTrue(check.out().contains("  terraform init -input=false -no-color -backend-config=path=../../../state/development/terraform/"
                + "terraform.tfstate\n  terraform plan -input=false -no-color -lock-timeout=5s -detailed-exitcode\n"), check.out());
        assertTrue(check.out().indexOf("terraform plan") < check.out().indexOf("ansible-playbook servers.yml"), check.out());
        plan();
        CliRun apply = cli("provision", "all", "--env", ENV, "--no-generate", "--dry-run");
        assertTrue(apply.out().contains("  terraform apply -input=false -no-color -lock=true -lock-timeout=60s "
                + "../../../state/development/terraform/basilica.tfplan\n"), apply.out());
        CliRun limited = cli("provision", "all", "--env", ENV, "--no-generate", "--dry-run", "--limit", "box");
        assertTrue(limited.out().contains("Would skip the terraform phase: --limit selects hosts"), limited.out());
        assertEquals(null, resourceId(), "a dry run applies nothing");
    }

    private Operation operation(StringWriter out) {
        PrintWriter o = new PrintWriter(out, true);
        return new Operation(new Operation.Settings(() -> ENV, n -> project.resolve("out/" + n), n -> project.resolve("state/" + n),
                project, p -> project.relativize(p.toAbsolutePath()).toString(), environment, o, o,
                List.of("apply", "--env", ENV), null, false, Duration.ofMinutes(5)));
    }
}
