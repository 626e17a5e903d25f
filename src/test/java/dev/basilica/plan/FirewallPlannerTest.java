package dev.basilica.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.plan.Role;
import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FirewallPlannerTest {

    static Path repo() {
        return Path.of(System.getProperty("basilica.repo", ".")).toAbsolutePath();
    }

    static FirewallPlan plan(String yaml) throws ModelException {
        return FleetPlanner.plan(ModelLoader.parse(yaml, "test.yaml")).firewall();
    }

    static String line(FirewallRule r) {
        String ports = r.protocol() == FirewallRule.Protocol.ALL ? "-" : r.portsId("-");
        return r.role().id() + " " + r.direction().id() + " " + r.protocol().id() + " " + ports + " " + r.peer();
    }

    /** The example AWS fleet's rules, written out by hand from the rules in FirewallPlanner's documentation. */
    @Test
    void derivesEveryRuleOfTheExampleFleet() throws Exception {
        String yaml = Files.readString(repo().resolve("examples/aws.yaml"));
        FirewallPlan plan = plan(yaml);
        Set<String> expected = new TreeSet<>(List.of(
                // validator: SSH from ssh_sources, API from api_sources, metrics and node exporter from monitor-1 and metrics_sources
                "validator in tcp 22 198.51.100.0/24", "validator in tcp 22 2001:db8:100::/48",
                "validator in tcp 8080 0.0.0.0/0", "validator in tcp 8080 ::/0",
                "validator in tcp 9090 10.42.1.30/32", "validator in tcp 9090 198.51.100.0/24",
                "validator in tcp 9100 10.42.1.30/32", "validator in tcp 9100 198.51.100.0/24",
                "validator out all - 0.0.0.0/0", "validator out all - ::/0",
                // miner: gRPC from validator_sources (default: anywhere) and validator-1
                "miner in tcp 22 198.51.100.0/24", "miner in tcp 22 2001:db8:100::/48",
                "miner in tcp 8092 0.0.0.0/0", "miner in tcp 8092 ::/0", "miner in tcp 8092 10.42.1.10/32",
                "miner in tcp 9091 10.42.1.30/32", "miner in tcp 9091 198.51.100.0/24",
                "miner in tcp 9100 10.42.1.30/32", "miner in tcp 9100 198.51.100.0/24",
                "miner out all - 0.0.0.0/0", "miner out all - ::/0",
                // executors: SSH (operators, and validators' verification on 22), gRPC from miner-1, validator-1
                // and validator_sources, metrics and node exporter (no GPU exporter: the model names no gpu_exporter artifact)
                "executor in tcp 22 198.51.100.0/24", "executor in tcp 22 2001:db8:100::/48",
                "executor in tcp 22 0.0.0.0/0", "executor in tcp 22 ::/0", "executor in tcp 22 10.42.1.10/32",
                "executor in tcp 50051 10.42.1.20/32", "executor in tcp 50051 10.42.1.10/32",
                "executor in tcp 50051 0.0.0.0/0", "executor in tcp 50051 ::/0",
                "executor in tcp 9092 10.42.1.30/32", "executor in tcp 9092 198.51.100.0/24",
                "executor in tcp 9100 10.42.1.30/32", "executor in tcp 9100 198.51.100.0/24",
                "executor out all - 0.0.0.0/0", "executor out all - ::/0",
                // monitoring: SSH on its own port, UIs from metrics_sources only, plus the grafana-office rule
                "monitoring in tcp 2222 198.51.100.0/24", "monitoring in tcp 2222 2001:db8:100::/48",
                "monitoring in tcp 9100 10.42.1.30/32", "monitoring in tcp 9100 198.51.100.0/24",
                "monitoring in tcp 9095 198.51.100.0/24", "monitoring in tcp 9093 198.51.100.0/24",
                "monitoring in tcp 3000 198.51.100.0/24", "monitoring in tcp 3000 192.0.2.0/24",
                "monitoring out all - 0.0.0.0/0", "monitoring out all - ::/0"));
        Set<String> actual = plan.rules().stream().map(FirewallPlannerTest::line).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, actual);
        assertEquals(expected.size(), plan.rules().size(), "one rule per identity");
        assertEquals(List.of(Role.VALIDATOR, Role.MINER, Role.EXECUTOR, Role.MONITORING), plan.roles());
    }

    /** The GPU exporter's port is open exactly where the inventory installs the exporter (issue 11). */
    @Test
    void gpuExporterPortFollowsTheInventorysGpuExporterHosts() throws Exception {
        String yaml = Files.readString(repo().resolve("examples/aws.yaml"));
        Fleet without = FleetPlanner.plan(ModelLoader.parse(yaml, "test.yaml"));
        assertTrue(without.hosts().stream().noneMatch(h -> h.has(HostFeature.GPU_EXPORTER)));
        assertTrue(without.firewall().rules().stream().noneMatch(r -> r.fromPort() == 9835));

        String withArtifact = yaml + "\nartifacts:\n  gpu_exporter: { url: https://example.com/gpu-exporter, sha256: " + "a".repeat(64) + " }\n";
        Fleet with = FleetPlanner.plan(ModelLoader.parse(withArtifact, "test.yaml"));
        List<String> exporterHosts = with.hosts().stream().filter(h -> h.has(HostFeature.GPU_EXPORTER)).map(Fleet.HostPlan::name).toList();
        assertFalse(exporterHosts.isEmpty());
        assertTrue(with.hosts().stream().filter(h -> h.has(HostFeature.GPU_EXPORTER))
                .allMatch(h -> h.runs(ServiceKind.EXECUTOR) && !h.host().gpus().isEmpty()));
        Set<String> gpuRules = with.firewall().rules().stream().filter(r -> r.fromPort() == 9835).map(FirewallPlannerTest::line)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("executor in tcp 9835 10.42.1.30/32", "executor in tcp 9835 198.51.100.0/24"), gpuRules);
        assertTrue(with.firewall().rules().stream().filter(r -> r.fromPort() == 9835).allMatch(FirewallPlanner::gpuExporterOnly));
    }

    @Test
    void idsAreUniqueReadableAndMadeFromTheIdentity() throws Exception {
        FirewallPlan plan = plan(Files.readString(repo().resolve("examples/aws.yaml")));
        Set<String> ids = new HashSet<>();
        for (FirewallRule r : plan.rules()) {
            assertTrue(ids.add(r.id()), "duplicate id " + r.id());
            assertTrue(r.id().matches("[a-z][a-z0-9_]*"), r.id());
        }
        assertTrue(ids.contains("validator_in_tcp_8080_from_any_ipv4"));
        assertTrue(ids.contains("validator_in_tcp_8080_from_any_ipv6"));
        assertTrue(ids.contains("executor_in_tcp_50051_from_10_42_1_20_32"));
        assertTrue(ids.contains("monitoring_in_tcp_2222_from_ipv6_2001_db8_100___48"));
        assertTrue(ids.contains("miner_out_all_to_any_ipv4"));
    }

    @Test
    void rulesOfOneIdentityAreMergedKeepingEveryPurpose() throws Exception {
        FirewallPlan plan = plan(Files.readString(repo().resolve("examples/aws.yaml")));
        FirewallRule ssh = plan.rules().stream().filter(r -> r.id().equals("executor_in_tcp_22_from_any_ipv4")).findFirst().orElseThrow();
        assertEquals(List.of("verification SSH from firewall.validator_sources"), ssh.purposes());
        String yaml = Files.readString(repo().resolve("examples/aws.yaml"))
                .replace("ssh_sources: [198.51.100.0/24, \"2001:db8:100::/48\"]", "ssh_sources: [0.0.0.0/0]");
        FirewallRule merged = plan(yaml).rules().stream().filter(r -> r.id().equals("executor_in_tcp_22_from_any_ipv4")).findFirst().orElseThrow();
        assertEquals(List.of("SSH from firewall.ssh_sources", "verification SSH from firewall.validator_sources"), merged.purposes());
    }

    @Test
    void everyDistinctSshPortOfARoleIsOpen() throws Exception {
        String yaml = Files.readString(repo().resolve("examples/aws.yaml"))
                .replace("    ssh: { user: ubuntu, port: 22, key: ~/.ssh/basilica_aws }\n    gpus:\n      - { model: H200",
                        "    ssh: { user: ubuntu, port: 2201, key: ~/.ssh/basilica_aws }\n    gpus:\n      - { model: H200");
        Set<String> ports = plan(yaml).rulesFor(Role.EXECUTOR).stream()
                .filter(r -> r.purposes().contains("SSH from firewall.ssh_sources")).map(r -> r.portsId("-"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("22", "2201"), ports);
    }

    @Test
    void peersAreCanonicalAndDnsHostsAreLeftOut() throws Exception {
        String yaml = Files.readString(repo().resolve("examples/aws.yaml"))
                .replace("ssh_sources: [198.51.100.0/24, \"2001:db8:100::/48\"]", "ssh_sources: [\"2001:DB8:0100:0::/48\"]")
                .replace("address: 10.42.1.20", "address: miner-1.example.net");
        FirewallPlan plan = plan(yaml);
        assertTrue(plan.rules().stream().anyMatch(r -> r.peer().equals("2001:db8:100::/48")));
        assertFalse(plan.rules().stream().anyMatch(r -> r.peer().contains("DB8")));
        assertFalse(plan.rules().stream().anyMatch(r -> r.role() == Role.EXECUTOR && r.fromPort() == 50051
                && r.purposes().stream().anyMatch(p -> p.contains("miner-1"))), "a DNS-named miner cannot be a peer");
    }

    @Test
    void noGrafanaPortWithoutGrafana() throws Exception {
        String yaml = Files.readString(repo().resolve("examples/aws.yaml")).replace("\nmonitoring:\n", "\nmonitoring:\n  grafana: false\n");
        Set<String> actual = plan(yaml).rules().stream().map(FirewallPlannerTest::line).collect(Collectors.toSet());
        assertFalse(actual.contains("monitoring in tcp 3000 198.51.100.0/24"), "Grafana is not installed: " + actual);
        assertTrue(actual.contains("monitoring in tcp 9095 198.51.100.0/24"), "Prometheus still open: " + actual);
        assertTrue(actual.contains("monitoring in tcp 3000 192.0.2.0/24"), "the model's own rule for port 3000 stays: " + actual);
    }

    @Test
    void noRulesWhenTheFirewallIsDisabled() throws Exception {
        String yaml = Files.readString(repo().resolve("environments/development.yaml"));
        FirewallPlan plan = plan(yaml);
        assertFalse(plan.enabled());
        assertTrue(plan.rules().isEmpty());
    }

    @Test
    void canonicalIpv6FollowsRfc5952() {
        assertEquals("2001:db8::1", dev.basilica.model.Addresses.canonical("2001:0DB8:0:0:0:0:0:1"));
        assertEquals("2001:db8::1:0:0:1", dev.basilica.model.Addresses.canonical("2001:db8:0:0:1:0:0:1"));
        assertEquals("2001:0:0:1::1", dev.basilica.model.Addresses.canonical("2001:0:0:1:0:0:0:1"));
        assertEquals("::", dev.basilica.model.Addresses.canonical("0:0:0:0:0:0:0:0"));
        assertEquals("2001:db8:0:1:1:1:1:1", dev.basilica.model.Addresses.canonical("2001:db8::1:1:1:1:1"));
        assertEquals("ipv6_2001_db8___32", Peers.slug("2001:db8::/32"));
        assertEquals("10_0_0_0_8", Peers.slug("10.0.0.0/8"));
    }

}
