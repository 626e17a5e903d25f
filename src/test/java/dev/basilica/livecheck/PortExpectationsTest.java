package dev.basilica.livecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.model.ModelLoader;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which ports the control machine must reach and which it must not, read from the firewall plan. */
class PortExpectationsTest {

    private static Fleet fleet() throws Exception {
        String text = String.join("\n",
                "apiVersion: basilica.dev/v1alpha1", "kind: Environment", "name: ports", "tier: development",
                "chain: { network: test, netuid: 387 }",
                "hosts:",
                "  - { name: mon-1, address: 10.0.0.2, roles: [validator, monitoring], ssh: { user: root, port: 2222 } }",
                "  - { name: miner-1, address: 10.0.0.3, roles: [miner], ssh: { user: root } }",
                "wallets:",
                "  validator: { name: v, hotkey_file: { file: /nonexistent/validator } }",
                "  miner: { name: m, hotkey_file: { file: /nonexistent/miner }, hotkey_ss58: 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty }",
                "services:",
                "  miner: { jwt_secret: { env: PORTS_JWT } }",
                "  executor: { enabled: false }",
                "monitoring: { enabled: true, grafana: false }",
                "firewall:",
                "  enabled: true",
                "  ssh_sources: [192.0.2.0/24]",
                "  api_sources: [0.0.0.0/0]",
                "  validator_sources: [198.51.100.0/24]",
                "  metrics_sources: [10.0.0.0/8]",
                "  rules:",
                "    - { name: tools, role: monitoring, port: 7000, to_port: 7010, sources: [192.0.2.10/32] }",
                "    - { name: statsd, role: monitoring, port: 8125, protocol: udp, sources: [192.0.2.0/24] }",
                "    - { name: elsewhere, role: monitoring, port: 7500, sources: [203.0.113.0/24] }",
                "");
        return FleetPlanner.plan(ModelLoader.parse(text, "environments/ports.yaml"));
    }

    @Test
    void followsTheRulesThatContainTheControlMachine() throws Exception {
        Fleet fleet = fleet();
        Map<Integer, PortExpectations.Port> mon = PortExpectations.of(fleet, fleet.host("mon-1"), "192.0.2.10").stream()
                .collect(Collectors.toMap(PortExpectations.Port::port, Function.identity()));
        assertTrue(mon.get(2222).open(), "SSH from ssh_sources");
        assertTrue(mon.get(8080).open(), "API from anywhere");
        assertTrue(mon.get(7000).open() && mon.get(7010).open(), "both ends of a range opened to this address");
        assertTrue(mon.get(7000).why().contains("monitoring_in_tcp_7000_7010_from_192_0_2_10_32"), mon.get(7000).why());
        assertFalse(mon.containsKey(8125), "UDP is not probed");
        assertFalse(mon.containsKey(7500), "a rule for other sources is not this machine's business");
        assertFalse(mon.get(9090).open(), "validator metrics are for 10.0.0.0/8 only");
        assertEquals("validator metrics", mon.get(9090).listener());
        assertFalse(mon.get(9095).open(), "Prometheus is for metrics_sources only");
        for (int p : PortExpectations.UNMODELLED_SAMPLE) assertFalse(mon.get(p).open(), "port " + p);

        Map<Integer, PortExpectations.Port> inside = PortExpectations.of(fleet, fleet.host("miner-1"), "10.0.0.9").stream()
                .collect(Collectors.toMap(PortExpectations.Port::port, Function.identity()));
        assertTrue(inside.get(22).open(), "the SSH port is always expected open: the tool connects to it");
        assertTrue(inside.get(9091).open(), "miner metrics from metrics_sources 10.0.0.0/8");
        assertFalse(inside.get(8092).open(), "miner gRPC is for validator_sources and the validator host only");
        assertTrue(inside.get(8092).why().contains("peers only"), inside.get(8092).why());
    }
}
