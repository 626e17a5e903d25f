package dev.basilica.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.basilica.livecheck.AppliedConfiguration;
import dev.basilica.output.Manifest;
import dev.basilica.output.OutputRefusedException;
import dev.basilica.plan.HostLayout;
import dev.basilica.plan.ServiceKind;
import dev.basilica.run.ToolRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The state of each Basilica unit on each host, read over SSH with {@code systemctl show} (one connection
 * per host, hosts in parallel), and in the same connection the host's record of the applied configuration
 * ({@code /var/lib/basilica/applied.json}, 0644, so no root needed) compared with {@code out/<env>/MANIFEST.json}:
 * what {@code manage status} prints.
 */
public final class ServiceStatus {

    /**
     * One unit on one host. {@code active} is {@code unreachable} when the host could not be asked (then
     * {@code since} says why); otherwise {@code since} says when the unit entered its state, in words that name the
     * state ({@code "failed since Fri 2026-12-04 19:59:41 UTC"}; see {@link #stateChange}).
     */
    public record Row(String host, ServiceKind service, String active, String sub, String enabled, String since) {
        public boolean running() {
            return active.equals("active");
        }
    }

    /** The units of every host, then one line per host on its configuration ({@link #configuration}), by host. */
    public record Result(List<Row> rows, Map<String, String> configurations) {}

    private static final int PARALLEL = 16;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The line the remote command prints between the units and the record. */
    static final String RECORD_MARKER = "--- basilica applied record ---";

    private final ToolRunner runner;
    private final Ssh ssh;
    private final Duration timeout;
    private final Path out;

    /** @param out {@code out/<env>/}, whose manifest and host variables say what each host should run; null: not compared */
    public ServiceStatus(ToolRunner runner, Ssh ssh, Duration timeout, Path out) {
        this.runner = runner;
        this.ssh = ssh;
        this.timeout = timeout;
        this.out = out;
    }

    /**
     * What {@code systemctl show} is asked for: the unit's state, its enablement, and the timestamps that say when it
     * entered that state (systemd prints them in its own order, not this one; an unset timestamp is an empty value).
     */
    static final String PROPERTIES = "Id,LoadState,ActiveState,SubState,UnitFileState,Result,ActiveEnterTimestamp,"
            + "InactiveEnterTimestamp,StateChangeTimestamp,ExecMainExitTimestamp";

    /**
     * The remote command for the units of these services, then the record's modification time (seconds since the
     * epoch) and text. Fixed words, unit names and a fixed path only; a missing record prints nothing after the marker.
     */
    public static String remoteCommand(List<ServiceKind> services) {
        StringBuilder b = new StringBuilder("systemctl show --no-pager --property=" + PROPERTIES);
        for (ServiceKind s : services) b.append(' ').append(s.unitName());
        b.append("; echo '").append(RECORD_MARKER).append("'; stat -c %Y ").append(HostLayout.APPLIED_RECORD)
                .append(" 2>/dev/null && cat ").append(HostLayout.APPLIED_RECORD);
        return b.toString();
    }

    /** Rows in host order, then in the order the services were given. */
    public List<Row> read(List<Inventory.Host> hosts, ServiceKind service) throws IOException {
        return status(hosts, service).rows();
    }

    /** The units' rows in host order, then in the order the services were given, and each host's configuration. */
    public Result status(List<Inventory.Host> hosts, ServiceKind service) throws IOException {
        Map<String, String> manifest = null;
        String env = null;
        if (out != null) {
            try {
                manifest = Manifest.digests(out).orElse(null);
                env = Manifest.read(out).map(Manifest.Previous::environment).orElse(null);
            } catch (OutputRefusedException e) {
                manifest = null;
            }
        }
        Map<String, String> current = manifest;
        String environment = env != null ? env : out != null ? out.getFileName().toString() : null;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL, hosts.size())));
        try {
            List<Future<HostStatus>> futures = new ArrayList<>();
            for (Inventory.Host h : hosts) {
                List<ServiceKind> services = service != null ? List.of(service) : h.services();
                futures.add(pool.submit(() -> read(h, services, current, environment)));
            }
            List<Row> rows = new ArrayList<>();
            Map<String, String> configurations = new LinkedHashMap<>();
            for (Future<HostStatus> f : futures) {
                try {
                    HostStatus hs = f.get();
                    rows.addAll(hs.rows());
                    if (hs.configuration() != null) configurations.put(hs.host(), hs.configuration());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) throw io;
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            return new Result(rows, configurations);
        } finally {
            pool.shutdownNow();
        }
    }

    private record HostStatus(String host, List<Row> rows, String configuration) {}

    private HostStatus read(Inventory.Host host, List<ServiceKind> services, Map<String, String> manifest, String env)
            throws IOException {
        if (services.isEmpty()) return new HostStatus(host.name(), List.of(), null);
        ToolRunner.Result r = runner.run(new ToolRunner.Invocation(ssh.command(host, remoteCommand(services), false), null, timeout,
                Map.of(), l -> { }, l -> { }));
        if (!r.succeeded() && r.stdout().isBlank()) {
            String why = r.timedOut() ? "timed out" : r.stderr().strip().lines().reduce((a, b) -> b).orElse("ssh exit " + r.exitCode());
            return new HostStatus(host.name(), services.stream().map(s -> new Row(host.name(), s, "unreachable", "", "", why)).toList(),
                    "unreachable");
        }
        int marker = r.stdout().indexOf(RECORD_MARKER);
        String units = marker < 0 ? r.stdout() : r.stdout().substring(0, marker);
        String record = marker < 0 ? null : r.stdout().substring(marker + RECORD_MARKER.length());
        String configuration = manifest == null || out == null ? "not compared: no MANIFEST.json in the generated tree"
                : configuration(record, AppliedConfiguration.part(manifest, deployedSources(out, host.name())), env);
        return new HostStatus(host.name(), rows(host, services, parse(units)), configuration);
    }

    /**
     * What the host runs, from the remote command's output after the marker (the record's modification time in
     * seconds, then its JSON; nothing when there is no record) and the host's part of the current manifest.
     */
    static String configuration(String afterMarker, Map<String, String> expected, String env) {
        String text = afterMarker == null ? "" : afterMarker.strip();
        if (text.isEmpty()) return "no record (never configured by this version, or only by runs limited with --tags or --service)";
        int nl = text.indexOf('\n');
        String since;
        try {
            since = AppliedConfiguration.since(Double.parseDouble(nl < 0 ? text : text.substring(0, nl).strip()));
        } catch (NumberFormatException e) {
            return "record not readable";
        }
        AppliedConfiguration record;
        try {
            record = AppliedConfiguration.parse(nl < 0 ? "" : text.substring(nl + 1));
        } catch (IllegalArgumentException e) {
            return "record of " + since + " not readable: " + e.getMessage();
        }
        AppliedConfiguration.Difference d = record.compare(env, expected);
        if (d.none()) return "configuration current since " + since;
        String other = d.otherEnvironment() != null ? " of environment " + d.otherEnvironment() : "";
        return "older configuration" + other + " since " + since + ", " + d.counted("file") + " changed: " + AppliedConfiguration.summary(d, 3);
    }

    /** The generated files copied onto the host, as its host variables list them ({@code basilica_deployed_files}). */
    static List<String> deployedSources(Path out, String host) throws IOException {
        Path vars = out.resolve("ansible/inventory/host_vars").resolve(host + ".yml");
        if (!Files.isRegularFile(vars)) return List.of();
        JsonNode v = YAML.readTree(Files.readString(vars));
        List<String> sources = new ArrayList<>();
        if (v != null) for (JsonNode f : v.path("basilica_deployed_files")) sources.add(f.path("source").asText());
        return sources;
    }

    private static List<Row> rows(Inventory.Host host, List<ServiceKind> services, Map<String, Map<String, String>> units) {
        List<Row> rows = new ArrayList<>();
        for (ServiceKind s : services) {
            Map<String, String> u = units.getOrDefault(s.unitName(), Map.of());
            String active = "not-found".equals(u.get("LoadState")) ? "not-found" : u.getOrDefault("ActiveState", "unknown");
            rows.add(new Row(host.name(), s, active, u.getOrDefault("SubState", ""), u.getOrDefault("UnitFileState", ""),
                    active.equals("not-found") ? "" : stateChange(u)));
        }
        return rows;
    }

    /** The units' table, then each host's configuration. */
    public static List<String> table(Result result) {
        List<String> lines = new ArrayList<>(table(result.rows()));
        if (result.configurations().isEmpty()) return lines;
        int w = Math.max("HOST".length(), result.configurations().keySet().stream().mapToInt(String::length).max().orElse(0));
        lines.add("");
        lines.add(String.format("%-" + w + "s  %s", "HOST", "CONFIGURATION"));
        result.configurations().forEach((h, c) -> lines.add(String.format("%-" + w + "s  %s", h, c)));
        return lines;
    }

    /**
     * When a unit entered its current state, named by that state, from one unit's {@code systemctl show} block:
     * an active unit since it became active ({@code ActiveEnterTimestamp}), an inactive or failed one since it
     * stopped ({@code InactiveEnterTimestamp}, else its main process's exit), a unit between states (activating,
     * an {@code auto-restart} wait, deactivating, reloading) since it entered that sub-state
     * ({@code StateChangeTimestamp}), which is also the fallback whenever the state's own timestamp is unset.
     * {@code ActiveEnterTimestamp} alone, as earlier versions read it, gave a stopped unit the time it last started.
     */
    static String stateChange(Map<String, String> unit) {
        String state = unit.getOrDefault("ActiveState", "");
        String time = switch (state) {
            case "active" -> first(unit, "ActiveEnterTimestamp", "StateChangeTimestamp");
            case "inactive", "failed" -> first(unit, "InactiveEnterTimestamp", "ExecMainExitTimestamp", "StateChangeTimestamp");
            default -> first(unit, "StateChangeTimestamp");
        };
        if (time.isEmpty()) return state.equals("inactive") ? "never started" : "";
        String sub = unit.getOrDefault("SubState", "");
        String result = unit.getOrDefault("Result", "");
        String what = switch (state) {
            case "active", "inactive" -> state;
            case "failed" -> result.isEmpty() || result.equals("success") ? state : state + " (" + result + ")";
            default -> sub.isEmpty() ? state : sub;
        };
        return what + " since " + time;
    }

    private static String first(Map<String, String> unit, String... properties) {
        for (String p : properties) {
            String v = unit.getOrDefault(p, "").strip();
            if (!v.isEmpty() && !v.equals("n/a")) return v;
        }
        return "";
    }

    /** {@code systemctl show} output: blocks of {@code Key=Value} lines, one block per unit, by {@code Id}. */
    static Map<String, Map<String, String>> parse(String text) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> current = new LinkedHashMap<>();
        for (String line : (text + "\n\n").lines().toList()) {
            if (line.isBlank()) {
                if (current.containsKey("Id")) out.put(current.get("Id"), current);
                current = new LinkedHashMap<>();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0) current.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    /** The table {@code manage status} prints. */
    public static List<String> table(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"HOST", "SERVICE", "STATE", "SUB", "ENABLED", "LAST CHANGE"});
        for (Row r : rows) cells.add(new String[] {r.host(), r.service().id(), r.active(), r.sub(), r.enabled(), r.since()});
        int[] w = new int[6];
        for (String[] c : cells) for (int i = 0; i < 6; i++) w[i] = Math.max(w[i], c[i].length());
        List<String> out = new ArrayList<>();
        for (String[] c : cells) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 6; i++) b.append(String.format("%-" + w[i] + "s", c[i])).append(i < 5 ? "  " : "");
            out.add(b.toString().stripTrailing());
        }
        return out;
    }
}
