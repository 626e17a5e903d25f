package dev.basilica.operate;

import dev.basilica.plan.ServiceKind;
import dev.basilica.run.ToolRunner;
import java.io.IOException;
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
 * per host, hosts in parallel): what {@code manage status} prints.
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

    private static final int PARALLEL = 16;

    private final ToolRunner runner;
    private final Ssh ssh;
    private final Duration timeout;

    public ServiceStatus(ToolRunner runner, Ssh ssh, Duration timeout) {
        this.runner = runner;
        this.ssh = ssh;
        this.timeout = timeout;
    }

    /**
     * What {@code systemctl show} is asked for: the unit's state, its enablement, and the timestamps that say when it
     * entered that state (systemd prints them in its own order, not this one; an unset timestamp is an empty value).
     */
    static final String PROPERTIES = "Id,LoadState,ActiveState,SubState,UnitFileState,Result,ActiveEnterTimestamp,"
            + "InactiveEnterTimestamp,StateChangeTimestamp,ExecMainExitTimestamp";

    /** The remote command for the units of these services. */
    public static String remoteCommand(List<ServiceKind> services) {
        StringBuilder b = new StringBuilder("systemctl show --no-pager --property=" + PROPERTIES);
        for (ServiceKind s : services) b.append(' ').append(s.unitName());
        return b.toString();
    }

    /** Rows in host order, then in the order the services were given. */
    public List<Row> read(List<Inventory.Host> hosts, ServiceKind service) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL, hosts.size())));
        try {
            List<Future<List<Row>>> futures = new ArrayList<>();
            for (Inventory.Host h : hosts) {
                List<ServiceKind> services = service != null ? List.of(service) : h.services();
                futures.add(pool.submit(() -> read(h, services)));
            }
            List<Row> rows = new ArrayList<>();
            for (Future<List<Row>> f : futures) {
                try {
                    rows.addAll(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) throw io;
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Row> read(Inventory.Host host, List<ServiceKind> services) throws IOException {
        if (services.isEmpty()) return List.of();
        ToolRunner.Result r = runner.run(new ToolRunner.Invocation(ssh.command(host, remoteCommand(services), false), null, timeout,
                Map.of(), l -> { }, l -> { }));
        if (!r.succeeded() && r.stdout().isBlank()) {
            String why = r.timedOut() ? "timed out" : r.stderr().strip().lines().reduce((a, b) -> b).orElse("ssh exit " + r.exitCode());
            return services.stream().map(s -> new Row(host.name(), s, "unreachable", "", "", why)).toList();
        }
        Map<String, Map<String, String>> units = parse(r.stdout());
        List<Row> rows = new ArrayList<>();
        for (ServiceKind s : services) {
            Map<String, String> u = units.getOrDefault(s.unitName(), Map.of());
            String active = "not-found".equals(u.get("LoadState")) ? "not-found" : u.getOrDefault("ActiveState", "unknown");
            rows.add(new Row(host.name(), s, active, u.getOrDefault("SubState", ""), u.getOrDefault("UnitFileState", ""),
                    active.equals("not-found") ? "" : stateChange(u)));
        }
        return rows;
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
