package dev.basilica.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.support.CliRun;
import dev.basilica.support.GeneratedOut;
import dev.basilica.support.Repo;
import dev.basilica.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that act on hosts, through the real command line: the ansible-playbook command lines and
 * environment they produce (dry run), the dependency order and service selection of the generated
 * playbooks (real ansible-playbook --list-tasks), exit codes, missing tools, and real runs of small
 * playbooks on {@code connection: local} for progress, saved results, phases and the operation log.
 */
class OperateCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A project whose out/development/ is the bundled development model's output. */
    private static Path generated(Path home) throws Exception {
        Files.createDirectories(home.resolve("environments"));
        Files.copy(Repo.path("environments/development.yaml"), home.resolve("environments/development.yaml"));
        GeneratedOut.write(home.resolve("environments/development.yaml"), "environments/development.yaml", home.resolve("out/development"));
        return home;
    }

    private static Map<String, String> env(Map<String, String> more) {
        Map<String, String> e = new HashMap<>(System.getenv());
        e.remove("NO_COLOR");
        e.putAll(more);
        return e;
    }

    private static CliRun cli(Path home, Map<String, String> environment, String... args) {
        return CliRun.run(home, home, environment, args);
    }

    private static List<String> commands(CliRun r) {
        return r.out().lines().filter(l -> l.startsWith("  ansible-playbook")).map(String::strip).toList();
    }

    @Test
    void dryRunsShowThePlaybooksTagsAndMachineReadableEnvironment(@TempDir Path home) throws Exception {
        generated(home);
        Map<String, String> e = env(Map.of());
        CliRun stop = cli(home, e, "manage", "stop", "validator", "--dry-run");
        assertEquals(0, stop.exitCode(), stop.toString());
        assertEquals(List.of("ansible-playbook stop.yml --tags validator"), commands(stop));
        assertTrue(stop.out().contains("Would run in out/development/ansible/:"), stop.out());
        for (String v : List.of("ANSIBLE_STDOUT_CALLBACK=ansible.posix.jsonl", "ANSIBLE_RETRY_FILES_ENABLED=False", "ANSIBLE_NOCOLOR=1",
                "ANSIBLE_CONFIG=out/development/ansible/ansible.cfg")) {
            assertTrue(stop.out().contains("  " + v + "\n"), v + " in\n" + stop.out());
        }
        assertFalse(stop.out().contains(home.toString()), "no machine paths");

        assertEquals(List.of("ansible-playbook start.yml --limit executors"),
                commands(cli(home, e, "manage", "start", "--limit", "executors", "-n")));
        assertEquals(List.of("ansible-playbook restart.yml --tags miner"), commands(cli(home, e, "manage", "restart", "miner", "-n")));
        assertEquals(List.of("ansible-playbook deploy.yml --tags validator"),
                commands(cli(home, e, "deploy", "development", "validator", "-n")));
        assertEquals(List.of("ansible-playbook deploy.yml"), commands(cli(home, e, "manage", "deploy", "development", "-n")));
        assertEquals(List.of("ansible-playbook servers.yml", "ansible-playbook configure.yml", "ansible-playbook deploy.yml",
                "ansible-playbook start.yml", "ansible-playbook collect.yml"), commands(cli(home, e, "provision", "all", "-n")));
        assertEquals(List.of("ansible-playbook known-hosts.yml", "ansible-playbook servers.yml --tags ssh_hardening,service_ssh,firewall"),
                commands(cli(home, e, "network", "setup", "-n")));
        assertEquals(List.of("ansible-playbook servers.yml --tags firewall"), commands(cli(home, e, "network", "firewall", "-n")));
        assertEquals(List.of("ansible-playbook known-hosts.yml", "ansible-playbook servers.yml --tags service_ssh"),
                commands(cli(home, e, "network", "keys", "-n")));
        assertEquals(List.of("ansible-playbook validate.yml --tags validate_network,validate_firewall"),
                commands(cli(home, e, "network", "test", "-n")));
        assertEquals(List.of("ansible-playbook site.yml --check --diff"), commands(cli(home, e, "plan", "-n")));
        assertEquals(List.of("ansible-playbook configure.yml --tags executor"),
                commands(cli(home, e, "provision", "configure", "--apply", "--service", "executor", "-n")));
        CliRun rotate = cli(home, e, "network", "keys", "--rotate", "--new-key", "keys/new", "--old-public-key", "keys/old.pub", "-n");
        assertEquals(List.of("ansible-playbook rotate-ssh-key.yml -e ssh_key_rotation_new_private_key=" + home.resolve("keys/new")
                + " -e ssh_key_rotation_old_public_key=" + home.resolve("keys/old.pub")), commands(rotate));
        assertEquals(2, cli(home, e, "network", "keys", "--rotate", "-n").exitCode(), "--rotate without keys is invalid input");
    }

    @Tag("tools")
    @Test
    void theGeneratedPlaybooksStartInDependencyOrderStopInReverseAndSelectOneServiceByTag(@TempDir Path home) throws Exception {
        Tools.assume("ansible-playbook", "ansible");
        Path ansible = generated(home).resolve("out/development/ansible");
        assertEquals(List.of("Start the executors", "Start the miners", "Start the validators"), plays(ansible, "start.yml"));
        assertEquals(List.of("Stop the validators", "Stop the miners", "Stop the executors"), plays(ansible, "stop.yml"));
        assertEquals(List.of("Stop the validators", "Stop the miners", "Stop the executors", "Start the executors", "Start the miners",
                "Start the validators"), plays(ansible, "restart.yml"));
        assertEquals(List.of("Start the miners"), plays(ansible, "start.yml", "--tags", "miner"));
        assertEquals(List.of("Stop the validators"), plays(ansible, "stop.yml", "--tags", "validator"));
        assertEquals(List.of("Build the binaries given as source builds", "Deploy the validators",
                "Deploy the GPU attestation binaries the validators run"), plays(ansible, "deploy.yml", "--tags", "validator"));
        assertEquals(List.of("Check that the miners reach their executors", "Check that the validators reach the miners and executors",
                "Check the firewall"), plays(ansible, "validate.yml", "--tags", "validate_network,validate_firewall"));
    }

    /**
     * Plays that have at least one task selected, in order, as ansible-playbook --list-tasks prints them
     * (the roles' argument checks, tagged {@code always}, run in every play and do not count).
     */
    private static List<String> plays(Path ansible, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("ansible-playbook", "--list-tasks"));
        cmd.addAll(List.of(args));
        Tools.Result r = Tools.run(ansible, Map.of("ANSIBLE_CONFIG", ansible.resolve("ansible.cfg").toString()), Duration.ofMinutes(2), cmd);
        assertEquals(0, r.exitCode(), r.output());
        List<String> out = new java.util.ArrayList<>();
        String play = null;
        for (String l : r.stdout().lines().toList()) {
            String s = l.strip();
            if (s.startsWith("play #")) {
                play = s.substring(s.indexOf(": ") + 2, s.lastIndexOf("TAGS:")).strip();
            } else if (play != null && s.contains("TAGS:") && !s.startsWith("tasks:") && !s.contains("TAGS: [always")) {
                out.add(play);
                play = null;
            }
        }
        return out;
    }

    @Test
    void exitCodesForUnknownServicesMissingOutputAndMissingTools(@TempDir Path home) throws Exception {
        Map<String, String> e = env(Map.of());
        CliRun unknown = cli(home, e, "manage", "start", "minr");
        assertEquals(2, unknown.exitCode(), unknown.toString());
        assertEquals("basilica: unknown service 'minr'; expected executor, miner or validator; did you mean 'miner'?\n", unknown.err());
        for (String[] args : List.of(new String[] {"manage", "logs", "Miner"}, new String[] {"deploy", "development", "minr"})) {
            CliRun r = cli(home, e, args);
            assertEquals(2, r.exitCode(), r.toString());
            assertTrue(r.err().startsWith("basilica: unknown service '" + args[2] + "'; expected executor, miner or validator"), r.err());
        }
        CliRun notGenerated = cli(home, e, "manage", "stop");
        assertEquals(2, notGenerated.exitCode(), notGenerated.toString());
        assertTrue(notGenerated.err().contains("run 'basilica generate --env development' first"), notGenerated.err());

        generated(home);
        Map<String, String> noPath = env(Map.of("PATH", ""));
        for (String[] args : List.of(new String[] {"manage", "start"}, new String[] {"provision", "all", "--no-generate"},
                new String[] {"provision", "validate"}, new String[] {"network", "test"}, new String[] {"deploy", "development"},
                new String[] {"plan"})) {
            CliRun r = cli(home, noPath, args);
            assertEquals(3, r.exitCode(), r.toString());
            assertTrue(r.err().contains("ansible-playbook is not installed (not found on PATH); install Ansible"), r.err());
        }
        for (String[] args : List.of(new String[] {"manage", "status"}, new String[] {"manage", "logs", "executor"})) {
            CliRun r = cli(home, noPath, args);
            assertEquals(3, r.exitCode(), r.toString());
            assertTrue(r.err().contains("ssh is not installed (not found on PATH); install the OpenSSH client"), r.err());
        }
        assertFalse(Files.exists(home.resolve("state/development/reports/operations.jsonl")), "nothing ran, nothing logged");
    }

    /** out/ops/ansible/ with local-connection playbooks in the generated ones' shapes. */
    private static Path localProject(Path home, boolean configureFails) throws Exception {
        Path a = home.resolve("out/ops/ansible");
        Files.createDirectories(a.resolve("inventory/host_vars"));
        Files.writeString(a.resolve("ansible.cfg"), "[defaults]\ninventory = inventory/hosts.yml\nretry_files_enabled = False\n"
                + "gathering = explicit\nlocal_tmp = " + home.resolve("tmp") + "\n");
        Files.writeString(a.resolve("inventory/hosts.yml"), "all:\n  children:\n    executors:\n      hosts:\n        box: {}\n"
                + "    miners:\n      hosts:\n        box: {}\n");
        Files.writeString(a.resolve("inventory/host_vars/box.yml"),
                "ansible_connection: local\nansible_python_interpreter: /usr/bin/python3\nbasilica_services: [executor, miner]\n");
        StringBuilder start = new StringBuilder();
        for (String s : List.of("executor", "miner", "validator")) {
            start.append("- name: Start the ").append(s).append("s\n  hosts: ").append(s).append("s\n  tags: [").append(s)
                    .append("]\n  gather_facts: false\n  tasks:\n    - name: Start the ").append(s)
                    .append("\n      ansible.builtin.command: 'true'\n      changed_when: true\n");
        }
        Files.writeString(a.resolve("start.yml"), start.toString());
        String ok = "- name: A phase\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: Do it\n      ansible.builtin.debug: { msg: done }\n";
        for (String p : List.of("servers.yml", "deploy.yml", "validate.yml")) Files.writeString(a.resolve(p), ok);
        Files.writeString(a.resolve("configure.yml"), configureFails
                ? "- name: Configure\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: Write the config\n"
                + "      ansible.builtin.fail: { msg: no such secret }\n"
                : ok);
        return home;
    }

    @Tag("tools")
    @Test
    void aRealRunPrintsProgressSavesItsResultAndAppendsToTheOperationLog(@TempDir Path home) throws Exception {
        Tools.assume("ansible-playbook", "ansible");
        localProject(home, false);
        Map<String, String> e = env(Map.of("USER", "alice", "HOSTNAME", "ops-1"));
        CliRun r = cli(home, e, "manage", "start", "miner", "--env", "ops");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("PLAY Start the miners"), r.err());
        assertTrue(r.err().contains("  changed     box  Start the miner"), r.err());
        assertFalse(r.err().contains("Start the executor"), "only the miner's play ran:\n" + r.err());
        assertFalse(r.err().contains("\u001b["), "no colour without a terminal");
        assertTrue(r.err().contains("start.yml succeeded; result in state/ops/reports/ansible-start.json"), r.err());

        CliRun report = cli(home, e, "report", "--ansible-result", "state/ops/reports/ansible-start.json", "--format", "json");
        assertEquals(0, report.exitCode(), report.toString());
        assertTrue(report.out().contains("\"ansible.box.tasks\""), report.out());

        Path log = home.resolve("state/ops/reports/operations.jsonl");
        List<String> lines = Files.readAllLines(log);
        assertEquals(1, lines.size());
        JsonNode entry = JSON.readTree(lines.get(0));
        assertEquals("alice@ops-1", entry.get("operator").asText());
        assertEquals("basilica manage start miner --env ops", entry.get("command").asText());
        assertEquals("ops", entry.get("environment").asText());
        assertEquals(List.of("box"), List.of(JSON.treeToValue(entry.get("hosts"), String[].class)));
        assertEquals("ok", entry.get("outcome").asText());
        assertEquals(0, entry.get("exit_code").asInt());
        assertTrue(entry.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), entry.get("time").asText());
        assertTrue(entry.get("duration_ms").asLong() > 0);

        CliRun all = cli(home, e, "manage", "start", "--env", "ops");
        assertEquals(0, all.exitCode(), all.toString());
        int executor = all.err().indexOf("Start the executor");
        int miner = all.err().indexOf("Start the miner");
        assertTrue(executor > 0 && miner > executor, "executor before miner:\n" + all.err());
        List<String> after = Files.readAllLines(log);
        assertEquals(2, after.size(), "appended");
        assertEquals(lines.get(0), after.get(0), "history is never rewritten");
    }

    @Tag("tools")
    @Test
    void provisionAllStopsAtTheFirstFailedPhaseAndSaysWhichRan(@TempDir Path home) throws Exception {
        Tools.assume("ansible-playbook", "ansible");
        localProject(home, true);
        CliRun r = cli(home, env(Map.of()), "provision", "all", "--env", "ops", "--no-generate");
        assertEquals(1, r.exitCode(), r.toString());
        List<String> summary = r.out().lines().filter(l -> l.startsWith("  ")).map(String::strip).toList();
        assertTrue(summary.get(1).matches("servers +done .*servers.yml succeeded"), summary.toString());
        assertTrue(summary.get(2).matches("configure +failed .*configure.yml failed \\(ansible-playbook exit 2\\)"), summary.toString());
        assertTrue(summary.get(3).matches("deploy +not run +-"), summary.toString());
        assertTrue(summary.get(4).matches("start +not run +-"), summary.toString());
        assertTrue(summary.get(5).matches("validate +not run +-"), summary.toString());
        assertTrue(r.err().contains("failed      box  Write the config: no such secret"), r.err());
        JsonNode entry = JSON.readTree(Files.readAllLines(home.resolve("state/ops/reports/operations.jsonl")).get(0));
        assertEquals("failed", entry.get("outcome").asText());
        assertEquals("basilica provision all --env ops --no-generate", entry.get("command").asText());
    }

    @Tag("tools")
    @Test
    void ctrlCStopsThePlaybookWithItsProcessTreeAndIsLoggedAsInterrupted(@TempDir Path home) throws Exception {
        Tools.assume("ansible-playbook", "ansible");
        localProject(home, false);
        Path start = home.resolve("out/ops/ansible/start.yml");
        Files.writeString(start, "- name: Start the executors\n  hosts: executors\n  gather_facts: false\n  tasks:\n"
                + "    - name: Take long\n      ansible.builtin.command: sleep 300\n");
        ProcessBuilder b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.basilica.cli.Main", "manage", "start", "--env", "ops")
                .directory(home.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(home.resolve("stderr.txt").toFile());
        b.environment().put("BASILICA_HOME", home.toString());
        Process p = b.start();
        try {
            List<ProcessHandle> tree = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                tree = p.descendants().toList();
                if (tree.stream().anyMatch(h -> h.info().arguments().map(a -> List.of(a).contains("300")).orElse(false))) break;
                Thread.sleep(200);
            }
            assertTrue(tree.stream().anyMatch(h -> h.info().arguments().map(a -> List.of(a).contains("300")).orElse(false)),
                    "the task's sleep never started: " + Files.readString(home.resolve("stderr.txt")));
            assertEquals(0, Tools.run(home, Duration.ofSeconds(10), "kill", "-INT", Long.toString(p.pid())).exitCode());
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "ended after SIGINT");
            assertEquals(130, p.exitValue());
            for (ProcessHandle h : tree) assertFalse(h.isAlive(), "left running: " + h.info().commandLine().orElse("?"));
            JsonNode entry = JSON.readTree(Files.readAllLines(home.resolve("state/ops/reports/operations.jsonl")).get(0));
            assertEquals("interrupted", entry.get("outcome").asText());
            assertEquals(130, entry.get("exit_code").asInt());
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }
}
