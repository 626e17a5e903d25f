package dev.basilica.emit.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.model.ModelLoader;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.report.Check;
import dev.basilica.report.Report;
import dev.basilica.report.Status;
import dev.basilica.report.render.ReportFormat;
import dev.basilica.support.AnsibleRun;
import dev.basilica.support.CliRun;
import dev.basilica.support.GeneratedOut;
import dev.basilica.support.Tools;
import dev.basilica.testfleet.HostSpec;
import dev.basilica.testfleet.TestFleet;
import dev.basilica.testfleet.TestHost;
import dev.basilica.livecheck.LiveCheckOptions;
import dev.basilica.livecheck.LiveChecks;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated Ansible converged for real on three booted hosts (validator with monitoring, miner,
 * executor), each in its own network namespace with CAP_NET_ADMIN so ufw really filters, installing
 * only from the test fleet's local repository through the model's apt mirror (the air-gapped path).
 * Stand-in binaries load the generated TOML with the real loaders' rules and listen where it says.
 *
 * <p>In order: first contact (known-hosts.yml), {@code site.yml --check --diff} on the fresh hosts, the first
 * converge by {@code basilica provision all} (every phase, then the live checks), a second converge that must change nothing (with the firewall already on, so it
 * also shows the controller is not locked out), then from this machine: the services' ports, the
 * validator's /health, every metrics endpoint, SSH, and a listening port the model does not open,
 * which must be unreachable. Last, a rolling update to an executor binary that never starts must stop
 * at the health gate with the executor back on its previous binary; then {@code basilica validate} (see
 * {@link #validateFindsExactlyWhatBroke}). The NVIDIA driver and Docker are
 * switched off through the model ({@code packages.install_*: false}): there is no GPU and no Docker
 * daemon in these hosts.
 */
@Tag("integration")
class AnsibleConvergeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The development key "Bob": a valid SS58 address for managing_miner_hotkey. */
    private static final String MINER_SS58 = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
    private static final int UNMODELLED_PORT = 8999;
    private static final String CONVERGE_SECRET = "converge-test-secret-not-the-default";

    @Test
    void siteConvergesIdempotentlyAndTheFirewallHolds(@TempDir Path work) throws Exception {
        Tools.assume("ansible-playbook", "ansible");
        try (TestFleet fleet = TestFleet.builder()
                .host(HostSpec.named("validator").capability("CAP_NET_ADMIN"))
                .host(HostSpec.named("miner").capability("CAP_NET_ADMIN"))
                .host(HostSpec.named("executor").capability("CAP_NET_ADMIN"))
                .host(HostSpec.named("executor-2").capability("CAP_NET_ADMIN"))
                .host(HostSpec.named("executor-3").capability("CAP_NET_ADMIN"))
                .bootTimeout(Duration.ofMinutes(4))
                .startOrSkip()) {
            Path project = work.resolve("project");
            Path out = project.resolve("out/converge");
            Path state = project.resolve("state/converge");
            Files.createDirectories(project.resolve("environments"));
            Path model = project.resolve("environments/converge.yaml");
            Files.writeString(model, model(fleet, work, List.of("executor", "executor-2")));
            GeneratedOut.write(model, "environments/converge.yaml", out);
            Path ansible = out.resolve("ansible");

            AnsibleRun first = playbook(ansible, "known-hosts.yml");
            first.assertOk();
            assertEquals(4, Files.readAllLines(state.resolve("known_hosts")).size(), "one key per host in the managed known_hosts");

            AnsibleRun check = playbook(ansible, "site.yml", "--check", "--diff");
            check.assertOk();

            // The first converge as an operator runs it: every phase, ending with the live checks.
            CliRun all = CliRun.run(project, project, cliEnvironment(), "provision", "all", "--env", "converge", "--no-generate");
            assertEquals(0, all.exitCode(), "provision all:\n" + all);
            for (String phase : List.of("servers", "configure", "deploy", "start", "validate")) {
                assertTrue(all.out().lines().anyMatch(l -> l.strip().matches(phase + " +done .*")), phase + " done:\n" + all.out());
            }
            int changed = 0;
            for (String p : List.of("servers", "configure", "deploy", "start")) {
                for (int c : AnsibleRun.changedByHost(state.resolve("reports/ansible-" + p + ".json")).values()) changed += c;
            }
            assertTrue(changed > 0, "the first converge changed nothing?");
            assertTrue(Files.isRegularFile(state.resolve("reports/validate.json")), "provision all wrote the validation report");
            List<String> log = Files.readAllLines(state.resolve("reports/operations.jsonl"));
            JsonNode entry = JSON.readTree(log.get(log.size() - 1));
            assertEquals("basilica provision all --env converge --no-generate", entry.path("command").asText());
            assertEquals("ok", entry.path("outcome").asText());

            AnsibleRun again = playbook(ansible, "site.yml");
            again.assertOk();
            assertEquals(Map.of("executor", 0, "executor-2", 0, "miner", 0, "validator", 0), again.changedByHost(),
                    "second converge must change nothing; changed tasks:\n" + again.changedTasks());

            TestHost validator = fleet.host("validator");
            TestHost miner = fleet.host("miner");
            TestHost executor = fleet.host("executor");
            for (TestHost h : List.of(validator, miner, executor)) {
                String unit = "basilica-" + h.name() + ".service";
                assertEquals("active", h.ssh("systemctl is-active " + unit).stdout().strip(), unit + " on " + h.name());
                assertTrue(h.ssh("ufw status").stdout().contains("Status: active"), "ufw on " + h.name());
                assertTrue(reachable(h.address(), 9100), "node exporter on " + h.name());
            }
            assertTrue(reachable(validator.address(), 8080), "validator API");
            assertTrue(reachable(miner.address(), 8092), "miner gRPC");
            assertTrue(reachable(executor.address(), 50051), "executor gRPC");
            assertEquals(200, get("http://" + validator.address() + ":8080/health").statusCode());
            for (var metrics : Map.of(validator.address(), 9090, miner.address(), 9091, executor.address(), 9092).entrySet()) {
                HttpResponse<String> r = get("http://" + metrics.getKey() + ":" + metrics.getValue() + "/metrics");
                assertEquals(200, r.statusCode());
                assertTrue(r.body().contains("_standin_up 1"), r.body());
            }
            assertTrue(get("http://" + validator.address() + ":9095/-/ready").statusCode() == 200, "Prometheus ready");

            // A port the model does not open: listening on the host, unreachable from outside.
            executor.ssh("systemd-run --unit=unmodelled python3 -m http.server " + UNMODELLED_PORT).orThrow();
            executor.ssh("for i in $(seq 50); do (echo > /dev/tcp/127.0.0.1/" + UNMODELLED_PORT + ") 2>/dev/null && exit 0; sleep 0.1; done; exit 1")
                    .orThrow();
            assertFalse(reachable(executor.address(), UNMODELLED_PORT), "port " + UNMODELLED_PORT + " is not in the model");
            assertEquals(0, executor.ssh("true").exitCode(), "SSH still works");

            // Re-running the firewall with ufw already enforcing does not lock the controller out.
            AnsibleRun firewallAgain = playbook(ansible, "servers.yml", "--tags", "firewall");
            firewallAgain.assertOk();
            assertEquals(0, firewallAgain.changed(), firewallAgain.changedTasks());
            assertEquals(0, validator.ssh("true").exitCode());

            // A rolling update whose new executor binary never comes up: the batch fails its health gate,
            // goes back to the previous binary, and the update stops before the miners and validators.
            Path executorArtifact = work.resolve("bin/executor");
            byte[] good = Files.readAllBytes(executorArtifact);
            String goodSum = executor.ssh("sha256sum /opt/basilica/bin/executor").orThrow().stdout().split(" ")[0];
            executable(executorArtifact, "#!/bin/sh\necho 'broken build' >&2\nexit 1\n".getBytes(StandardCharsets.UTF_8));
            AnsibleRun broken = playbook(ansible, "rolling-update.yml");
            assertTrue(broken.result().exitCode() != 0, "a batch that fails its health gate must fail the update");
            assertTrue(broken.failedTasks().contains("Stop the update"), broken.failedTasks());
            assertEquals(goodSum, executor.ssh("sha256sum /opt/basilica/bin/executor").orThrow().stdout().split(" ")[0],
                    "the executor must be back on the previous binary");
            assertEquals("active", executor.ssh("systemctl is-active basilica-executor.service").stdout().strip());
            assertTrue(reachable(executor.address(), 50051), "executor serves again on the previous binary");

            executable(executorArtifact, good);
            AnsibleRun fixed = playbook(ansible, "rolling-update.yml");
            fixed.assertOk();

            // One restart per change: the role's handlers are registered once per play, so an updated
            // executor starts exactly once (not once per import of the role), and a second update right
            // after the first is not stopped by StartLimitBurst.
            for (int update = 1; update <= 2; update++) {
                int before = starts(executor);
                int minerBefore = starts(fleet.host("miner"));
                executable(executorArtifact, (new String(good, StandardCharsets.UTF_8) + "\n# update " + update + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                AnsibleRun updated = playbook(ansible, "rolling-update.yml");
                updated.assertOk();
                assertEquals(1, starts(executor) - before, "update " + update + ": the executor started exactly once");
                assertEquals(0, starts(fleet.host("miner")) - minerBefore, "update " + update + ": the unchanged miner did not restart");
                assertEquals("active", executor.ssh("systemctl is-active basilica-executor.service").stdout().strip());
            }

            validateFindsExactlyWhatBroke(project, fleet, ansible, model);
            changesReachTheHostsTheyAffect(project, fleet, ansible, model, work);
        }
    }

    /**
     * The everyday changes of docs/operations.md, each with its one command: adding an executor
     * ({@code provision all --changed --first-contact} after adding it to the model) converges the new host,
     * its miner (new config, exactly one restart) and the monitoring host (Prometheus scrapes it), and no
     * other host; a full configure afterwards changes nothing anywhere. Removing it ({@code provision all
     * --changed}) converges the miner and the monitoring host alone. A hand-edited config fails
     * {@code validate}, and the fix it names makes it pass.
     */
    private static void changesReachTheHostsTheyAffect(Path project, TestFleet fleet, Path ansible, Path model, Path work) throws Exception {
        Map<String, String> environment = cliEnvironment();
        Path state = project.resolve("state/converge");
        TestHost miner = fleet.host("miner");
        TestHost validator = fleet.host("validator");
        String newAddress = fleet.host("executor-3").address();

        // Add an executor.
        Files.writeString(model, model(fleet, work, List.of("executor", "executor-2", "executor-3")));
        int minerStarts = starts(miner);
        CliRun add = CliRun.run(project, project, environment, "provision", "all", "--env", "converge", "--changed", "--first-contact");
        assertEquals(0, add.exitCode(), "provision all --changed after adding executor-3:\n" + add);
        assertTrue(add.err().contains("--changed: 3 hosts are affected by changes since what was applied, and converged:"), add.err());
        assertTrue(add.err().contains("  executor-3: no record that this machine ever applied its configuration"), add.err());
        assertTrue(add.err().lines().anyMatch(l -> l.startsWith("  miner: ") && l.contains("configs/miner/miner.toml")), add.err());
        assertTrue(add.err().lines().anyMatch(l -> l.startsWith("  validator: ") && l.contains("monitoring/prometheus/prometheus.yml")),
                add.err());
        Map<String, Integer> changed = AnsibleRun.changedByHost(state.resolve("reports/ansible-configure.json"));
        assertEquals(List.of("executor-3", "miner", "validator"), List.copyOf(changed.keySet()), "only the affected hosts ran");
        for (String h : List.of("executor-3", "miner", "validator")) assertTrue(changed.get(h) > 0, h + " changed: " + changed);
        assertEquals(1, starts(miner) - minerStarts, "the miner restarted exactly once for its new executor");
        assertTrue(miner.ssh("cat /etc/basilica/miner.toml").orThrow().stdout().contains(newAddress), "the miner knows executor-3");
        assertEquals("active", fleet.host("executor-3").ssh("systemctl is-active basilica-executor.service").stdout().strip());
        assertTrue(scrapes(validator, newAddress + ":9092"), "Prometheus scrapes the new executor");

        // Nothing else was stale: configuring every host now changes nothing anywhere.
        AnsibleRun everything = playbook(ansible, "configure.yml");
        everything.assertOk();
        assertEquals(Map.of("executor", 0, "executor-2", 0, "executor-3", 0, "miner", 0, "validator", 0), everything.changedByHost(),
                "after the add, every host is current:\n" + everything.changedTasks());

        // Remove it again: its miner and the monitoring host follow, nothing else runs.
        CliRun stop = CliRun.run(project, project, environment, "manage", "stop", "executor", "--env", "converge", "--limit", "executor-3");
        assertEquals(0, stop.exitCode(), "manage stop executor --limit executor-3:\n" + stop);
        Files.writeString(model, model(fleet, work, List.of("executor", "executor-2")));
        minerStarts = starts(miner);
        CliRun remove = CliRun.run(project, project, environment, "provision", "all", "--env", "converge", "--changed");
        assertEquals(0, remove.exitCode(), "provision all --changed after removing executor-3:\n" + remove);
        assertEquals(List.of("miner", "validator"), List.copyOf(AnsibleRun.changedByHost(state.resolve("reports/ansible-configure.json")).keySet()));
        assertEquals(1, starts(miner) - minerStarts, "the miner restarted exactly once without its executor");
        assertFalse(miner.ssh("cat /etc/basilica/miner.toml").orThrow().stdout().contains(newAddress), "the miner forgot executor-3");
        CliRun nothing = CliRun.run(project, project, environment, "provision", "all", "--env", "converge", "--changed", "--no-generate");
        assertEquals(0, nothing.exitCode(), nothing.toString());
        assertTrue(nothing.err().contains("nothing to converge"), nothing.err());

        // Drift: a hand-edited config is a failed check naming the file and the fix; the fix makes it pass.
        miner.ssh("echo '# edited by hand' >> /etc/basilica/miner.toml").orThrow();
        CliRun drifted = CliRun.run(project, project, environment, "validate", "all", "--env", "converge", "--report");
        assertEquals(1, drifted.exitCode(), "validate with a hand-edited miner.toml:\n" + drifted);
        JsonNode report = JSON.readTree(state.resolve("reports/validate.json").toFile());
        JsonNode drift = null;
        for (JsonNode c : report.path("checks")) {
            if (c.path("status").asText().equals("fail") && c.path("host").asText().equals("miner")
                    && (c.path("title").asText() + c.path("evidence").asText()).contains("/etc/basilica/miner.toml")) {
                drift = c;
            }
        }
        assertTrue(drift != null, "a failed check names /etc/basilica/miner.toml:\n" + drifted.out());
        assertTrue(drift.path("remediation").asText().contains("basilica provision configure --apply --env converge --limit miner"),
                drift.toString());
        CliRun fix = CliRun.run(project, project, environment, "provision", "configure", "--apply", "--env", "converge", "--limit", "miner");
        assertEquals(0, fix.exitCode(), "the fix:\n" + fix);
        CliRun fixed = CliRun.run(project, project, environment, "validate", "all", "--env", "converge");
        assertEquals(0, fixed.exitCode(), "validate after the fix:\n" + fixed);
    }

    /** Whether Prometheus on {@code monitoring} lists {@code target} among its active targets (it reloads on its own time). */
    private static boolean scrapes(TestHost monitoring, String target) throws Exception {
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = get("http://" + monitoring.address() + ":9095/api/v1/targets?state=active");
            if (r.statusCode() == 200 && r.body().contains("\"" + target + "\"")) return true;
            Thread.sleep(1000);
        }
        return false;
    }

    /** How often systemd started the host's Basilica units in this boot, from the journal. */
    private static int starts(TestHost host) throws Exception {
        String out = host.ssh("journalctl -b -o cat -u 'basilica-*.service' | grep -c '^Started basilica-' || true").orThrow().stdout();
        return Integer.parseInt(out.strip());
    }

    /**
     * {@code basilica validate all --report} on the converged fleet passes; with the miner stopped and the
     * executor's gRPC port blocked, exactly the checks about those fail, each naming its host and a fix;
     * after starting the miner again (start.yml, what {@code manage start} runs) and lifting the block, it
     * passes again.
     */
    private static void validateFindsExactlyWhatBroke(Path project, TestFleet fleet, Path ansible, Path model) throws Exception {
        Map<String, String> environment = cliEnvironment();
        CliRun ok = CliRun.run(project, project, environment, "validate", "all", "--env", "converge", "--report", "--verbose");
        assertEquals(0, ok.exitCode(), "validate on the converged fleet:\n" + ok);
        for (String f : List.of("validate.txt", "validate.json", "validate.xml", "validate.md", "validate.html")) {
            assertTrue(Files.isRegularFile(project.resolve("state/converge/reports/" + f)), f);
        }
        JsonNode saved = JSON.readTree(project.resolve("state/converge/reports/validate.json").toFile());
        boolean scanned = false;
        for (JsonNode c : saved.path("checks")) {
            if (c.path("id").asText().equals("security.out.no-secrets")) scanned = c.path("status").asText().equals("pass");
        }
        assertTrue(scanned, "the generated tree was scanned for the miner's JWT secret and it is not there");

        TestHost miner = fleet.host("miner");
        TestHost executor = fleet.host("executor");
        miner.ssh("systemctl stop basilica-miner.service").orThrow();
        executor.ssh("iptables -I INPUT -p tcp --dport 50051 -j DROP").orThrow();
        Fleet planned = FleetPlanner.plan(ModelLoader.load(model, "environments/converge.yaml"));
        Report broken = LiveChecks.run(planned, project.resolve("out/converge"), project.resolve("state/converge"), environment, LiveCheckOptions.defaults());
        Files.writeString(Path.of("target/validate-broken-report.txt"), ReportFormat.TEXT.render(broken, false));
        // Real collect.yml output from booted hosts, kept for unit tests of the evaluation.
        Files.writeString(Path.of("target/validate-collect-broken.json"), playbook(ansible, "collect.yml").result().stdout());
        Map<String, Check> failed = new java.util.TreeMap<>();
        broken.with(Status.FAIL).forEach(c -> failed.put(c.id(), c));
        assertEquals(List.of(
                        "network.executor.open.50051",
                        "network.miner.open.8092",
                        "network.miner.open.9091",
                        "network.miner.path.executor.50051",
                        "network.validator.path.executor.50051",
                        "network.validator.path.miner.8092",
                        "services.miner.miner.metrics",
                        "services.miner.miner.unit"),
                List.copyOf(failed.keySet()), ReportFormat.TEXT.render(broken, false));
        assertEquals("miner", failed.get("services.miner.miner.unit").host());
        assertTrue(failed.get("services.miner.miner.unit").remediation().contains("basilica manage start miner --env converge"));
        assertEquals("executor", failed.get("network.executor.open.50051").host());
        assertTrue(failed.get("network.executor.open.50051").remediation().contains("basilica network firewall --env converge"));
        assertTrue(failed.get("network.validator.path.miner.8092").remediation().contains("basilica manage start miner --env converge"));

        CliRun down = CliRun.run(project, project, environment, "manage", "status", "miner", "--env", "converge");
        assertEquals(1, down.exitCode(), "manage status with the miner stopped:\n" + down);
        CliRun start = CliRun.run(project, project, environment, "manage", "start", "miner", "--env", "converge");
        assertEquals(0, start.exitCode(), "manage start miner:\n" + start);
        executor.ssh("iptables -D INPUT -p tcp --dport 50051 -j DROP").orThrow();
        CliRun up = CliRun.run(project, project, environment, "manage", "status", "--env", "converge");
        assertEquals(0, up.exitCode(), "manage status after the repair:\n" + up);
        CliRun again = CliRun.run(project, project, environment, "validate", "all", "--env", "converge");
        assertEquals(0, again.exitCode(), "validate after the repair:\n" + again);
    }

    /** The environment the basilica commands run with: this process's, plus the miner's secret, no colour. */
    private static Map<String, String> cliEnvironment() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("CONVERGE_MINER_JWT_SECRET", CONVERGE_SECRET);
        environment.put("NO_COLOR", "1");
        return environment;
    }

    private static String model(TestFleet fleet, Path work, List<String> executors) throws IOException {
        Path bin = Files.createDirectories(work.resolve("bin"));
        byte[] standin;
        try (InputStream in = AnsibleConvergeIT.class.getResourceAsStream("/standins/basilica-standin.py")) {
            standin = in.readAllBytes();
        }
        for (String name : List.of("validator", "miner", "executor")) {
            executable(bin.resolve(name), standin);
        }
        for (String name : List.of("validator-binary", "executor-binary")) {
            executable(bin.resolve(name), ("#!/bin/sh\necho '{\"" + name + "\": \"stand-in\"}'\n").getBytes(StandardCharsets.UTF_8));
        }
        Path wallets = Files.createDirectories(work.resolve("wallets"));
        for (String name : List.of("validator", "miner")) {
            Files.writeString(wallets.resolve(name), "{\"secretPhrase\": \"stand-in " + name + " hotkey\"}\n");
        }
        Map<String, String> v = new HashMap<>();
        for (TestHost h : fleet.hosts()) v.put(h.name(), h.address());
        TestHost any = fleet.host("validator");
        String key = any.privateKey().toString();
        String subnet = fleet.subnet();
        return String.join("\n",
                "apiVersion: basilica.dev/v1alpha1",
                "kind: Environment",
                "name: converge",
                "tier: staging",
                "chain: { network: test, netuid: 387 }",
                "hosts:",
                "  - { name: validator, address: " + v.get("validator") + ", roles: [validator, monitoring], ssh: { user: root, key: " + key + " } }",
                "  - { name: miner, address: " + v.get("miner") + ", roles: [miner], ssh: { user: root, key: " + key + " } }",
                executors.stream().map(e -> "  - { name: " + e + ", address: " + v.get(e) + ", roles: [executor], ssh: { user: root, key: "
                        + key + " } }").collect(java.util.stream.Collectors.joining("\n")),
                "wallets:",
                "  validator: { name: converge_validator, hotkey_file: { file: " + wallets.resolve("validator") + " } }",
                "  miner: { name: converge_miner, hotkey_file: { file: " + wallets.resolve("miner") + " }, hotkey_ss58: " + MINER_SS58 + " }",
                "services:",
                "  miner: { jwt_secret: { env: CONVERGE_MINER_JWT_SECRET } }",
                "artifacts:",
                "  validator: { file: " + bin.resolve("validator") + " }",
                "  miner: { file: " + bin.resolve("miner") + " }",
                "  executor: { file: " + bin.resolve("executor") + " }",
                "  validator_binary: { file: " + bin.resolve("validator-binary") + " }",
                "  executor_binary: { file: " + bin.resolve("executor-binary") + " }",
                "packages:",
                "  apt_mirror: { url: \"" + fleet.repositoryUrl() + "\", suites: [\"./\"], trusted: true }",
                "  install_docker: false",
                "  install_nvidia_driver: false",
                "  install_nvidia_toolkit: false",
                "monitoring: { enabled: true, grafana: false }",
                "firewall:",
                "  enabled: true",
                "  ssh_sources: [" + subnet + "]",
                "  api_sources: [" + subnet + "]",
                "  validator_sources: [" + subnet + "]",
                "  metrics_sources: [" + subnet + "]",
                "rolling_update: { settle_secs: 2, health_timeout_secs: 15 }",
                "");
    }

    private static void executable(Path p, byte[] content) throws IOException {
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 3000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static AnsibleRun playbook(Path ansible, String playbook, String... args) throws IOException {
        return AnsibleRun.run(ansible, Map.of("CONVERGE_MINER_JWT_SECRET", CONVERGE_SECRET), Duration.ofMinutes(20), playbook, args);
    }
}
