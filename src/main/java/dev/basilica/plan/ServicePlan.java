package dev.basilica.plan;

import java.util.List;
import java.util.Map;

/**
 * One Basilica service as it runs on a host: every decision its unit, its config file, the inventory and
 * the live checks share, made once by {@link FleetPlanner}. Equal for every host running the same service.
 *
 * @param title        what the unit's {@code Description=} says the service does
 * @param listeners    what it listens on, main port first, then metrics
 * @param user         run user (also its group)
 * @param userSource   where the run user comes from: the model field, or {@code User} for the fixed service user
 * @param home         the run user's home ({@code HOME=})
 * @param execStart    the binary's argument vector (reference §4)
 * @param memoryMax    {@code MemoryMax=} as the model gives it
 * @param logLevel     {@code RUST_LOG} and, where the binary takes one, {@code --log-level}
 * @param secrets      the secrets the service is handed (model field → reference), never their values
 * @param hardening    the unit's sandbox facts
 */
public record ServicePlan(ServiceKind kind, String title, List<Listener> listeners, String user, String userSource, String home,
                          List<String> execStart, String memoryMax, String logLevel, Map<String, SecretReference> secrets,
                          Hardening hardening) {

    /** Every address; metrics bind here only when something remote scrapes them. */
    public static final String ANY_ADDRESS = "0.0.0.0";
    public static final String LOOPBACK = "127.0.0.1";

    public ServicePlan {
        listeners = List.copyOf(listeners);
        execStart = List.copyOf(execStart);
        secrets = Map.copyOf(secrets);
    }

    /**
     * One listening socket.
     *
     * @param name    what listens ({@code validator API}, {@code miner metrics})
     * @param bindHost the address it binds
     */
    public record Listener(String name, int port, String bindHost, boolean metrics) {
        /** Whether it listens on every address (else only on loopback, so it is closed from outside anyway). */
        public boolean external() {
            return ANY_ADDRESS.equals(bindHost);
        }
    }

    /**
     * The unit's sandbox.
     *
     * @param privilegedPorts  listening ports below 1024 (CAP_NET_BIND_SERVICE), sorted
     * @param protectHome      {@code ProtectHome=}
     * @param readWritePaths   {@code ReadWritePaths=} entries
     * @param supplementaryGroups {@code SupplementaryGroups=}
     * @param after            units to start after besides the network
     * @param deviceAccess     reaches the GPUs and Docker: no PrivateDevices, netlink allowed, ordered after Docker
     * @param dockerRequired   Docker is required (installed by the playbooks), not only wanted
     * @param memoryDenyWriteExecute {@code MemoryDenyWriteExecute=yes}
     * @param needs            what the sandbox still leaves reachable, for the unit's comment
     */
    public record Hardening(List<Integer> privilegedPorts, String protectHome, List<String> readWritePaths,
                            List<String> supplementaryGroups, List<String> after, boolean deviceAccess, boolean dockerRequired,
                            boolean memoryDenyWriteExecute, String needs) {
        public Hardening {
            privilegedPorts = List.copyOf(privilegedPorts);
            readWritePaths = List.copyOf(readWritePaths);
            supplementaryGroups = List.copyOf(supplementaryGroups);
            after = List.copyOf(after);
        }
    }

    /** The run user's group: the user's own. */
    public String group() {
        return user;
    }

    public String dataDir() {
        return HostLayout.dataDir(kind);
    }

    public String configFile() {
        return HostLayout.config(kind);
    }

    public String serviceEnvFile() {
        return HostLayout.serviceEnvFile(kind);
    }

    /** The API (validator) or gRPC (miner, executor) listener. */
    public Listener main() {
        return listeners.get(0);
    }

    public Listener metrics() {
        return listeners.stream().filter(Listener::metrics).findFirst().orElseThrow();
    }

    public int mainPort() {
        return main().port();
    }

    public int metricsPort() {
        return metrics().port();
    }

    /** Where the metrics listen. */
    public String metricsHost() {
        return metrics().bindHost();
    }
}
