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
                + "[ssh_connection]\n"
                + "pipelining = True\n"
                + "ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o ServerAliveInterval=30\n";
    }

    /** Groups: one per role, one per feature; every group present even when empty, so plays never miss one. */
    static Map<String, Object> inventory(Fleet fleet) {
        Map<String, List<String>> groups = new TreeMap<>();
        add(groups, fleet, "validators", h -> h.runs(ServiceKind.VALIDATOR));
        add(groups, fleet, "miners", h -> h.runs(ServiceKind.MINER));
        add(groups, fleet, "executors", h -> h.runs(ServiceKind.EXECUTOR));
        for (HostFeature f : HostFeature.values()) add(groups, fleet, f.group(), h -> h.has(f));

        Map<String, Object> children = new LinkedHashMap<>();
        Map<String, Object> basilicaHosts = new LinkedHashMap<>();
        Map<String, Object> serviceGroups = new LinkedHashMap<>();
        for (String g : List.of("executors", "miners", "validators")) serviceGroups.put(g, Map.of());
        basilicaHosts.put("children", serviceGroups);
        children.put("basilica_hosts", basilicaHosts);
        groups.forEach((name, hosts) -> {
            Map<String, Object> members = new LinkedHashMap<>();
            for (String h : hosts) members.put(h, Map.of());
            children.put(name, Map.of("hosts", members));
        });
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("children", children);
        return Map.of("all", all);
    }

    private static void add(Map<String, List<String>> groups, Fleet fleet, String group, Predicate<HostPlan> member) {
        List<String> hosts = new ArrayList<>();
        for (HostPlan h : fleet.hosts()) {
            if (member.test(h)) hosts.add(h.name());
        }
        groups.put(group, hosts);
    }
}
