package dev.basilica.emit.ansible;

import dev.basilica.emit.GeneratedHeader;
import dev.basilica.emit.Templates;
import dev.basilica.emit.YamlWriter;
import dev.basilica.output.OutputKind;
import dev.basilica.output.OutputTree;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.Fleet.HostPlan;
import dev.basilica.plan.HostFeature;
import dev.basilica.plan.ServiceKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Fleet → {@code ansible/}: the roles and playbooks that do not depend on the model (copied verbatim
 * from {@code generators/ansible/}, Ansible's own templating untouched), plus what does: ansible.cfg,
 * the inventory with one group per role and per feature, group and host variables, and every role's
 * {@code meta/argument_specs.yml}. Plays target the feature groups, so each host gets only the tasks
 * it needs and the playbooks themselves stay the same for every model.
 */
public final class AnsibleEmitter {

    public static final OutputKind KIND = OutputKind.ANSIBLE;
    static final String DIR = "ansible/";
    /** Index of the packaged static files (a jar cannot list a directory). */
    public static final String INDEX = "ansible/FILES";
    static final String ROLLING_UPDATE = "ansible-model/rolling-update.yml";
    /** Pull mode's files, written only when the model has {@code pull}. */
    static final String PULL_BOOTSTRAP = "ansible-model/pull-bootstrap.yml";
    static final String PULL_WRAPPER = "ansible-model/basilica-pull";

    private AnsibleEmitter() {}

    public static void emit(Fleet fleet, Templates templates, OutputTree out) {
        for (String path : staticFiles(templates)) {
            out.put(DIR + path, templates.source("ansible/" + path), KIND, null);
        }
        String header = GeneratedHeader.line(fleet, "#");
        out.put(DIR + "ansible.cfg", ansibleCfg(fleet, header), KIND, null);
        // serial: is templated before the inventory is read, so the model's batch size is written in.
        out.put(DIR + "rolling-update.yml", header + templates.source(ROLLING_UPDATE)
                .replace("@batch_percent@", Integer.toString(fleet.settings().rollingBatchPercent())), KIND, null);
        if (fleet.settings().pull() != null) {
            out.put(DIR + "pull-bootstrap.yml", header + templates.source(PULL_BOOTSTRAP), KIND, null);
            out.put(DIR + "files/basilica-pull", templates.source(PULL_WRAPPER), KIND, null);
        }
        out.put(DIR + "inventory/hosts.yml", YamlWriter.inventory(header, inventory(fleet)), KIND, null);
        out.put(DIR + "inventory/group_vars/all.yml", YamlWriter.inventory(header, AnsibleVariables.all(fleet)), KIND, null);
        // One file per host: the bulk of a large fleet's output, rendered on every core.
        AnsibleVariables.FirewallRuleLists rules = new AnsibleVariables.FirewallRuleLists(fleet);
        List<String> hostVars = fleet.hosts().parallelStream()
                .map(h -> YamlWriter.inventory(header, AnsibleVariables.host(fleet, h, rules))).toList();
        for (int i = 0; i < hostVars.size(); i++) {
            out.put(DIR + "inventory/host_vars/" + fleet.hosts().get(i).name() + ".yml", hostVars.get(i), KIND, null);
        }
        RoleInterfaces.ENTRY_POINTS.forEach((role, entries) ->
                out.put(DIR + "roles/" + role + "/meta/argument_specs.yml",
                        YamlWriter.document(header, RoleInterfaces.argumentSpecs(role, entries)), KIND, null));
    }

    /** The static files, as listed in the index (one path a line, relative to generators/ansible/). */
    public static List<String> staticFiles(Templates templates) {
        return templates.source(INDEX).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** A name that is the same text to configparser (% interpolation), str.format and strftime (ansible_managed). */
    private static final java.util.regex.Pattern CFG_PLAIN = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    static String ansibleCfg(Fleet fleet, String header) {
        var a = fleet.settings().ansible();
        // Ansible reads ansible.cfg with configparser's % interpolation and formats ansible_managed with
        // str.format and strftime: model text goes in only when it is a plain name, or not at all (the
        // strategy is one of the model's enum words).
        String managed = CFG_PLAIN.matcher(fleet.name()).matches() ? "the basilica environment " + fleet.name() : "a basilica environment";
        return header
                + "# Run from this directory (ansible.cfg is read from the working directory), e.g.\n"
                + "#   ansible-playbook known-hosts.yml   (first contact: records the hosts' SSH keys)\n"
                + "#   ansible-playbook site.yml          (every phase)\n"
                + "[defaults]\n"
                + "inventory = inventory/hosts.yml\n"
                + "roles_path = roles\n"
                + "forks = " + a.forks() + "\n"
                + "strategy = " + a.strategy() + "\n"
                + "retry_files_enabled = False\n"
                + "host_key_checking = True\n"
                + "interpreter_python = auto_silent\n"
                + "gathering = explicit\n"
                + "ansible_managed = Managed by Ansible from " + managed + "; local changes are overwritten.\n"
                + "\n"
                + "[inventory]\n"
                + "# Ansible's default plugins with 'yaml' first: the default order tries 'auto' before it, which\n"
                + "# parses all of hosts.yml only to find that it is not a plugin configuration.\n"
                + "enable_plugins = yaml, host_list, script, auto, ini, toml\n"
                + "\n"
                + "[ssh_connection]\n"
                + "pipelining = True\n"
                + "ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o ServerAliveInterval=30\n";
    }

    /**
     * Prefix of the groups that list the hosts: each host is listed once, in the group of the hosts that
     * belong to exactly the same role and feature groups, and those groups name these as children.
     * {@code operate.Inventory} leaves them out of the groups it reports.
     */
    public static final String HOST_SET_PREFIX = "basilica_set_";

    /**
     * Groups: one per role, one per feature; every group present even when empty, so plays never miss one.
     * A host is written once, not once per group it belongs to: Ansible's start-up on a large inventory
     * grows with the host entries it parses (six per executor before), and a one-host run on 10,000
     * executors paid for all 60,000 of them. A set group's name is a digest of its group names, so it does
     * not change when hosts are added or removed.
     */
    static Map<String, Object> inventory(Fleet fleet) {
        Map<String, Predicate<HostPlan>> groups = new TreeMap<>();
        groups.put("validators", h -> h.runs(ServiceKind.VALIDATOR));
        groups.put("miners", h -> h.runs(ServiceKind.MINER));
        groups.put("executors", h -> h.runs(ServiceKind.EXECUTOR));
        for (HostFeature f : HostFeature.values()) groups.put(f.group(), h -> h.has(f));

        // host set (sorted group names) -> its hosts, in the fleet's order
        Map<List<String>, Map<String, Object>> sets = new LinkedHashMap<>();
        for (HostPlan h : fleet.hosts()) {
            List<String> member = new ArrayList<>();
            groups.forEach((name, test) -> {
                if (test.test(h)) member.add(name);
            });
            // a host without variables of its own here (they are in host_vars/): "name:" with no value, which
            // Ansible parses faster than "name: {}" (no mapping to build and copy per host)
            sets.computeIfAbsent(List.copyOf(member), k -> new LinkedHashMap<>()).put(h.name(), null);
        }
        Map<String, Map<String, Object>> setGroups = new TreeMap<>();
        Map<String, Map<String, Object>> childrenOf = new TreeMap<>();
        for (String g : groups.keySet()) childrenOf.put(g, new TreeMap<>());
        sets.forEach((member, hosts) -> {
            String name = setName(member);
            if (setGroups.put(name, hosts) != null) throw new IllegalStateException("two host sets named " + name);
            for (String g : member) childrenOf.get(g).put(name, Map.of());
        });

        Map<String, Object> children = new LinkedHashMap<>();
        Map<String, Object> basilicaHosts = new LinkedHashMap<>();
        Map<String, Object> serviceGroups = new LinkedHashMap<>();
        for (String g : List.of("executors", "miners", "validators")) serviceGroups.put(g, Map.of());
        basilicaHosts.put("children", serviceGroups);
        children.put("basilica_hosts", basilicaHosts);
        childrenOf.forEach((name, sets2) -> children.put(name, sets2.isEmpty() ? Map.of() : Map.of("children", sets2)));
        setGroups.forEach((name, hosts) -> children.put(name, Map.of("hosts", hosts)));
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("children", children);
        return Map.of("all", all);
    }

    /** {@code basilica_set_} and the first 10 hex digits of the SHA-256 of the comma-joined group names. */
    static String setName(List<String> groupNames) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(String.join(",", groupNames).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HOST_SET_PREFIX + java.util.HexFormat.of().formatHex(d).substring(0, 10);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
