package dev.basilica.emit.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.emit.Templates;
import dev.basilica.generate.Generator;
import dev.basilica.output.OutputTree;
import dev.basilica.output.TreeWriter;
import dev.basilica.plan.Fleet;
import dev.basilica.support.Tools;
import dev.basilica.testing.ModelStrings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model text is data for Ansible. Every string of the model that switches every feature on carries a
 * payload that would run {@code touch MARKER} on the controller if Ansible templated it (one marker per
 * field, {@code {{ }}} and {@code {% %}} forms in turn), put in past the loader so no grammar stops it.
 * The real tools then template every variable of every host (a debug of {@code hostvars}), list the
 * inventory, list site.yml's tasks and check-run configure.yml on a local connection: no marker may
 * appear, and each payload must come back verbatim. The same inventory with its {@code !unsafe} tags
 * stripped must create every marker (so the test cannot pass by templating nothing). The units made from
 * those values keep exactly the directives of the units made from the clean model.
 */
@Tag("integration")
class HostileInventoryIT {

    static final String MODEL = "src/test/resources/models/ansible-everything.yaml";

    /**
     * Strings left as they are: references the planner resolves to hosts, CIDR blocks it parses (it refuses
     * anything else), the choice of Terraform provider, the document header. Each has a closed grammar (a
     * host name, a CIDR block, an enum); none is free text.
     */
    static final Pattern KEPT = Pattern.compile("hosts\\[\\d+]\\.(name|miner)|artifacts\\.build_host|terraform\\.provider"
            + "|api_version|kind|ansible\\.strategy|firewall\\.(\\w+_sources|egress_destinations|rules\\[\\d+]\\.sources)\\[\\d+]|firewall\\.rules\\[\\d+]\\.protocol");

    @Test
    void modelTextInTheInventoryIsNeverTemplated(@TempDir Path tmp) throws Exception {
        Tools.assume("ansible-playbook", "ansible");
        Path markers = Files.createDirectories(tmp.resolve("markers"));
        Map<String, String> payloads = new LinkedHashMap<>(); // field path -> the payload it carries
        Fleet fleet = ModelStrings.plan(MODEL, (path, v) -> {
            if (KEPT.matcher(path).matches()) return v;
            Path marker = markers.resolve("m" + payloads.size());
            String payload = payloads.size() % 2 == 0
                    ? "x{{ lookup('pipe', 'touch " + marker + "') }}"
                    : "x{% if lookup('pipe', 'touch " + marker + "') %}{% endif %}";
            payloads.put(path, payload);
            return payload;
        });
        Path out = tmp.resolve("out");
        write(new Generator(Templates.packaged()).emit(fleet), out);
        Path ansible = out.resolve("ansible");

        // The payloads that reached the inventory (the others went to TOML, HCL or nowhere).
        String inventoryText = inventoryText(ansible);
        Map<String, String> inInventory = new TreeMap<>();
        payloads.forEach((path, payload) -> {
            if (inventoryText.contains(payload)) inInventory.put(path, payload);
        });
        assertTrue(inInventory.size() >= 30, "too few payloads reached the inventory: " + inInventory.keySet());
        for (String field : List.of("name", "hosts[0].ssh.user", "hosts[0].address", "wallets.miner.name",
                "packages.apt_proxy", "logging.remote_collector", "hosts[2].gpus[0].model", "services.executor.user")) {
            assertTrue(inInventory.containsKey(field), field + " should reach the inventory: " + inInventory.keySet());
        }

        Map<String, String> env = environment(tmp);
        // 1. Every variable of every host, templated: the payloads come back as text.
        Tools.Result vars = Tools.run(ansible, env, Duration.ofMinutes(3), List.of("ansible", "all", "-c", "local",
                "-m", "ansible.builtin.debug", "-a", "var=hostvars[inventory_hostname]"));
        assertEquals(0, vars.exitCode(), vars.output());
        assertNoMarkers(markers, vars);
        inInventory.forEach((path, payload) ->
                assertTrue(vars.stdout().contains(payload), path + ": payload not printed verbatim:\n" + vars.output()));
        // The compiler's own expressions were templated in the same run.
        assertFalse(vars.stdout().contains("{{ inventory_dir }}"), "basilica_out_dir was not templated:\n" + vars.stdout());

        // 2. The inventory as Ansible reads it, and every task of site.yml with their templated names.
        Tools.Result inventory = Tools.run(ansible, env, Duration.ofMinutes(2), List.of("ansible-inventory", "--list"));
        assertEquals(0, inventory.exitCode(), inventory.output());
        assertNoMarkers(markers, inventory);
        Tools.Result tasks = Tools.run(ansible, env, Duration.ofMinutes(3),
                List.of("ansible-playbook", "site.yml", "--check", "--list-tasks"));
        assertEquals(0, tasks.exitCode(), tasks.output());
        assertNoMarkers(markers, tasks);

        // 3. A check-mode run of configure.yml on a local connection. It may stop at a task that needs what
        //    this machine lacks (a secret, a package); it must have templated tasks on the way.
        Tools.Result configure = Tools.run(ansible, env, Duration.ofMinutes(5), List.of("ansible-playbook", "configure.yml",
                "--check", "-c", "local", "--limit", "validator-1,gpu-1", "-e", "ansible_python_interpreter=/usr/bin/python3"));
        assertTrue(configure.stdout().contains("TASK ["), configure.output());
        assertTrue(configure.stdout().contains("PLAY RECAP"), configure.output());
        assertNoMarkers(markers, configure);

        // 4. Positive control: the same inventory without !unsafe runs every payload.
        Path control = tmp.resolve("control");
        copy(ansible, control);
        try (Stream<Path> files = Files.walk(control.resolve("inventory"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
                Files.writeString(f, Files.readString(f).replace("!unsafe ", ""));
            }
        }
        Tools.Result unsafe = Tools.run(control, env, Duration.ofMinutes(3), List.of("ansible", "all", "-c", "local",
                "-m", "ansible.builtin.debug", "-a", "var=hostvars[inventory_hostname]"));
        List<String> silent = new ArrayList<>();
        inInventory.forEach((path, payload) -> {
            String marker = payload.replaceFirst("(?s).*touch (\\S+)'.*", "$1");
            if (!Files.exists(Path.of(marker))) silent.add(path);
        });
        assertTrue(silent.isEmpty(), "without !unsafe these payloads should have run, so the test would not see them: "
                + silent + "\n" + unsafe.output());
    }

    /** Units made from the payload values have the same directives, in the same order, as the clean model's. */
    @Test
    void unitsFromHostileValuesKeepTheirDirectives() {
        Fleet clean = ModelStrings.plan(MODEL, (path, v) -> v);
        Fleet hostile = ModelStrings.plan(MODEL, (path, v) -> KEPT.matcher(path).matches() ? v
                : v + "{% if lookup('pipe', 'touch /tmp/never') %}%h{% endif %}{{ 7*7 }}$HOME \"'\\;");
        Map<String, String> cleanUnits = units(clean);
        Map<String, String> hostileUnits = units(hostile);
        assertEquals(cleanUnits.keySet(), hostileUnits.keySet());
        List<String> doubled = new ArrayList<>();
        cleanUnits.forEach((path, text) -> {
            String unit = hostileUnits.get(path);
            assertEquals(directives(text), directives(unit), path + ":\n" + unit);
            for (String line : unit.lines().toList()) {
                // MemoryMax= and comments expand no specifiers (80% is valid there), so the payload stays as written; every
                // other setting that carries it expands specifiers and must have its % doubled.
                if (!line.contains("{{ 7*7 }}") || line.startsWith("MemoryMax=") || line.startsWith("#")) continue;
                assertTrue(line.contains("%%h{%% endif %%}{{ 7*7 }}"), path + ": the payload verbatim, % doubled: " + line);
                doubled.add(path);
            }
        });
        // The executor's run user comes from the model (log levels are enums now): the check above ran.
        assertTrue(doubled.stream().anyMatch(p -> p.endsWith("basilica-executor.service")), "a unit carried the payload: " + doubled);
    }

    /** The service configs read back (real TOML parser) with the payloads as the same text. */
    @Test
    void serviceConfigsCarryHostileValuesAsText() throws Exception {
        String payload = "{{ 7*7 }}\"'\\ ${x} %h #";
        Fleet hostile = ModelStrings.plan(MODEL, (path, v) -> KEPT.matcher(path).matches() ? v : v + payload);
        var toml = new com.fasterxml.jackson.dataformat.toml.TomlMapper();
        int found = 0;
        for (OutputTree.File f : new Generator(Templates.packaged()).emit(hostile).files()) {
            if (!f.path().endsWith(".toml")) continue;
            List<String> strings = new ArrayList<>();
            collect(toml.readTree(f.content()), strings);
            for (String v : strings) {
                if (v.contains("{{ 7*7 }}")) {
                    assertTrue(v.contains(payload), f.path() + ": payload changed: " + v);
                    found++;
                }
            }
        }
        assertTrue(found >= 3, "the payload reached " + found + " config values");
    }

    private static void collect(com.fasterxml.jackson.databind.JsonNode node, List<String> out) {
        if (node.isTextual()) out.add(node.asText());
        node.elements().forEachRemaining(n -> collect(n, out));
    }

    private static Map<String, String> units(Fleet fleet) {
        Map<String, String> units = new TreeMap<>();
        for (OutputTree.File f : new Generator(Templates.packaged()).emit(fleet).files()) {
            if (f.path().endsWith(".service") && f.path().startsWith("systemd/")) {
                units.put(f.path(), new String(f.content(), StandardCharsets.UTF_8));
            }
        }
        return units;
    }

    /** The unit's section headers and setting names, in order. */
    private static List<String> directives(String unit) {
        List<String> keys = new ArrayList<>();
        for (String line : unit.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) continue;
            keys.add(l.startsWith("[") ? l : l.substring(0, Math.max(0, l.indexOf('='))));
        }
        return keys;
    }

    private static void assertNoMarkers(Path markers, Tools.Result run) throws IOException {
        try (Stream<Path> found = Files.list(markers)) {
            List<String> names = found.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.isEmpty(), String.join(" ", run.command()) + " ran model text as code, markers " + names
                    + "\n" + run.output());
        }
    }

    /** Nothing leaves this machine: local temp directories, no retry files, no colour, no remote collections. */
    private static Map<String, String> environment(Path tmp) throws IOException {
        Path home = Files.createDirectories(tmp.resolve("ansible-home"));
        Map<String, String> env = new TreeMap<>(AnsibleToolsTest.QUIET);
        env.put("ANSIBLE_HOME", home.toString());
        env.put("ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString());
        env.put("ANSIBLE_REMOTE_TEMP", home.resolve("remote-tmp").toString());
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "false");
        env.put("ANSIBLE_GALAXY_DISABLE_GPG_VERIFY", "true");
        env.put("ANSIBLE_HOST_KEY_CHECKING", "true");
        return env;
    }

    private static String inventoryText(Path ansible) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.walk(ansible.resolve("inventory"))) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) b.append(Files.readString(f)).append('\n');
        }
        return b.toString();
    }

    private static void write(OutputTree tree, Path target) throws IOException {
        TreeWriter.write(target, TreeWriter.effectiveTree(target, tree, f -> true,
                new TreeWriter.ManifestInfo("test", "hostile", MODEL, "0".repeat(64))));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
