package dev.basilica.plan;

import dev.basilica.model.Addresses;
import dev.basilica.model.Environment;
import dev.basilica.model.Environment.Host;
import dev.basilica.plan.FirewallRule.Direction;
import dev.basilica.plan.FirewallRule.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Environment → {@link FirewallPlan}: who may reach which port of which role, from where.
 *
 * <ul>
 *   <li>SSH: every role, on each distinct SSH port of its hosts, from {@code firewall.ssh_sources}. Executors
 *       also on port 22 from {@code validator_sources} and the model's validator hosts: validators verify
 *       executors over SSH, and the miner hands them port 22.</li>
 *   <li>Validator API from {@code api_sources}.</li>
 *   <li>Miner gRPC from {@code validator_sources} and the validator hosts.</li>
 *   <li>Executor gRPC from the miner hosts, the validator hosts and {@code validator_sources}.</li>
 *   <li>Service metrics, node exporter (every role) and GPU exporter (executors that run it: {@link HostFeature#GPU_EXPORTER}) from the monitoring host
 *       and {@code metrics_sources}; exporters only when monitoring is enabled.</li>
 *   <li>Monitoring host: Prometheus, Alertmanager and (when {@code monitoring.grafana}) Grafana from
 *       {@code metrics_sources} only.</li>
 *   <li>{@code firewall.rules}, and one explicit outbound rule per role to each of
 *       {@code egress_destinations}.</li>
 * </ul>
 *
 * Host peers are their {@code address} as a single-address block; hosts with a DNS name there are left
 * out (the validator warns). Rules with the same identity are merged, keeping every purpose.
 */
public final class FirewallPlanner {

    /**
     * Purpose of an executor's gRPC rule from a miner host, followed by the miner's name. The role-wide
     * plan allows every miner (cloud firewalls are per role); a host's own rules keep only its miner's.
     */
    public static final String MINER_TO_EXECUTOR = "executor gRPC called by miner ";

    /** Purpose prefix of the GPU exporter's rules, which a host without {@link HostFeature#GPU_EXPORTER} leaves out. */
    public static final String GPU_EXPORTER = "GPU exporter ";

    /** Whether a rule exists only for the GPU exporter. */
    public static boolean gpuExporterOnly(FirewallRule r) {
        return r.purposes().stream().allMatch(p -> p.startsWith(GPU_EXPORTER));
    }

    /** The SSH port validators use for executor verification (the miner passes no other). */
    public static final int VERIFICATION_SSH_PORT = 22;

    private final Environment env;
    private final Map<String, Draft> rules = new LinkedHashMap<>();

    private record Draft(Role role, Direction direction, Protocol protocol, int from, int to, String peer, TreeSet<String> purposes) {}

    private FirewallPlanner(Environment env) {
        this.env = env;
    }

    public static FirewallPlan plan(Environment env) {
        List<Role> roles = new ArrayList<>();
        for (Role r : Role.values()) {
            if (!hostsWith(env, r).isEmpty()) roles.add(r);
        }
        if (!env.firewall().enabled()) return new FirewallPlan(false, roles, List.of());
        FirewallPlanner p = new FirewallPlanner(env);
        p.derive(roles);
        List<FirewallRule> out = new ArrayList<>();
        for (Draft d : p.rules.values()) {
            out.add(new FirewallRule(d.role(), d.direction(), d.protocol(), d.from(), d.to(), d.peer(), List.copyOf(d.purposes())));
        }
        out.sort(FirewallRule.ORDER);
        return new FirewallPlan(true, roles, out);
    }

    private void derive(List<Role> roles) {
        var fw = env.firewall();
        var s = env.services();
        var m = env.monitoring();
        List<Host> validators = sorted(hostsWith(env, Role.VALIDATOR));
        List<Host> miners = sorted(hostsWith(env, Role.MINER));
        List<Host> monitors = m.enabled() ? sorted(hostsWith(env, Role.MONITORING)) : List.of();

        for (Role role : roles) {
            for (int port : new TreeSet<>(hostsWith(env, role).stream().map(h -> h.ssh().port()).toList())) {
                sources(role, Protocol.TCP, port, port, fw.sshSources(), "SSH from firewall.ssh_sources");
            }
            for (String cidr : fw.egressDestinations()) {
                add(role, Direction.EGRESS, Protocol.ALL, 0, 0, Peers.canonicalCidr(cidr), "outbound to firewall.egress_destinations");
            }
            if (m.enabled()) {
                int p = m.nodeExporterPort();
                hosts(role, p, monitors, "node exporter scraped by monitoring host ");
                sources(role, Protocol.TCP, p, p, fw.metricsSources(), "node exporter from firewall.metrics_sources");
            }
        }
        if (roles.contains(Role.VALIDATOR)) {
            int api = s.validator().apiPort();
            sources(Role.VALIDATOR, Protocol.TCP, api, api, fw.apiSources(), "validator API from firewall.api_sources");
            metrics(Role.VALIDATOR, s.validator().metricsPort(), "validator", monitors);
        }
        if (roles.contains(Role.MINER)) {
            int grpc = s.miner().grpcPort();
            sources(Role.MINER, Protocol.TCP, grpc, grpc, fw.validatorSources(), "miner gRPC from firewall.validator_sources");
            hosts(Role.MINER, grpc, validators, "miner gRPC called by validator ");
            metrics(Role.MINER, s.miner().metricsPort(), "miner", monitors);
        }
        if (roles.contains(Role.EXECUTOR)) {
            int grpc = s.executor().grpcPort();
            hosts(Role.EXECUTOR, grpc, miners, MINER_TO_EXECUTOR);
            hosts(Role.EXECUTOR, grpc, validators, "executor gRPC called by validator ");
            sources(Role.EXECUTOR, Protocol.TCP, grpc, grpc, fw.validatorSources(), "executor gRPC from firewall.validator_sources");
            int ssh = VERIFICATION_SSH_PORT;
            hosts(Role.EXECUTOR, ssh, validators, "verification SSH from validator ");
            sources(Role.EXECUTOR, Protocol.TCP, ssh, ssh, fw.validatorSources(), "verification SSH from firewall.validator_sources");
            metrics(Role.EXECUTOR, s.executor().metricsPort(), "executor", monitors);
            // Only where the inventory installs the exporter (the same fact): a role-wide cloud firewall opens
            // it when any executor runs one; each host's own rules keep it only there (see gpuExporterOnly).
            if (hostsWith(env, Role.EXECUTOR).stream().anyMatch(h -> HostFeatures.gpuExporter(env, h))) {
                int gpu = m.gpuExporterPort();
                hosts(Role.EXECUTOR, gpu, monitors, GPU_EXPORTER + "scraped by monitoring host ");
                sources(Role.EXECUTOR, Protocol.TCP, gpu, gpu, fw.metricsSources(), GPU_EXPORTER + "from firewall.metrics_sources");
            }
        }
        if (roles.contains(Role.MONITORING) && m.enabled()) {
            List<Map.Entry<String, Integer>> served = new java.util.ArrayList<>(List.of(
                    Map.entry("Prometheus", m.prometheusPort()), Map.entry("Alertmanager", m.alertmanagerPort())));
            if (m.grafana()) served.add(Map.entry("Grafana", m.grafanaPort()));  // no port for a Grafana that is not installed
            for (var svc : served) {
                int p = svc.getValue();
                sources(Role.MONITORING, Protocol.TCP, p, p, fw.metricsSources(), svc.getKey() + " from firewall.metrics_sources");
            }
        }
        for (Environment.Rule r : fw.rules()) {
            if (!roles.contains(Role.of(r.role()))) continue;
            String why = "rule " + r.name() + (r.description() != null ? ": " + r.description() : "");
            sources(Role.of(r.role()), Protocol.parse(r.protocol().id()), r.port(), r.lastPort(), r.sources(), why);
        }
    }

    private void metrics(Role role, int port, String service, List<Host> monitors) {
        hosts(role, port, monitors, service + " metrics scraped by monitoring host ");
        sources(role, Protocol.TCP, port, port, env.firewall().metricsSources(), service + " metrics from firewall.metrics_sources");
    }

    private void sources(Role role, Protocol protocol, int from, int to, List<String> cidrs, String purpose) {
        for (String cidr : cidrs) add(role, Direction.INGRESS, protocol, from, to, Peers.canonicalCidr(cidr), purpose);
    }

    private void hosts(Role role, int port, List<Host> peers, String purposePrefix) {
        for (Host h : peers) {
            if (!Addresses.isIp(h.address())) continue;
            add(role, Direction.INGRESS, Protocol.TCP, port, port, Peers.hostCidr(h.address()), purposePrefix + h.name());
        }
    }

    private void add(Role role, Direction direction, Protocol protocol, int from, int to, String peer, String purpose) {
        String key = role + "/" + direction + "/" + protocol + "/" + from + "/" + to + "/" + peer;
        rules.computeIfAbsent(key, k -> new Draft(role, direction, protocol, from, to, peer, new TreeSet<>())).purposes().add(clean(purpose));
    }

    /** One line of plain text: control characters and runs of white space become one space. */
    static String clean(String s) {
        return s.replaceAll("[\\p{Cntrl}\\p{Z}\\s]+", " ").strip();
    }

    private static List<Host> hostsWith(Environment env, Role r) {
        return env.hostsWith(r.toModel());
    }

    private static List<Host> sorted(List<Host> hosts) {
        return hosts.stream().sorted(Comparator.comparing(Host::name)).toList();
    }
}
