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
 * @param firewall the provider-neutral firewall rules (see {@link FirewallPlanner})
 */
public record Fleet(Environment env, String modelPath, String modelSha256, List<HostPlan> hosts,
                    Map<String, List<HostPlan>> executorsByMiner, FirewallPlan firewall) {

    /** One host and what runs on it. */
    public record HostPlan(Host host, List<ServiceKind> services, UUID executorId, String managingMiner) {
        public String name() {
            return host.name();
        }

        public boolean runs(ServiceKind s) {
            return services.contains(s);
        }
    }

    public String name() {
        return env.name();
    }

    public HostPlan host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + name));
    }
}
