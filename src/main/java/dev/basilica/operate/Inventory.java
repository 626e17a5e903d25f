package dev.basilica.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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
    public record Host(String name, String address, int port, String user, String key, List<String> services) {}

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
        Map<String, Set<String>> groups = new TreeMap<>();
        Set<String> names = new TreeSet<>();
        collect("all", root.path("all"), groups, names);
        Map<String, Host> hosts = new TreeMap<>();
        for (String name : names) {
            Path vars = dir.resolve("host_vars").resolve(name + ".yml");
            JsonNode v = Files.exists(vars) ? YAML.readTree(Files.readString(vars)) : YAML.createObjectNode();
            if (v == null) v = YAML.createObjectNode();
            List<String> services = new ArrayList<>();
            v.path("basilica_services").forEach(s -> services.add(s.asText()));
            String key = v.hasNonNull("ansible_ssh_private_key_file") ? expand(v.get("ansible_ssh_private_key_file").asText(), home) : null;
            hosts.put(name, new Host(name, v.path("ansible_host").asText(name), v.path("ansible_port").asInt(22),
                    v.hasNonNull("ansible_user") ? v.get("ansible_user").asText() : null, key, List.copyOf(services)));
        }
        Map<String, Set<String>> frozen = new TreeMap<>();
        groups.forEach((g, h) -> frozen.put(g, Set.copyOf(h)));
        return new Inventory(Map.copyOf(hosts), frozen);
    }

    /** Returns the hosts of {@code group} and its children, adding every host it meets to {@code names}. */
    private static Set<String> collect(String group, JsonNode node, Map<String, Set<String>> groups, Set<String> names) {
        Set<String> members = new TreeSet<>();
        for (Iterator<String> it = node.path("hosts").fieldNames(); it.hasNext(); ) members.add(it.next());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("children").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> child = it.next();
            members.addAll(collect(child.getKey(), child.getValue(), groups, names));
        }
        // A group is listed under several parents (executors under basilica_hosts and all): merge.
        groups.computeIfAbsent(group, g -> new TreeSet<>()).addAll(members);
        names.addAll(members);
        return groups.get(group);
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
    public List<Host> running(List<Host> selected, String service) {
        if (service == null) return selected;
        return selected.stream().filter(h -> h.services().contains(service)).toList();
    }
}
