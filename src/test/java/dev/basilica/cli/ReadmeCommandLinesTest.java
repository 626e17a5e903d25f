package dev.basilica.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.support.CliRun;
import dev.basilica.support.GeneratedOut;
import dev.basilica.support.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command line of the provisioning README that acts on hosts, in its wrapper form: the wrapper
 * script execs the subcommand this test maps it to, and the command line parses and, as a dry run, says
 * which playbooks (or ssh commands) it would run (production and staging are stood in for by copies of the development
 * model, so nothing here needs hosts).
 */
class ReadmeCommandLinesTest {

    /** README lines (after the script name) and what each must run. */
    private static final List<String[]> LINES = List.of(
            new String[] {"basilica.sh provision all --env production", "servers.yml"},
            new String[] {"basilica.sh provision servers", "servers.yml"},
            new String[] {"basilica.sh deploy production", "deploy.yml"},
            new String[] {"basilica.sh deploy staging", "deploy.yml"},
            new String[] {"basilica.sh deploy development", "deploy.yml"},
            new String[] {"basilica.sh provision validate", "collect.yml"},
            new String[] {"basilica.sh manage start", "start.yml"},
            new String[] {"basilica.sh manage stop validator", "stop.yml --tags validator"},
            new String[] {"basilica.sh manage restart", "restart.yml"},
            new String[] {"basilica.sh manage stop miner", "stop.yml --tags miner"},
            new String[] {"basilica.sh manage start executor", "start.yml --tags executor"},
            new String[] {"basilica.sh manage start miner", "start.yml --tags miner"},
            new String[] {"basilica.sh manage start validator", "start.yml --tags validator"},
            new String[] {"provision.sh all --env production", "collect.yml"},
            new String[] {"services.sh deploy production", "deploy.yml"},
            new String[] {"services.sh deploy production validator", "deploy.yml --tags validator"},
            new String[] {"services.sh start executor", "start.yml --tags executor"},
            new String[] {"network.sh setup --env production", "servers.yml --tags ssh_hardening,service_ssh,firewall"},
            new String[] {"network.sh test", "validate.yml --tags validate_network,validate_firewall"},
            new String[] {"network.sh keys --env production", "known-hosts.yml"},
            new String[] {"network.sh test --env production", "validate.yml --tags validate_network,validate_firewall"},
            new String[] {"network.sh firewall --env production", "servers.yml --tags firewall"},
            new String[] {"basilica.sh provision all --env custom", "start.yml"},
            new String[] {"basilica.sh manage status", "ssh "},
            new String[] {"basilica.sh manage logs executor --follow", "ssh "},
            new String[] {"basilica.sh manage logs validator", "ssh "});

    @Test
    void everyReadmeLineRunsItsPlaybooks(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("environments"));
        String dev = Files.readString(Repo.path("environments/development.yaml"));
        for (String env : List.of("development", "staging", "production", "custom")) {
            Path model = home.resolve("environments/" + env + ".yaml");
            Files.writeString(model, dev.replaceFirst("(?m)^name: development$", "name: " + env));
            GeneratedOut.write(model, "environments/" + env + ".yaml", home.resolve("out/" + env));
        }
        List<String> failures = new ArrayList<>();
        for (String[] line : LINES) {
            List<String> words = new ArrayList<>(Arrays.asList(line[0].split(" ")));
            String script = words.remove(0);
            List<String> args = new ArrayList<>(prefix(script));
            args.addAll(words);
            args.add("--dry-run");
            CliRun r = CliRun.run(home, home, Map.of(), args.toArray(String[]::new));
            String expected = line[1].startsWith("ssh ") ? "  " + line[1] : "  ansible-playbook " + line[1];
            if (r.exitCode() != 0 || !r.out().contains(expected)) failures.add(line[0] + " -> " + r);
        }
        assertEquals(List.of(), failures);
    }

    /** What the wrapper execs before its arguments, read from the script itself. */
    private static List<String> prefix(String script) throws Exception {
        if (script.equals("basilica.sh")) return List.of();
        String text = Files.readString(Repo.path("scripts/provision/" + script));
        String exec = text.lines().filter(l -> l.startsWith("exec ")).findFirst().orElseThrow();
        assertTrue(exec.endsWith("\"$@\""), exec);
        String[] parts = exec.split(" ");
        return List.of(parts[parts.length - 2]);
    }
}
