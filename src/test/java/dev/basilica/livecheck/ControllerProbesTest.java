package dev.basilica.livecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.plan.Fleet;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.run.ToolRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control machine's probes against a fleet of loopback addresses where some services listen and some
 * do not: every port the firewall plan opens to 127.0.0.1 must answer, every other one must not.
 */
class ControllerProbesTest {

    /** Seven consecutive ports free on all three addresses. */
    static int freeBase(String prefix) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(prefix + "1"), 0));
                base = s.getLocalPort();
            }
            if (base > 65000) continue;
            boolean free = true;
            for (int host = 1; host <= 3 && free; host++) {
                for (int p = base; p <= base + 6 && free; p++) {
                    try (ServerSocket s = new ServerSocket()) {
                        s.bind(new InetSocketAddress(InetAddress.getByName(prefix + host), p));
                    } catch (IOException e) {
                        free = false;
                    }
                }
            }
            if (free) return base;
        }
        throw new IOException("no seven free consecutive ports");
    }

    private static LiveCheckOptions options() {
        return LiveCheckOptions.defaults().withOnHosts(false).withControllerAddress(ValidateFixtures.CONTROLLER)
                .withConnectTimeout(Duration.ofSeconds(1)).withParallelism(8);
    }

    @Test
    void opensWhatTheModelOpensAndNothingElse(@TempDir Path out) throws Exception {
        String prefix = "127.0.3.";
        int base = freeBase(prefix);
        Fleet fleet = ValidateFixtures.threeHosts("probe", prefix, base, true);
        try (LoopbackServers s = new LoopbackServers()) {
            for (int h = 1; h <= 3; h++) s.tcp(prefix + h, base); // "SSH"
            s.http(prefix + "1", base + 1, 0); // validator API with /health
            s.http(prefix + "1", base + 2, 0); // validator metrics
            s.tcp(prefix + "2", base + 3); // miner gRPC, open to the validator only: a leak
            // miner metrics (base + 4) down; executor gRPC (base + 5) down, which is fine from here
            s.http(prefix + "3", base + 6, 0); // executor metrics

            ControllerProbes probes = new ControllerProbes(fleet, out.resolve("known_hosts"), options(),
                    new ToolRunner(Map.of()), Optional.empty());
            List<Check> checks = new ProbeEngine(8, false).run(probes.probes());
            Map<String, Check> byId = checks.stream().collect(Collectors.toMap(Check::id, Function.identity()));

            assertEquals(Status.PASS, byId.get("network.val-1.open." + base).status(), "SSH");
            assertEquals(Status.PASS, byId.get("network.val-1.open." + (base + 1)).status(), "API open to api_sources");
            assertEquals(Status.PASS, byId.get("services.val-1.validator.health").status());
            assertEquals(Status.PASS, byId.get("services.val-1.validator.metrics").status());
            assertEquals(Status.PASS, byId.get("services.exec-1.executor.metrics").status());
            assertEquals(Status.PASS, byId.get("network.exec-1.closed." + (base + 5)).status(),
                    "executor gRPC is only for the miner and validator hosts: " + byId.get("network.exec-1.closed." + (base + 5)));

            Check leak = byId.get("network.miner-1.closed." + (base + 3));
            assertEquals(Status.FAIL, leak.status(), leak.toString());
            assertEquals("miner-1", leak.host());
            assertTrue(leak.remediation().contains("basilica network firewall --env probe"), leak.remediation());

            Check down = byId.get("network.miner-1.open." + (base + 4));
            assertEquals(Status.FAIL, down.status(), down.toString());
            assertTrue(down.title().contains("nothing listens"), down.title());
            assertTrue(down.remediation().contains("basilica manage start miner --env probe"), down.remediation());
            Check metrics = byId.get("services.miner-1.miner.metrics");
            assertEquals(Status.FAIL, metrics.status());
            assertTrue(metrics.remediation().contains("basilica manage start miner --env probe"));

            for (int port : PortExpectations.UNMODELLED_SAMPLE) {
                assertNotNull(byId.get("network.exec-1.closed." + port), "an unmodelled port is probed: " + port);
            }
            assertEquals(Status.SKIP, byId.get("network.val-1.ssh.host-key").status(), "no ssh-keyscan given");
            assertTrue(probes.httpCovered().contains("services.val-1.validator.health"));
        }
    }

    @Test
    void withoutAFirewallOnlyTheListenersAreExpected(@TempDir Path out) throws Exception {
        String prefix = "127.0.4.";
        int base = freeBase(prefix);
        Fleet fleet = ValidateFixtures.threeHosts("nofw", prefix, base, false);
        Fleet.HostPlan miner = fleet.host("miner-1");
        List<PortExpectations.Port> ports = PortExpectations.of(fleet, miner, ValidateFixtures.CONTROLLER);
        assertTrue(ports.stream().allMatch(PortExpectations.Port::open), ports.toString());
        assertEquals(List.of(base, base + 3, base + 4), ports.stream().map(PortExpectations.Port::port).toList(),
                "SSH, gRPC and metrics (metrics_sources makes them listen on every address); no closed-port probes");
    }
}
