package dev.basilica.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The environment as the emitters need it: hosts sorted by name, the services each one runs, executor
 * ids and which miner manages which executors. All ordering and naming is decided here, once.
 *
 * @param name the environment's name
 * @param modelPath how generated headers name the model file
 * @param modelSha256 digest of the model file's bytes
 * @param hostsByName index of {@code hosts}, so emitters can look hosts up in large fleets
 * @param executorEndpoints each miner's executors, as the miner dials them, in host order
 * @param validatorPeerEndpoints host:port of every miner's, then every executor's gRPC endpoint: what validators dial
 * @param buildHost the host that builds source artifacts, or null when nothing is built from source
 * @param firewall the provider-neutral firewall rules (see {@link FirewallPlanner})
 * @param servicePlans each service's plan (equal on every host that runs it)
 * @param settings the model's settings outputs write out as they are
 */
public record Fleet(String name, String modelPath, String modelSha256, List<HostPlan> hosts,
                    Map<String, HostPlan> hostsByName, Map<String, List<HostPlan>> executorsByMiner,
                    Map<String, List<ExecutorEndpoint>> executorEndpoints, List<String> validatorPeerEndpoints, String buildHost,
                    FirewallPlan firewall, Map<ServiceKind, ServicePlan> servicePlans,
                    Settings settings) {

    /**
     * One host and what runs on it: {@code plans} in start order, one per entry of {@code services}.
     *
     * @param features what else is installed on it (its inventory groups)
     * @param tlsNames subjectAltName entries of its certificates; empty unless it has {@link HostFeature#TLS}
     * @param wallets the wallet of each of its validator and miner roles: its own, else the environment's
     */
    public record HostPlan(Machine host, List<ServiceKind> services, List<ServicePlan> plans, UUID executorId, String managingMiner,
                           Set<HostFeature> features, List<String> tlsNames, Map<Role, Wallet> wallets) {
        public String name() {
            return host.name();
        }

        public boolean runs(ServiceKind s) {
            return services.contains(s);
        }

        /** The wallet its validator or miner uses, or null. */
        public Wallet wallet(Role r) {
            return wallets.get(r);
        }

        public boolean has(HostFeature f) {
            return features.contains(f);
        }

        /** The plan of one service this host runs. */
        public ServicePlan plan(ServiceKind s) {
            for (ServicePlan p : plans) if (p.kind() == s) return p;
            throw new IllegalArgumentException(name() + " runs no " + s.id());
        }
    }

    /** An executor as its miner lists it. @param grpcAddress host:port of its advertised gRPC endpoint */
    public record ExecutorEndpoint(UUID id, String name, String grpcAddress) {}

    /** The plan of a service, as every host running it runs it. */
    public ServicePlan service(ServiceKind s) {
        return servicePlans.get(s);
    }

    /** The executors a miner manages (empty for a host that manages none). */
    public List<ExecutorEndpoint> executorEndpoints(String miner) {
        return executorEndpoints.getOrDefault(miner, List.of());
    }

    /** Whether any host has the feature. */
    public boolean anyHas(HostFeature f) {
        return hosts.stream().anyMatch(h -> h.has(f));
    }

    /** The plan of one host by name. */
    public HostPlan host(String name) {
        HostPlan p = hostsByName.get(name);
        if (p == null) throw new IllegalArgumentException("no host " + name);
        return p;
    }
}
