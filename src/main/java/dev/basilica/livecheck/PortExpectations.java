package dev.basilica.livecheck;

import dev.basilica.plan.Role;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FirewallPlanner;
import dev.basilica.plan.FirewallRule;
import dev.basilica.plan.HostFeature;
import dev.basilica.plan.ServiceKind;
import dev.basilica.plan.ServicePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which TCP ports of a host the model says the control machine can reach, and a representative set it
 * must not reach. Computed from the {@link dev.basilica.plan.FirewallPlan} alone (the same rules the
 * Terraform and ufw outputs are made from), for the address the control machine connects from.
 */
public final class PortExpectations {

    /**
     * Ports outside every model that are classic accidents on a GPU host: telnet, the Docker API without
     * TLS, MySQL, PostgreSQL, Redis, the Jupyter default. One probe each is enough to show a default-deny
     * firewall is in place.
     */
    static final List<Integer> UNMODELLED_SAMPLE = List.of(23, 2375, 3306, 5432, 6379, 8888);

    /**
     * One port to probe.
     *
     * @param open     whether the model opens it to the control machine
     * @param listener what the model runs on it (null for a custom rule or an unmodelled port)
     * @param service  the Basilica service that listens there, or null
     * @param why      the firewall rules or the reason it must be closed
     */
    public record Port(int port, boolean open, String listener, ServiceKind service, String why) {}

    private PortExpectations() {}

    /**
     * @param controller the address the control machine connects to this host from
     */
    public static List<Port> of(Fleet fleet, Fleet.HostPlan host, String controller) {
        Map<Integer, Listener> listeners = listeners(fleet, host);
        TreeMap<Integer, Port> out = new TreeMap<>();
        boolean firewalled = fleet.firewall().enabled();
        if (!firewalled) {
            // Without a firewall everything that listens on all addresses is reachable.
            listeners.forEach((p, l) -> {
                if (l.external()) out.put(p, new Port(p, true, l.name(), l.service(), "no firewall in the model (firewall.enabled: false)"));
            });
            return List.copyOf(out.values());
        }
        Map<Integer, List<String>> openBy = new TreeMap<>();
        for (Role role : host.host().roles()) {
            for (FirewallRule r : fleet.firewall().rulesFor(role, FirewallRule.Direction.INGRESS)) {
                if (r.protocol() == FirewallRule.Protocol.UDP) continue;
                // The host's own firewall leaves the exporter's rules out where it does not run.
                if (!host.has(HostFeature.GPU_EXPORTER) && FirewallPlanner.gpuExporterOnly(r)) continue;
                if (!r.admits(controller)) continue;
                if (r.protocol() == FirewallRule.Protocol.ALL) continue; // every port: nothing specific to probe
                for (int p : r.singlePort() ? List.of(r.fromPort()) : List.of(r.fromPort(), r.toPort())) {
                    openBy.computeIfAbsent(p, k -> new ArrayList<>()).add(r.id());
                }
            }
        }
        int ssh = host.host().ssh().port();
        openBy.computeIfAbsent(ssh, k -> new ArrayList<>());
        openBy.forEach((p, rules) -> {
            Listener l = listeners.get(p);
            String why = rules.isEmpty() ? "the SSH port the tool connects to" : "opened by " + String.join(", ", rules);
            out.put(p, new Port(p, true, l != null ? l.name() : null, l != null ? l.service() : null, why));
        });
        listeners.forEach((p, l) -> {
            if (!out.containsKey(p) && l.external()) {
                out.put(p, new Port(p, false, l.name(), l.service(), "the model opens it to its peers only, not to " + controller));
            }
        });
        for (int p : UNMODELLED_SAMPLE) {
            if (!out.containsKey(p)) out.put(p, new Port(p, false, null, null, "no rule of the model opens it"));
        }
        return List.copyOf(out.values());
    }

    /** @param external whether it listens on every address (else only on loopback, so it is closed from outside anyway) */
    record Listener(String name, ServiceKind service, boolean external) {}

    /** What the model runs on which port of this host. */
    static Map<Integer, Listener> listeners(Fleet fleet, Fleet.HostPlan host) {
        Map<Integer, Listener> m = new TreeMap<>();
        m.put(host.host().ssh().port(), new Listener("SSH", null, true));
        for (ServiceKind kind : ServiceKind.stopOrder()) {
            if (!host.runs(kind)) continue;
            ServicePlan service = host.plan(kind);
            for (ServicePlan.Listener l : service.listeners()) m.put(l.port(), new Listener(l.name(), service.kind(), l.external()));
        }
        var mon = fleet.settings().monitoring();
        if (mon.enabled()) {
            m.putIfAbsent(mon.nodeExporterPort(), new Listener("node exporter", null, true));
            if (host.has(HostFeature.GPU_EXPORTER)) {
                m.putIfAbsent(mon.gpuExporterPort(), new Listener("GPU exporter", null, true));
            }
            if (host.host().has(Role.MONITORING)) {
                m.putIfAbsent(mon.prometheusPort(), new Listener("Prometheus", null, true));
                m.putIfAbsent(mon.alertmanagerPort(), new Listener("Alertmanager", null, true));
                if (mon.grafana()) m.putIfAbsent(mon.grafanaPort(), new Listener("Grafana", null, true));
            }
        }
        return m;
    }
}
