package dev.basilica.plan;

import dev.basilica.model.Environment;
import dev.basilica.model.Environment.Host;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The environment as the emitters need it: hosts sorted by name, the services each one runs, executor
 * ids and which miner manages which executors. All ordering and naming is decided here, once.
 *
 * @param modelPath how generated headers name the model file
 * @param modelSha256 digest of the model file's bytes
 * @param hostsByName index of {@code hosts}, so emitters can look hosts up in large fleets
 * @param firewall the provider-neutral firewall rules (see {@link FirewallPlanner})
 * @param servicePlans each service's plan (equal on every host that runs it)
 */
public record Fleet(Environment env, String modelPath, String modelSha256, List<HostPlan> hosts,
                    Map<String, HostPlan> hostsByName, Map<String, List<HostPlan>> executorsByMiner,
                    FirewallPlan firewall, Map<ServiceKind, ServicePlan> servicePlans) {

    /** One host and what runs on it: {@code plans} in start order, one per entry of {@code services}. */
    public record HostPlan(Host host, List<ServiceKind> services, List<ServicePlan> plans, UUID executorId, String managingMiner) {
        public String name() {
            return host.name();
        }

        public boolean runs(ServiceKind s) {
            return services.contains(s);
        }

        /** The plan of one service this host runs. */
        public ServicePlan plan(ServiceKind s) {
            for (ServicePlan p : plans) if (p.kind() == s) return p;
            throw new IllegalArgumentException(name() + " runs no " + s.id());
        }
    }

    /** The plan of a service, as every host running it runs it. */
    public ServicePlan service(ServiceKind s) {
        return servicePlans.get(s);
    }

    public String name() {
        return env.name();
    }

    /** The plan of one host by name. */
    public HostPlan host(String name) {
        HostPlan p = hostsByName.get(name);
        if (p == null) throw new IllegalArgumentException("no host " + name);
        return p;
    }
}
