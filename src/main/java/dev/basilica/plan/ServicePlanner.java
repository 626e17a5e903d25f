package dev.basilica.plan;

import dev.basilica.model.Environment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Environment → one {@link ServicePlan} per service kind: where each decision about a service is made. */
final class ServicePlanner {

    private ServicePlanner() {}

    static Map<ServiceKind, ServicePlan> plan(Environment env) {
        Map<ServiceKind, ServicePlan> out = new EnumMap<>(ServiceKind.class);
        for (ServiceKind s : ServiceKind.values()) out.put(s, plan(env, s));
        return out;
    }

    /** Where metrics listen: everywhere when something remote scrapes them, else loopback only. */
    static String metricsHost(Environment env) {
        return env.monitoring().enabled() || !env.firewall().metricsSources().isEmpty() ? ServicePlan.ANY_ADDRESS : ServicePlan.LOOPBACK;
    }

    static SecretReference reference(Environment.SecretRef r) {
        return r == null ? null : new SecretReference(r.env(), r.file(), r.vault());
    }

    private static ServicePlan plan(Environment env, ServiceKind s) {
        var services = env.services();
        String metricsHost = metricsHost(env);
        String any = ServicePlan.ANY_ADDRESS;
        List<ServicePlan.Listener> listeners = switch (s) {
            case VALIDATOR -> List.of(new ServicePlan.Listener("validator API", services.validator().apiPort(), any, false),
                    new ServicePlan.Listener("validator metrics", services.validator().metricsPort(), metricsHost, true));
            case MINER -> List.of(new ServicePlan.Listener("miner gRPC", services.miner().grpcPort(), any, false),
                    new ServicePlan.Listener("miner metrics", services.miner().metricsPort(), metricsHost, true));
            case EXECUTOR -> List.of(new ServicePlan.Listener("executor gRPC", services.executor().grpcPort(), any, false),
                    new ServicePlan.Listener("executor metrics", services.executor().metricsPort(), metricsHost, true));
        };
        String title = switch (s) {
            case VALIDATOR -> "validator (verifies executors' GPUs and sets weights)";
            case MINER -> "miner (serves validators, manages the executor fleet)";
            case EXECUTOR -> "executor (rents out this host's GPUs)";
        };
        String logLevel = (switch (s) {
            case VALIDATOR -> services.validator().logLevel();
            case MINER -> services.miner().logLevel();
            case EXECUTOR -> services.executor().logLevel();
        }).id();
        String memoryMax = switch (s) {
            case VALIDATOR -> services.validator().memoryMax();
            case MINER -> services.miner().memoryMax();
            case EXECUTOR -> services.executor().memoryMax();
        };
        Map<String, SecretReference> secrets = new LinkedHashMap<>();
        if (s == ServiceKind.VALIDATOR && services.validator().apiKey() != null) {
            secrets.put("services.validator.api_key", reference(services.validator().apiKey()));
        }
        if (s == ServiceKind.MINER && services.miner().jwtSecret() != null) {
            secrets.put("services.miner.jwt_secret", reference(services.miner().jwtSecret()));
        }

        boolean executor = s == ServiceKind.EXECUTOR;
        String user = executor ? services.executor().user() : HostLayout.SERVICE_USER;
        String userSource = executor ? "services.executor.user" : "User";
        String home = executor ? HostLayout.executorHome(user) : HostLayout.SERVICE_HOME;
        String config = HostLayout.config(s);
        String bin = HostLayout.binary(s);
        List<String> exec = switch (s) {
            case VALIDATOR -> List.of(bin, "start", "--config", config);
            case MINER -> List.of(bin, "--config", config, "--log-level", logLevel, "--metrics");
            case EXECUTOR -> {
                ServicePlan.Listener m = listeners.get(1);
                yield List.of(bin, "--server", "--config", config, "--log-level", logLevel, "--metrics", "--metrics-addr",
                        Endpoints.hostPort(m.bindHost(), m.port()));
            }
        };

        List<Integer> privileged = listeners.stream().map(ServicePlan.Listener::port).filter(p -> p < 1024).sorted().distinct().toList();
        String needs = switch (s) {
            case VALIDATOR -> "its wallet under " + home + " (read-only), its state directory, outbound SSH to executors";
            case MINER -> "its wallet under " + home + " (read-only), its state directory, its gRPC listener";
            case EXECUTOR -> home + "/.ssh (validators' keys), its state directory, the Docker socket and the GPUs";
        };
        List<String> writable = new ArrayList<>();
        if (executor) writable.add("-" + home + "/.ssh");
        ServicePlan.Hardening hardening = new ServicePlan.Hardening(
                privileged,
                // The validator's and miner's home (wallets) lies outside /home, so /home, /root and /run/user
                // can be hidden from them. The executor's home is under /home: validators' session keys are
                // appended to its authorized_keys, so the home stays visible (read-only) with .ssh writable.
                executor ? "read-only" : "yes",
                writable,
                executor ? List.of("docker") : List.of(),
                executor ? List.of("docker.service") : List.of(),
                executor,
                // Docker the playbooks install is required; Docker left to the operator is only wanted.
                env.packages().installDocker(),
                // Only the miner is known to need no writable executable memory. The validator runs the
                // third-party veritas validator-binary, and the executor loads NVIDIA's closed NVML library;
                // neither can be checked here for W+X mappings, which MemoryDenyWriteExecute makes fail.
                s == ServiceKind.MINER,
                needs);
        return new ServicePlan(s, title, listeners, user, userSource, home, exec, memoryMax, logLevel, secrets, hardening);
    }
}
