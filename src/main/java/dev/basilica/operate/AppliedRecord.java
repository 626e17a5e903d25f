package dev.basilica.operate;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basilica.livecheck.AppliedConfiguration;
import dev.basilica.output.AtomicFiles;
import dev.basilica.output.OutputLock;
import dev.basilica.plan.DeployedFiles;
import dev.basilica.plan.Fleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code provision all} last applied to each host, as this machine ran it: {@code state/<env>/applied.json}.
 * For each host, the parts of the generated tree its runs read, with their sha256 from the manifest of that
 * run: its own files (the configs, units and monitoring files copied onto it, its inventory variables), the
 * inventory groups it belongs to, and one digest of the files every host reads (roles, playbooks, group
 * variables). A host-limited run compares the current manifest with it to find the hosts a change affects
 * (an added executor's miner, the monitoring host that scrapes it), and converges them too.
 *
 * <p>A host this machine never provisioned has no entry and counts as affected: converging a host that is
 * already right changes nothing. The file is state, not output: {@code generate} never touches it.
 */
public final class AppliedRecord {

    public static final String FILE = "applied.json";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    private static final String HOSTS_YML = "ansible/inventory/hosts.yml";
    private static final String HOST_VARS = "ansible/inventory/host_vars/";

    /** The parts of the generated tree one host's runs read. */
    public record Inputs(SortedMap<String, String> files, List<String> groups, String shared) {
        public Inputs {
            files = new TreeMap<>(files);
            groups = List.copyOf(new TreeSet<>(groups));
        }
    }

    /** One host's entry: what was applied and when. */
    public record Entry(Instant appliedAt, Inputs inputs) {}

    /** A host whose inputs differ from what was applied to it, and how. */
    public record Stale(String host, List<String> changes, Instant appliedAt) {
        /** One line: the host and why it is affected. */
        public String describe() {
            if (appliedAt == null) return host + ": " + String.join("; ", changes);
            return host + ": " + String.join(", ", changes) + " since it was applied (" + appliedAt + ")";
        }
    }

    private AppliedRecord() {}

    /** The digest of what every host reads: the manifest's Ansible files, less the inventory's host list and host variables. */
    public static String shared(Map<String, String> manifest) {
        StringBuilder b = new StringBuilder();
        manifest.forEach((path, sha) -> {
            if (path.startsWith("ansible/") && !path.equals(HOSTS_YML) && !path.startsWith(HOST_VARS)) {
                b.append(sha).append("  ").append(path).append('\n');
            }
        });
        return dev.basilica.output.Manifest.sha256(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Every host's inputs in this manifest, in the fleet's order; the groups come from the generated inventory. */
    public static Map<String, Inputs> current(Fleet fleet, Inventory inventory, Map<String, String> manifest) {
        String shared = shared(manifest);
        Map<String, Inputs> inputs = new LinkedHashMap<>();
        for (Fleet.HostPlan h : fleet.hosts()) {
            List<String> groups = new ArrayList<>();
            inventory.groups().forEach((g, members) -> {
                if (members.contains(h.name())) groups.add(g);
            });
            inputs.put(h.name(), inputs(h, groups, manifest, shared));
        }
        return inputs;
    }

    /** A host's inputs in this manifest; {@code groups} are the inventory groups it belongs to. */
    public static Inputs inputs(Fleet.HostPlan host, Collection<String> groups, Map<String, String> manifest, String shared) {
        List<String> paths = new ArrayList<>();
        for (DeployedFiles.File f : DeployedFiles.of(host)) paths.add(f.source());
        paths.add(DeployedFiles.hostVarsSource(host.name()));
        return new Inputs(AppliedConfiguration.part(manifest, paths), List.copyOf(groups), shared);
    }

    /**
     * The hosts outside {@code chosen} whose inputs differ from the record (or that it does not know), in
     * the fleet's order, each with what changed.
     */
    public static List<Stale> stale(Map<String, Inputs> current, Map<String, Entry> record, Set<String> chosen) {
        List<Stale> out = new ArrayList<>();
        current.forEach((host, now) -> {
            if (chosen.contains(host)) return;
            Entry was = record.get(host);
            if (was == null) {
                out.add(new Stale(host, List.of("no record that this machine ever applied its configuration"), null));
                return;
            }
            List<String> changes = changes(was.inputs(), now);
            if (!changes.isEmpty()) out.add(new Stale(host, changes, was.appliedAt()));
        });
        return out;
    }

    /**
     * What differs between two inputs of one host: its files (compared as the host's own record of what was
     * applied is, by {@link AppliedConfiguration#compare}), its inventory groups, the files every host reads.
     */
    static List<String> changes(Inputs was, Inputs now) {
        List<String> changes = new ArrayList<>(new AppliedConfiguration(null, was.files()).compare(null, now.files()).files());
        if (!was.groups().equals(now.groups())) changes.add("its inventory groups (changed)");
        if (!was.shared().equals(now.shared())) changes.add("the Ansible files every host reads (roles, playbooks, group_vars; changed)");
        return changes;
    }

    /** The record in {@code stateDir}; empty when there is none or it cannot be read (said through {@code warn}). */
    public static Map<String, Entry> read(Path stateDir, java.util.function.Consumer<String> warn) {
        Path file = stateDir.resolve(FILE);
        Map<String, Entry> out = new TreeMap<>();
        if (!Files.isRegularFile(file)) return out;
        try {
            JsonNode hosts = JSON.readTree(Files.readAllBytes(file)).path("hosts");
            for (var e : hosts.properties()) {
                JsonNode h = e.getValue();
                SortedMap<String, String> files = new TreeMap<>();
                h.path("files").properties().forEach(f -> files.put(f.getKey(), f.getValue().asText()));
                List<String> groups = new ArrayList<>();
                h.path("groups").forEach(g -> groups.add(g.asText()));
                out.put(e.getKey(), new Entry(Instant.parse(h.path("applied_at").asText()),
                        new Inputs(files, groups, h.path("shared_sha256").asText())));
            }
        } catch (IOException | RuntimeException e) {
            warn.accept("could not read " + FILE + " in " + stateDir + " (" + e.getMessage()
                    + "); every host counts as not yet applied from this machine");
            return new TreeMap<>();
        }
        return out;
    }

    /**
     * Records that {@code applied} was applied at {@code at}, keeping the other hosts' entries and dropping
     * those of hosts no longer in {@code fleetHosts}. Under a lock, written whole and atomically, so that
     * two operators' runs never lose each other's entries and a killed run leaves the old record.
     */
    public static void record(Path stateDir, Map<String, Inputs> applied, Instant at, Set<String> fleetHosts) throws IOException {
        Path file = stateDir.resolve(FILE);
        try (OutputLock lock = OutputLock.acquire(file, Duration.ofSeconds(60), m -> { })) {
            Map<String, Entry> all = new TreeMap<>(read(stateDir, m -> { }));
            all.keySet().retainAll(fleetHosts);
            applied.forEach((h, in) -> all.put(h, new Entry(at, in)));
            ObjectNode root = JSON.createObjectNode();
            ObjectNode hosts = root.putObject("hosts");
            all.forEach((h, e) -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("applied_at", e.appliedAt().toString());
                entry.put("groups", e.inputs().groups());
                entry.put("shared_sha256", e.inputs().shared());
                entry.put("files", e.inputs().files());
                hosts.set(h, JSON.valueToTree(entry));
            });
            AtomicFiles.write(file, (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new IOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
