package dev.basilica.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.model.ModelLoader;
import dev.basilica.output.Manifest;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.support.CliRun;
import dev.basilica.support.GeneratedOut;
import dev.basilica.support.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host-limited {@code provision all} also converges the hosts a change affects, found by comparing the
 * manifest with what was last applied ({@code state/<env>/applied.json}), and prints them before acting;
 * {@code --only-limit} leaves them out. Through the real command line (dry run) on generated output.
 */
class AppliedRecordTest {

    private static final String GPU_3 = """
              - name: staging-gpu-3
                address: 10.20.0.23
                public_address: 198.51.100.23
                roles: [executor]
                ssh: { user: ubuntu, port: 22, key: ~/.ssh/basilica_staging }
                gpus:
                  - { model: H100, count: 8, driver_branch: "580" }
            """.stripIndent().indent(2).replaceAll("(?m)^  ", "");

    private static String withGpu3() throws Exception {
        String s = Files.readString(Repo.path("environments/staging.yaml"));
        return s.replace("\nwallets:", GPU_3 + "\nwallets:");
    }

    /** Writes the model, generates out/staging/ from it, and returns the model's path. */
    private static Path generate(Path home, String model) throws Exception {
        Path file = home.resolve("environments/staging.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, model);
        GeneratedOut.write(file, "environments/staging.yaml", home.resolve("out/staging"));
        return file;
    }

    /** Records every host as applied with the output as it is now, as a successful provision all does. */
    private static void recordAll(Path home, Path model) throws Exception {
        var fleet = FleetPlanner.plan(ModelLoader.load(model, "environments/staging.yaml"));
        Path out = home.resolve("out/staging");
        var current = AppliedRecord.current(fleet, Inventory.read(out.resolve("ansible"), home.toString()), Manifest.digests(out).orElseThrow());
        AppliedRecord.record(home.resolve("state/staging"), current, Instant.parse("2026-12-01T10:00:00Z"), current.keySet());
    }

    private static List<String> commands(CliRun r) {
        return r.out().lines().filter(l -> l.startsWith("  ansible-playbook")).map(String::strip).toList();
    }

    @Test
    void addingAnExecutorAlsoConvergesItsMinerAndTheMonitoringHost(@TempDir Path home) throws Exception {
        Path model = generate(home, Files.readString(Repo.path("environments/staging.yaml")));
        recordAll(home, model);
        generate(home, withGpu3());

        CliRun r = CliRun.run(home, home, "provision", "all", "--env", "staging", "--no-generate", "--limit", "staging-gpu-3", "-n");
        assertEquals(0, r.exitCode(), r.toString());
        String limit = "--limit staging-gpu-3,staging-miner,staging-validator";
        assertEquals(List.of("ansible-playbook servers.yml " + limit, "ansible-playbook configure.yml " + limit,
                "ansible-playbook deploy.yml " + limit, "ansible-playbook start.yml " + limit,
                "ansible-playbook validate.yml " + limit), commands(r));
        assertTrue(r.out().contains("--limit staging-gpu-3: 2 more hosts are affected by changes since what was applied"), r.out());
        assertTrue(r.out().contains("  staging-miner: ansible/inventory/host_vars/staging-miner.yml (changed), configs/staging-miner/miner.toml "
                + "(changed) since it was applied (2026-12-01T10:00:00Z)"), r.out());
        assertTrue(r.out().contains("  staging-validator: ansible/inventory/host_vars/staging-validator.yml (changed), "
                + "monitoring/prometheus/prometheus.yml (changed) since it was applied (2026-12-01T10:00:00Z)"), r.out());
        assertFalse(r.out().contains("staging-gpu-1:"), "an executor the change does not touch stays out:\n" + r.out());

        CliRun only = CliRun.run(home, home, "provision", "all", "--env", "staging", "--no-generate", "--limit", "staging-gpu-3",
                "--only-limit", "-n");
        assertEquals(0, only.exitCode(), only.toString());
        assertEquals("ansible-playbook configure.yml --limit staging-gpu-3", commands(only).get(1));
        assertTrue(only.out().contains("--only-limit: converging staging-gpu-3 alone; 2 other hosts are affected"), only.out());
    }

    @Test
    void changedConvergesExactlyTheAffectedHostsAndNothingWhenNothingChanged(@TempDir Path home) throws Exception {
        Path model = generate(home, Files.readString(Repo.path("environments/staging.yaml")));
        recordAll(home, model);
        CliRun none = CliRun.run(home, home, "provision", "all", "--env", "staging", "--no-generate", "--changed", "-n");
        assertEquals(0, none.exitCode(), none.toString());
        assertEquals(List.of(), commands(none));
        assertTrue(none.out().contains("--changed: every host runs what was last applied to it; nothing to converge"), none.out());

        generate(home, withGpu3());
        CliRun r = CliRun.run(home, home, "provision", "all", "--env", "staging", "--no-generate", "--changed", "-n");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("ansible-playbook configure.yml --limit staging-gpu-3,staging-miner,staging-validator", commands(r).get(1));
        assertTrue(r.out().contains("--changed: 3 hosts are affected by changes since what was applied, and converged:"), r.out());
        assertTrue(r.out().contains("  staging-gpu-3: no record that this machine ever applied its configuration"), r.out());

        CliRun both = CliRun.run(home, home, "provision", "all", "--env", "staging", "--no-generate", "--changed", "--only-limit",
                "--limit", "staging-gpu-3", "-n");
        assertEquals(2, both.exitCode(), both.toString());
        CliRun onlyAlone = CliRun.run(home, home, "provision", "all", "--env", "staging", "--no-generate", "--only-limit", "-n");
        assertEquals(2, onlyAlone.exitCode(), onlyAlone.toString());
        assertTrue(onlyAlone.err().contains("--only-limit needs --limit"), onlyAlone.err());
    }

    @Test
    void removingAnExecutorConvergesItsMinerAndDropsItFromTheRecord(@TempDir Path home) throws Exception {
        Path model = generate(home, withGpu3());
        recordAll(home, model);
        generate(home, Files.readString(Repo.path("environments/staging.yaml")));

        CliRun r = CliRun.run(home, home, "provision", "all", "--env", "staging", "--no-generate", "--limit", "staging-miner", "-n");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("ansible-playbook configure.yml --limit staging-miner,staging-validator", commands(r).get(1));

        var fleet = FleetPlanner.plan(ModelLoader.load(model, "environments/staging.yaml"));
        Path out = home.resolve("out/staging");
        var current = AppliedRecord.current(fleet, Inventory.read(out.resolve("ansible"), home.toString()), Manifest.digests(out).orElseThrow());
        AppliedRecord.record(home.resolve("state/staging"), Map.of("staging-miner", current.get("staging-miner")),
                Instant.parse("2026-12-02T10:00:00Z"), current.keySet());
        var record = AppliedRecord.read(home.resolve("state/staging"), m -> { });
        assertFalse(record.containsKey("staging-gpu-3"), "a host no longer in the model leaves the record");
        assertEquals(Instant.parse("2026-12-02T10:00:00Z"), record.get("staging-miner").appliedAt());
        assertEquals(Instant.parse("2026-12-01T10:00:00Z"), record.get("staging-gpu-1").appliedAt(), "other entries are kept");
    }

    @Test
    void withoutARecordEveryOtherHostCountsAsAffectedAndAnUnreadableOneSaysSo(@TempDir Path home) throws Exception {
        generate(home, Files.readString(Repo.path("environments/staging.yaml")));
        CliRun r = CliRun.run(home, home, "provision", "all", "--env", "staging", "--no-generate", "--limit", "executors", "-n");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("ansible-playbook configure.yml --limit executors,staging-miner,staging-validator", commands(r).get(1));
        assertTrue(r.out().contains("staging-miner: no record that this machine ever applied its configuration"), r.out());

        Files.createDirectories(home.resolve("state/staging"));
        Files.writeString(home.resolve("state/staging/applied.json"), "{not json");
        CliRun bad = CliRun.run(home, home, "provision", "all", "--env", "staging", "--no-generate", "--limit", "executors", "-n");
        assertEquals(0, bad.exitCode(), bad.toString());
        assertTrue(bad.out().contains("could not read applied.json"), bad.out());

        CliRun unknown = CliRun.run(home, home, "provision", "all", "--env", "staging", "--no-generate", "--limit", "gpu-9", "-n");
        assertEquals(2, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("no host or group named gpu-9"), unknown.err());
    }

    @Test
    void firstContactRecordsOnlyHostsWithoutAKey(@TempDir Path home) throws Exception {
        Path model = generate(home, Files.readString(Repo.path("environments/staging.yaml")));
        recordAll(home, model);
        generate(home, withGpu3());
        Files.writeString(home.resolve("state/staging/known_hosts"), String.join("\n",
                "10.20.0.10 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1VnYOX4MYGBqQWNMC4OoMi8XJzA8KC0AxSBxX1ZUZ3",
                "10.20.0.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1VnYOX4MYGBqQWNMC4OoMi8XJzA8KC0AxSBxX1ZUZ4", ""));
        CliRun r = CliRun.run(home, home, "provision", "all", "--env", "staging", "--no-generate", "--changed", "--first-contact", "-n");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("ansible-playbook known-hosts.yml --limit staging-gpu-3",
                "ansible-playbook servers.yml --limit staging-gpu-3,staging-miner,staging-validator"), commands(r).subList(0, 2));

        CliRun known = CliRun.run(home, home, "provision", "all", "--env", "staging", "--no-generate", "--limit", "staging-miner",
                "--only-limit", "--first-contact", "-n");
        assertEquals(0, known.exitCode(), known.toString());
        assertEquals("ansible-playbook servers.yml --limit staging-miner", commands(known).get(0));
        assertTrue(known.out().contains("Would skip first contact: every host of the run has a key"), known.out());
    }

    @Test
    void anUnchangedFleetAddsNoHost(@TempDir Path home) throws Exception {
        Path model = generate(home, Files.readString(Repo.path("environments/staging.yaml")));
        recordAll(home, model);
        CliRun r = CliRun.run(home, home, "provision", "all", "--env", "staging", "--no-generate", "--limit", "staging-gpu-1", "-n");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("ansible-playbook configure.yml --limit staging-gpu-1", commands(r).get(1));
        assertTrue(r.out().contains("no other host is affected"), r.out());
    }
}
