package dev.basilica.emit.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.support.GeneratedOut;
import dev.basilica.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated Ansible of the bundled models, checked by the real tools: every playbook passes
 * ansible-playbook --syntax-check, the tree passes yamllint and ansible-lint's production profile with
 * no findings, and every host's variables pass every role's generated argument spec.
 */
@Tag("tools")
class AnsibleToolsTest {

    static final List<String> PLAYBOOKS = List.of("servers.yml", "configure.yml", "deploy.yml", "start.yml", "stop.yml",
            "restart.yml", "rolling-update.yml", "validate.yml", "site.yml", "known-hosts.yml", "rotate-ssh-key.yml");
    static final Map<String, String> QUIET = Map.of("ANSIBLE_NOCOLOR", "1", "ANSIBLE_FORCE_COLOR", "0");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"environments/development.yaml", "environments/staging.yaml", "environments/production.yaml.example",
            "src/test/resources/models/ansible-everything.yaml"})
    void everyPlaybookPassesSyntaxCheck(String model, @TempDir Path out) throws Exception {
        Tools.assume("ansible-playbook", "ansible");
        Path ansible = GeneratedOut.bundled(model, out).resolve("ansible");
        for (String playbook : PLAYBOOKS) {
            assertTrue(Files.isRegularFile(ansible.resolve(playbook)), "missing playbook " + playbook);
        }
        // One run checks them all (each playbook is loaded with its roles and the inventory); pull mode's
        // bootstrap where the model has pull (ansible-everything).
        List<String> playbooks = new ArrayList<>(PLAYBOOKS);
        if (model.endsWith("ansible-everything.yaml")) playbooks.add("pull-bootstrap.yml");
        List<String> command = new ArrayList<>(List.of("ansible-playbook", "--syntax-check"));
        command.addAll(playbooks);
        Tools.Result r = Tools.run(ansible, QUIET, Duration.ofMinutes(3), command);
        assertEquals(0, r.exitCode(), model + ":\n" + r.output());
        for (String playbook : playbooks) {
            assertTrue(r.stdout().contains("playbook: " + playbook), playbook + " not checked:\n" + r.output());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"environments/staging.yaml", "src/test/resources/models/ansible-everything.yaml"})
    void yamllintFindsNothing(String model, @TempDir Path out) throws Exception {
        Tools.assume("yamllint", "yamllint");
        Path ansible = GeneratedOut.bundled(model, out).resolve("ansible");
        Tools.Result r = Tools.run(ansible, Duration.ofMinutes(2), "yamllint", "--strict", "-f", "parsable", ".");
        assertEquals(0, r.exitCode(), r.output());
        Path monitoring = out.resolve("monitoring");
        if (Files.isDirectory(monitoring)) {
            Tools.Result m = Tools.run(monitoring, Duration.ofMinutes(1), "yamllint", "--strict", "-f", "parsable",
                    "-c", ansible.resolve(".yamllint").toString(), ".");
            assertEquals(0, m.exitCode(), m.output());
        }
    }

    /** The slowest check (about a minute), so on the model that switches every feature on. */
    @Test
    void ansibleLintProductionProfileFindsNothing(@TempDir Path out) throws Exception {
        Tools.assume("ansible-lint", "ansible-lint");
        Path ansible = GeneratedOut.bundled("src/test/resources/models/ansible-everything.yaml", out).resolve("ansible");
        Tools.Result r = Tools.run(ansible, Map.of("NO_COLOR", "1"), Duration.ofMinutes(8),
                List.of("ansible-lint", "--offline", "--nocolor", "-p", "--profile", "production"));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("Passed with production profile: 0 failure(s), 0 warning(s)"), r.output());
    }

    /** Every role's argument spec accepts what the inventory gives every host (ansible.builtin.validate_argument_spec). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"environments/staging.yaml", "environments/production.yaml.example",
            "src/test/resources/models/ansible-everything.yaml"})
    void inventoryPassesEveryArgumentSpec(String model, @TempDir Path out) throws Exception {
        Tools.assume("ansible-playbook", "ansible");
        Path ansible = GeneratedOut.bundled(model, out).resolve("ansible");
        List<String> roles;
        try (Stream<Path> dirs = Files.list(ansible.resolve("roles"))) {
            roles = dirs.filter(d -> Files.isRegularFile(d.resolve("meta/argument_specs.yml")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        }
        assertTrue(roles.size() >= 20, "argument specs for " + roles);
        List<String> play = new ArrayList<>(List.of(
                "---",
                "- name: Check every role's argument spec against the inventory",
                "  hosts: all",
                "  connection: local",
                "  gather_facts: false",
                "  tasks:",
                "    - name: Validate",
                "      ansible.builtin.validate_argument_spec:",
                "        argument_spec: \"{{ (lookup('file', 'roles/' ~ item ~ '/meta/argument_specs.yml') | from_yaml).argument_specs.main.options }}\"",
                "      loop: " + roles));
        Files.writeString(ansible.resolve("check-argument-specs.yml"), String.join("\n", play) + "\n");
        Tools.Result r = Tools.run(ansible, QUIET, Duration.ofMinutes(3), List.of("ansible-playbook", "check-argument-specs.yml"));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.stdout().contains("failed=0"), r.output());
    }
}
