package dev.basilica.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.basilica.emit.ansible.AnsibleEmitter;
import dev.basilica.plan.ServiceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The hosts of a generated environment as its Ansible inventory ({@code out/<env>/ansible/inventory/})
 * names them: address, SSH port, user and key, the services each runs, and the groups. What Ansible
 * connects to is what {@code manage status} and {@code manage logs} connect to.
 *
 * @param hosts  by name, sorted
 * @param groups group name → its hosts (children included), sorted
 */
public record Inventory(Map<String, Host> hosts, Map<String, Set<String>> groups) {

    /** One host of the inventory. {@code key} is null when the inventory names none (ssh's defaults apply). */
    public record Host(String name, String address, int port, String user, String key, List<ServiceKind> services) {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Reads {@code ansibleDir/inventory/hosts.yml} and {@code host_vars/*.yml}; {@code home} expands {@code ~/}. */
    public static Inventory read(Path ansibleDir, String home) throws IOException {
        Path dir = ansibleDir.resolve("inventory");
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(dir.resolve("hosts.yml")));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(e.getFile(), null, "no generated inventory; run 'basilica generate' first");
        }
        Map<String, Set<String>> direct = new TreeMap<>();
        Map<String, Set<String>> children = new TreeMap<>();
        collect("all", root.path("all"), direct, children);
        Map<String, Set<String>> groups = new TreeMap<>();
        for (String g : direct.keySet()) {
            // The generated inventory lists each host once, in a group of the hosts with the same role and feature
            // groups; those groups are layout, not groups an operator names (their hosts are in the groups that
            // name them as children).
            if (g.startsWith(AnsibleEmitter.HOST_SET_PREFIX)) continue;
            groups.put(g, Collections.unmodifiableSortedSet(members(g, direct, children, new TreeSet<>())));
        }
        Set<String> names = new TreeSet<>(groups.getOrDefault("all", Set.of()));
        Map<String, Host> hosts = new TreeMap<>();
        for (String name : names) {
            Path vars = dir.resolve("host_vars").resolve(name + ".yml");
            JsonNode v = Files.exists(vars) ? YAML.readTree(Files.readString(vars)) : YAML.createObjectNode();
            if (v == null) v = YAML.createObjectNode();
            List<ServiceKind> services = new ArrayList<>();
            for (JsonNode s : v.path("basilica_services")) {
                services.add(ServiceKind.byId(s.asText()).orElseThrow(() -> new IOException(
                        vars + ": basilica_services names '" + s.asText() + "', which is not a Basilica service")));
            }
            String key = v.hasNonNull("ansible_ssh_private_key_file") ? expand(v.get("ansible_ssh_private_key_file").asText(), home) : null;
            hosts.put(name, new Host(name, v.path("ansible_host").asText(name), v.path("ansible_port").asInt(22),
                    v.hasNonNull("ansible_user") ? v.get("ansible_user").asText() : null, key, List.copyOf(services)));
        }
        return new Inventory(Collections.unmodifiableSortedMap(new TreeMap<>(hosts)), Collections.unmodifiableSortedMap(new TreeMap<>(groups)));
    }

    /**
     * Records each group's own hosts and its child groups. A group may appear under several parents
     * ({@code executors} under {@code basilica_hosts} and under {@code all}); the entries are merged.
     */
    private static void collect(String group, JsonNode node, Map<String, Set<String>> direct, Map<String, Set<String>> children) {
        Set<String> hosts = direct.computeIfAbsent(group, g -> new TreeSet<>());
        for (Iterator<String> it = node.path("hosts").fieldNames(); it.hasNext(); ) hosts.add(it.next());
        Set<String> kids = children.computeIfAbsent(group, g -> new TreeSet<>());
        for (Map.Entry<String, JsonNode> child : node.path("children").properties()) {
            kids.add(child.getKey());
            collect(child.getKey(), child.getValue(), direct, children);
        }
    }

    /** A group's hosts, its children's included. */
    private static TreeSet<String> members(String group, Map<String, Set<String>> direct, Map<String, Set<String>> children, Set<String> seen) {
        TreeSet<String> out = new TreeSet<>(direct.getOrDefault(group, Set.of()));
        if (!seen.add(group)) return out;
        for (String c : children.getOrDefault(group, Set.of())) out.addAll(members(c, direct, children, seen));
        return out;
    }

    private static String expand(String path, String home) {
        if (home != null && (path.equals("~") || path.startsWith("~/"))) return home + path.substring(1);
        return path;
    }

    /**
     * The hosts a {@code --limit} selects: comma-separated host or group names ({@code all} for every
     * host); null or empty selects every host. Ansible's richer patterns are passed to Ansible as they are,
     * but this tool's own SSH commands accept only names.
     *
     * @throws IllegalArgumentException naming what matched nothing
     */
    public List<Host> select(String limit) {
        if (limit == null || limit.isBlank()) return List.copyOf(hosts.values());
        Set<String> chosen = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String part : limit.split("[,:]")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            if (hosts.containsKey(p)) chosen.add(p);
            else if (groups.containsKey(p)) chosen.addAll(new TreeSet<>(groups.get(p)));
            else unknown.add(p);
        }
        if (!unknown.isEmpty()) {
            Set<String> known = new TreeSet<>(hosts.keySet());
            known.addAll(groups.keySet());
            throw new IllegalArgumentException("no host or group named " + String.join(", ", unknown) + " in the inventory"
                    + dev.basilica.model.Suggestions.didYouMean(unknown.get(0), known));
        }
        return chosen.stream().sorted().map(hosts::get).toList();
    }

    /** The selected hosts that run {@code service} (all selected hosts when it is null). */
    public List<Host> running(List<Host> selected, ServiceKind service) {
        if (service == null) return selected;
        return selected.stream().filter(h -> h.services().contains(service)).toList();
    }
}
