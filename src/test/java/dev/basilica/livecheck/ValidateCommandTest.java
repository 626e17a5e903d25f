package dev.basilica.livecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.support.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code basilica validate} run in process, against listeners on loopback addresses. */
class ValidateCommandTest {

    /** Writes the model the fixtures plan, under environments/NAME.yaml of a project. */
    private static void model(Path home, String name, String prefix, int base) throws Exception {
        Files.createDirectories(home.resolve("environments"));
        String text = String.join("\n",
                "apiVersion: basilica.dev/v1alpha1", "kind: Environment", "name: " + name, "tier: development",
                "chain: { network: test, netuid: 387 }",
                "hosts:",
                "  - { name: solo, address: " + prefix + "1, roles: [validator, miner, executor], ssh: { user: root, port: " + base + " } }",
                "wallets:",
                "  validator: { name: v, hotkey_file: { file: /nonexistent/validator } }",
                "  miner: { name: m, hotkey_file: { file: /nonexistent/miner }, hotkey_ss58: 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty }",
                "services:",
                "  validator: { api_port: " + (base + 1) + ", metrics_port: " + (base + 2) + " }",
                "  miner: { grpc_port: " + (base + 3) + ", metrics_port: " + (base + 4) + ", jwt_secret: { env: SOLO_JWT } }",
                "  executor: { grpc_port: " + (base + 5) + ", metrics_port: " + (base + 6) + " }",
                "firewall: { enabled: false }",
                "");
        Files.writeString(home.resolve("environments/" + name + ".yaml"), text);
    }

    @Test
    void passesWhenEveryModelledListenerAnswersAndWritesEveryFormat(@TempDir Path home) throws Exception {
        String prefix = "127.0.6.";
        int base = ControllerProbesTest.freeBase(prefix);
        model(home, "solo", prefix, base);
        try (LoopbackServers s = new LoopbackServers()) {
            s.tcp(prefix + "1", base);
            s.http(prefix + "1", base + 1, 0);
            s.tcp(prefix + "1", base + 3);
            s.tcp(prefix + "1", base + 5);
            CliRun run = CliRun.run(home, home, Map.of("PATH", ""), "validate", "network", "--env", "solo", "--no-hosts",
                    "--report", "--timeout", "1");
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.out().contains("network.solo.open." + (base + 3)), run.out());
            assertFalse(run.out().contains("services.solo.validator.health"), "only the network category: " + run.out());
            for (String f : List.of("validate.txt", "validate.json", "validate.xml", "validate.md", "validate.html")) {
                assertTrue(Files.isRegularFile(home.resolve("state/solo/reports/" + f)), f);
            }
            assertTrue(Files.readString(home.resolve("state/solo/reports/validate.json")).contains("\"format\" : \"basilica.dev/report/v1\"")
                    || Files.readString(home.resolve("state/solo/reports/validate.json")).contains("basilica.dev/report/v1"));
        }
    }

    @Test
    void failsNamingTheHostAndTheFixWhenAServiceIsDown(@TempDir Path home) throws Exception {
        String prefix = "127.0.7.";
        int base = ControllerProbesTest.freeBase(prefix);
        model(home, "solo", prefix, base);
        try (LoopbackServers s = new LoopbackServers()) {
            s.tcp(prefix + "1", base);
            s.http(prefix + "1", base + 1, 0);
            s.tcp(prefix + "1", base + 5);
            CliRun run = CliRun.run(home, home, Map.of("PATH", "", "NO_COLOR", "1"), "validate", "all", "--env", "solo", "--no-hosts",
                    "--timeout", "1", "--format", "text");
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.out().contains("FAIL network.solo.open." + (base + 3) + " (solo)"), run.out());
            assertTrue(run.out().contains("fix: start it: basilica manage start miner --env solo"), run.out());
            assertFalse(run.out().contains("\u001b["), "no colours");
        }
    }

    @Test
    void badInputIsExitTwoAndAMissingAnsibleIsExitThree(@TempDir Path home) throws Exception {
        model(home, "solo", "127.0.8.", 30000);
        assertEquals(2, CliRun.run(home, "validate", "everything", "--env", "solo").exitCode());
        assertEquals(2, CliRun.run(home, "validate", "--env", "nosuch").exitCode());
        assertEquals(2, CliRun.run(home, "validate", "--env", "solo", "--parallel", "0").exitCode());
        CliRun missing = CliRun.run(home, home, Map.of("PATH", ""), "validate", "services", "--env", "solo");
        assertEquals(3, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("ansible-playbook is not installed"), missing.err());
        assertTrue(missing.err().contains("--no-hosts"), missing.err());
    }
}
