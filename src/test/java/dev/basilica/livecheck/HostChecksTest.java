package dev.basilica.livecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.model.ModelLoader;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.support.Repo;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Evaluation of real {@code collect.yml} output. The fixture is the playbook run for real against this
 * development machine with a local connection (no systemd as PID 1, no Basilica installed, Docker client
 * without a daemon; its process list trimmed to four lines), so nearly everything must fail, each naming
 * the host and a fix.
 */
class HostChecksTest {

    static String fixture(String name) throws Exception {
        try (InputStream in = HostChecksTest.class.getResourceAsStream("/validate/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Fleet development() throws Exception {
        return FleetPlanner.plan(ModelLoader.load(Repo.root().resolve("environments/development.yaml"), "environments/development.yaml"));
    }

    @Test
    void readsEveryCollectedFact() throws Exception {
        Map<String, HostFacts> facts = HostFacts.parse(fixture("collect-local-nosystemd.json"), "collect.json");
        HostFacts f = facts.get("dev-local");
        assertEquals(Set.of("dev-local"), facts.keySet());
        assertEquals(3, f.units().size());
        assertTrue(f.unit("miner").error().contains("System has not been booted with systemd"), f.unit("miner").toString());
        assertEquals(6, f.files().size());
        assertFalse(f.file("/etc/basilica/miner.env").exists());
        assertEquals("root", f.processUsers().get(1));
        assertTrue(f.meminfo().contains("MemAvailable:"));
        assertEquals(4, f.http().size());
        assertEquals(-1, f.http().get(0).status());
        assertEquals(2, f.paths().size());
        assertFalse(f.paths().get(0).reachable());
        assertTrue(f.paths().get(0).message().startsWith("Timeout"));
        assertTrue(f.gpus().skipped());
        assertEquals(null, f.docker(), "taken before the \"Collect Docker state\" task");
        assertEquals("Status: inactive", f.ufw().stdout().strip());
    }

    @Test
    void everyFailureNamesTheHostAndAFix() throws Exception {
        Fleet fleet = development();
        List<Check> checks = LiveChecks.evaluate(fleet, fixture("collect-local-nosystemd.json"), "", Set.of(), Duration.ofMillis(500));
        Map<String, Check> byId = checks.stream().collect(Collectors.toMap(Check::id, Function.identity()));

        Check unit = byId.get("services.dev-local.miner.unit");
        assertEquals(Status.FAIL, unit.status());
        assertEquals(Category.SERVICES, unit.category());
        Check config = byId.get("services.dev-local.executor.config");
        assertEquals(Status.FAIL, config.status());
        assertEquals("/etc/basilica/executor.toml is missing", config.title());
        assertTrue(config.remediation().contains("basilica deploy development executor"), config.remediation());
        assertEquals(Status.FAIL, byId.get("security.dev-local.validator.secrets-file").status());
        assertEquals(Status.FAIL, byId.get("security.dev-local.ssh.password-auth").status(), "sshd -T could not run");
        assertEquals(Status.SKIP, byId.get("security.dev-local.firewall").status(), "the development model has no firewall");
        assertEquals(Status.PASS, byId.get("workflow.dev-local.memory").status());
        assertTrue(List.of(Status.PASS, Status.WARN).contains(byId.get("workflow.dev-local.disk").status()),
                "df printed / although the state dir is missing");

        Check path = byId.get("network.dev-local.path.dev-local.50051");
        assertEquals(Status.FAIL, path.status());
        assertTrue(path.remediation().contains("basilica manage start executor --env development"), path.remediation());
        assertEquals(Status.FAIL, byId.get("network.dev-local.path.dev-local.8092").status());

        Check health = byId.get("services.dev-local.validator.health");
        assertEquals(Status.FAIL, health.status());
        assertTrue(health.evidence().get(0).contains("Connection refused"), health.evidence().toString());
        assertEquals(Status.SKIP, byId.get("performance.dev-local.validator.health-time").status());
        assertEquals(Status.FAIL, byId.get("services.dev-local.executor.metrics").status());

        // Taken before collect.yml had its Docker task: the Docker checks say so instead of guessing.
        Check docker = byId.get("docker.dev-local.daemon");
        assertEquals(Status.SKIP, docker.status());
        assertTrue(docker.title().contains("collect.yml predates these checks"), docker.title());

        for (Check c : checks) {
            assertEquals("dev-local", c.host(), c.id());
            if (c.status() == Status.FAIL) assertTrue(c.remediation() != null && !c.remediation().isBlank(), c.id());
        }
    }

    @Test
    void theControlMachinesAnswerIsNotRepeated() throws Exception {
        List<Check> checks = LiveChecks.evaluate(development(), fixture("collect-local-nosystemd.json"), "",
                Set.of("services.dev-local.validator.health"), Duration.ofMillis(500));
        assertTrue(checks.stream().noneMatch(c -> c.id().equals("services.dev-local.validator.health")));
        assertTrue(checks.stream().anyMatch(c -> c.id().equals("services.dev-local.validator.metrics")));
    }

    @Test
    void outputWithoutJsonMakesEveryHostANetworkFailure() throws Exception {
        List<Check> checks = LiveChecks.evaluate(development(), "ERROR! the playbook: collect.yml could not be found\n",
                "ERROR! the playbook: collect.yml could not be found", Set.of(), Duration.ofMillis(500));
        assertEquals(1, checks.size());
        assertEquals("network.dev-local.ansible", checks.get(0).id());
        assertEquals(Status.FAIL, checks.get(0).status());
        assertTrue(checks.get(0).evidence().get(0).contains("could not be found"), checks.get(0).evidence().toString());
    }

    /** The fleet of AnsibleConvergeIT, where the real output of the booted hosts came from. */
    static Fleet converge() throws Exception {
        String text = String.join("\n",
                "apiVersion: basilica.dev/v1alpha1", "kind: Environment", "name: converge", "tier: development",
                "chain: { network: test, netuid: 387 }",
                "hosts:",
                "  - { name: validator, address: 10.200.34.2, roles: [validator, monitoring], ssh: { user: root } }",
                "  - { name: miner, address: 10.200.34.3, roles: [miner], ssh: { user: root } }",
                "  - { name: executor, address: 10.200.34.4, roles: [executor], ssh: { user: root } }",
                "wallets:",
                "  validator: { name: converge_validator, hotkey_file: { file: /nonexistent/validator } }",
                "  miner: { name: converge_miner, hotkey_file: { file: /nonexistent/miner }, hotkey_ss58: 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty }",
                "services:",
                "  miner: { jwt_secret: { env: CONVERGE_MINER_JWT_SECRET } }",
                "packages: { install_docker: false, install_nvidia_driver: false, install_nvidia_toolkit: false }",
                "monitoring: { enabled: true, grafana: false }",
                "firewall: { enabled: true, ssh_sources: [10.200.34.0/24], api_sources: [10.200.34.0/24],",
                "  validator_sources: [10.200.34.0/24], metrics_sources: [10.200.34.0/24] }",
                "");
        return FleetPlanner.plan(ModelLoader.parse(text, "environments/converge.yaml"));
    }

    /**
     * Real output of {@code collect.yml} on the three booted, converged hosts of AnsibleConvergeIT, taken
     * with the miner stopped and the executor's gRPC port dropped by iptables: exactly those fail.
     */
    @Test
    void convergedFleetWithTheMinerStoppedAndTheExecutorBlocked() throws Exception {
        List<Check> checks = LiveChecks.evaluate(converge(), fixture("collect-fleet-broken.json"), "", Set.of(),
                Duration.ofMillis(500));
        Map<String, Check> byId = checks.stream().collect(Collectors.toMap(Check::id, Function.identity()));
        assertEquals(List.of("network.miner.path.executor.50051", "network.validator.path.executor.50051",
                        "network.validator.path.miner.8092", "services.miner.miner.metrics", "services.miner.miner.unit"),
                checks.stream().filter(c -> c.status() == Status.FAIL).map(Check::id).sorted().toList(), checks.toString());
        assertEquals("basilica-miner.service is inactive (dead)", byId.get("services.miner.miner.unit").title());
        assertEquals(Status.PASS, byId.get("services.validator.validator.unit").status());
        assertEquals("executor runs as executor, not root", byId.get("security.executor.executor.user").title());
        assertEquals("miner runs as basilica, not root", byId.get("security.miner.miner.user").title(), "from the unit while it is stopped");
        assertTrue(byId.get("security.validator.validator.user").evidence().stream().anyMatch(e -> e.endsWith("runs as basilica")),
                byId.get("security.validator.validator.user").evidence().toString());
        assertEquals(Status.PASS, byId.get("security.validator.ssh.password-auth").status());
        assertEquals(Status.PASS, byId.get("security.miner.firewall").status());
        assertEquals(Status.PASS, byId.get("services.miner.miner.config").status());
        assertEquals(Status.PASS, byId.get("security.executor.executor.secrets-file").status());
        assertEquals(Status.PASS, byId.get("services.validator.validator.health").status(), "asked on the host");
        assertTrue(checks.stream().noneMatch(c -> c.id().startsWith("docker.")), "the model installs no Docker");
        assertTrue(byId.get("network.miner.path.executor.50051").evidence().get(0).contains("Timeout"),
                byId.get("network.miner.path.executor.50051").evidence().toString());
    }

    /**
     * Grafana's admin password file: checked only on a host with Grafana in a model that names the password, as
     * root:root 0600 (the live counterpart is GrafanaConvergeIT, which runs collect.yml on the converged host).
     */
    @Test
    void theGrafanaPasswordFileIsRootOnlyWhereTheModelNamesOne() throws Exception {
        Fleet staging = FleetPlanner.plan(ModelLoader.load(Repo.root().resolve("environments/staging.yaml"), "environments/staging.yaml"));
        HostChecks checks = new HostChecks(staging, Set.of(), Duration.ofMillis(500));
        String file = dev.basilica.plan.HostLayout.GRAFANA_ADMIN_ENV_FILE;
        Fleet.HostPlan monitor = staging.hosts().stream().filter(h -> h.has(dev.basilica.plan.HostFeature.GRAFANA)).findFirst().orElseThrow();
        String id = "security." + monitor.name() + ".grafana.admin-password-file";

        Check good = byId(checks.evaluate(monitor, facts(monitor.name(), new HostFacts.FileStat(file, true, "root", "root", "0600")))).get(id);
        assertEquals(Status.PASS, good.status(), good.toString());

        Check loose = byId(checks.evaluate(monitor, facts(monitor.name(), new HostFacts.FileStat(file, true, "root", "grafana", "0640")))).get(id);
        assertEquals(Status.FAIL, loose.status());
        assertEquals(file + " is root:grafana 0640, not root:root 0600", loose.title());
        assertTrue(loose.remediation().contains("basilica provision configure --apply --env staging --limit " + monitor.name()), loose.remediation());

        Check missing = byId(checks.evaluate(monitor, facts(monitor.name(), new HostFacts.FileStat(file, false, "", "", "")))).get(id);
        assertEquals(Status.FAIL, missing.status());
        assertEquals(file + " is missing", missing.title());

        for (Fleet.HostPlan other : staging.hosts()) {
            if (other.has(dev.basilica.plan.HostFeature.GRAFANA)) continue;
            assertTrue(checks.evaluate(other, facts(other.name())).stream().noneMatch(c -> c.id().contains(".grafana.")), other.name());
        }
        Fleet dev = development();
        for (Fleet.HostPlan h : dev.hosts()) {
            assertTrue(new HostChecks(dev, Set.of(), Duration.ofMillis(500)).evaluate(h, facts(h.name())).stream()
                    .noneMatch(c -> c.id().contains(".grafana.")), "development names no Grafana password");
        }
    }

    private static HostFacts facts(String host, HostFacts.FileStat... files) {
        return new HostFacts(host, List.of(), Map.of(), List.of(files), null, null, null, null, List.of(), List.of(), null, null,
                List.of(), List.of(), null, Map.of(), null);
    }

    private static Map<String, Check> byId(List<Check> checks) {
        return checks.stream().collect(Collectors.toMap(Check::id, Function.identity(), (a, b) -> a));
    }
}
