package dev.basilica.emit.service;

import dev.basilica.plan.Endpoints;
import dev.basilica.emit.GeneratedHeader;
import dev.basilica.plan.Role;
import dev.basilica.plan.DeployedFiles;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.Fleet.HostPlan;
import dev.basilica.plan.HostLayout;
import dev.basilica.plan.ServiceKind;
import dev.basilica.plan.ServicePlan;
import dev.basilica.output.OutputKind;
import dev.basilica.plan.Settings;
import dev.basilica.plan.Wallet;
import dev.basilica.output.OutputTree;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fleet → {@code configs/<host>/{validator,miner,executor}.toml}, written for the real loaders
 * (figment over serde): every key below is a field the binary reads, in the type it expects.
 * Secrets are never written; they reach the service as {@code BASILCA_*} variables from a root-only
 * environment file.
 */
public final class ServiceConfigEmitter {

    /** Models the validator's compiled default always merges into gpu_allocations (maps are unioned). */
    static final List<String> DEFAULT_ALLOCATION_KEYS = List.of("H100", "H200");

    private ServiceConfigEmitter() {}

    public static void emit(Fleet fleet, OutputTree out) {
        String header = GeneratedHeader.line(fleet, "#");
        for (HostPlan h : fleet.hosts()) {
            for (ServiceKind s : h.services()) {
                String text = switch (s) {
                    case VALIDATOR -> validator(fleet, h, header);
                    case MINER -> miner(fleet, h, header);
                    case EXECUTOR -> executor(fleet, h, header);
                };
                out.put(path(h.name(), s), text, OutputKind.CONFIGS, s);
            }
        }
    }

    public static String path(String host, ServiceKind s) {
        return DeployedFiles.configSource(host, s);
    }

    private static void bittensor(TomlWriter w, Settings env, Wallet wallet, int axonPort, String advertised) {
        w.table("bittensor")
                .key("wallet_name", wallet.name())
                .key("hotkey_name", wallet.hotkey())
                .key("network", env.chain().network())
                .key("netuid", env.chain().netuid())
                .key("chain_endpoint", env.chain().endpoint())
                .key("axon_port", axonPort);
        if (Endpoints.isIp(advertised)) {
            w.key("external_ip", advertised);
        } else {
            w.comment("external_ip left out: " + advertised + " is not an IP address, so the service detects its public IP");
        }
    }

    private static void metrics(TomlWriter w, ServicePlan service) {
        w.table("metrics").key("enabled", true);
        w.table("metrics.prometheus").key("host", service.metricsHost()).key("port", service.metricsPort()).key("path", "/metrics");
    }

    static String validator(Fleet fleet, HostPlan h, String header) {
        Settings env = fleet.settings();
        var v = env.validator();
        ServicePlan plan = h.plan(ServiceKind.VALIDATOR);
        String data = plan.dataDir();
        TomlWriter w = new TomlWriter(header);
        w.comment("Loaded by: validator start --config " + plan.configFile());
        bittensor(w, env, h.wallet(Role.VALIDATOR), plan.mainPort(), h.host().advertisedAddress());

        w.table("database").key("url", "sqlite:" + data + "/validator.db");
        metrics(w, plan);

        var ver = v.verification();
        w.table("verification")
                .duration("verification_interval", ver.intervalSecs())
                .key("max_concurrent_verifications", ver.maxConcurrent())
                .duration("challenge_timeout", ver.challengeTimeoutSecs())
                .floatKey("min_score_threshold", ver.minScore())
                .key("max_miners_per_round", ver.maxMinersPerRound())
                .duration("min_verification_interval", ver.minIntervalSecs())
                .comment("Metagraph discovery reads this netuid; the compiled default (1) is the wrong subnet.")
                .key("netuid", env.chain().netuid());
        var bv = ver.binaryValidation();
        w.table("verification.binary_validation")
                .key("enabled", bv.enabled())
                .key("validator_binary_path", HostLayout.attestationBinary("validator-binary"))
                .key("executor_binary_path", HostLayout.attestationBinary("executor-binary"))
                .key("execution_timeout_secs", bv.timeoutSecs())
                .key("output_format", "json")
                .floatKey("score_weight", bv.scoreWeight());

        w.table("storage").key("data_dir", data);
        w.table("api")
                .comment("The HTTP API (and /health) listens here; [server] has no listener in the validator.")
                .key("bind_address", Endpoints.hostPort(plan.main().bindHost(), plan.mainPort()));

        var ss = v.sshSessions();
        w.table("ssh_session")
                .key("ssh_key_directory", data + "/ssh_keys")
                .key("max_concurrent_sessions", ss.maxConcurrent())
                .key("session_rate_limit", ss.rateLimit())
                .key("default_session_duration", ss.defaultDurationSecs())
                .key("max_session_duration", ss.maxDurationSecs())
                .key("audit_log_path", data + "/ssh_audit.log");

        var e = v.emission();
        w.table("emission")
                .floatKey("burn_percentage", e.burnPercentage())
                .key("burn_uid", e.burnUid())
                .key("weight_set_interval_blocks", e.weightSetIntervalBlocks());
        Map<String, Double> allocations = new TreeMap<>(e.gpuAllocations());
        // The binary unions this table with its defaults; naming them keeps the shares summing to 100.
        for (String k : DEFAULT_ALLOCATION_KEYS) allocations.putIfAbsent(k, 0.0);
        w.table("emission.gpu_allocations");
        allocations.forEach(w::floatKey);
        return w.build();
    }

    static String miner(Fleet fleet, HostPlan h, String header) {
        Settings env = fleet.settings();
        var m = env.miner();
        ServicePlan plan = h.plan(ServiceKind.MINER);
        String data = plan.dataDir();
        String advertised = h.host().advertisedAddress();
        TomlWriter w = new TomlWriter(header);
        w.comment("Loaded by: miner --config " + plan.configFile());
        w.comment("jwt_secret comes from BASILCA_SECURITY__JWT_SECRET in " + plan.serviceEnvFile() + ".");
        bittensor(w, env, h.wallet(Role.MINER), plan.mainPort(), advertised);
        w.comment("axon_port equals the gRPC port: validators dial the axon address registered on chain.");

        w.table("database").key("url", "sqlite:" + data + "/miner.db");
        w.table("server").key("host", plan.main().bindHost()).key("port", plan.mainPort());
        metrics(w, plan);

        var tls = env.tls();
        w.table("validator_comms")
                .key("max_concurrent_sessions", m.maxSessions())
                .duration("request_timeout", 30);
        if (tls.enabled()) {
            // Certificates from the controller's CA (tls role); the files must exist at start.
            w.table("validator_comms.tls")
                    .key("cert_file", HostLayout.tlsFile("miner.crt"))
                    .key("key_file", HostLayout.tlsFile("miner.key"))
                    .key("ca_cert_file", HostLayout.tlsFile("ca.crt"))
                    .key("require_client_cert", tls.mutual());
        }
        w.table("validator_comms.auth").key("enabled", true).key("method", m.authMethod());
        w.table("validator_comms.rate_limit")
                .key("enabled", true)
                .key("requests_per_second", m.requestsPerSecond())
                .key("burst_capacity", m.burstCapacity())
                .duration("window_duration", 60);

        w.table("executor_management")
                .duration("health_check_interval", m.healthCheckIntervalSecs())
                .duration("health_check_timeout", m.healthCheckTimeoutSecs())
                .key("max_retry_attempts", 3)
                .key("auto_recovery", true);
        for (Fleet.ExecutorEndpoint e : fleet.executorEndpoints(h.name())) {
            w.arrayTable("executor_management.executors")
                    .key("id", e.id().toString())
                    .key("grpc_address", e.grpcAddress())
                    .key("name", e.name());
        }

        w.table("security")
                .key("enable_mtls", m.mutualTls())
                .key("verify_signatures", true)
                .duration("token_expiration", 3600)
                .strings("allowed_validators", m.allowedValidators());

        w.table("ssh_session")
                .key("miner_executor_key_path", HostLayout.SERVICE_HOME + "/.ssh/miner_executor_key")
                .key("default_executor_username", fleet.service(ServiceKind.EXECUTOR).user())
                .key("audit_log_path", data + "/ssh_audit.log");

        w.table("advertised_addresses")
                .key("grpc_endpoint", Endpoints.url(env.tls().enabled() ? "https" : "http", advertised, plan.mainPort()))
                .key("axon_endpoint", Endpoints.url("http", advertised, plan.mainPort()))
                .key("metrics_endpoint", Endpoints.url("http", advertised, plan.metricsPort()));
        return w.build();
    }

    static String executor(Fleet fleet, HostPlan h, String header) {
        Settings env = fleet.settings();
        ServicePlan plan = h.plan(ServiceKind.EXECUTOR);
        String advertised = h.host().advertisedAddress();
        var miner = fleet.host(h.managingMiner());
        TomlWriter w = new TomlWriter(header);
        w.comment("Loaded by: executor --server --config " + plan.configFile());
        w.comment("Metrics are served through --metrics --metrics-addr on the command line, not [metrics].");
        w.comment("Managed by miner " + miner.name() + "; must stay above every [table] to be read at the top level.");
        w.key("managing_miner_hotkey", miner.wallet(Role.MINER).hotkeySs58());

        w.table("server").key("host", plan.main().bindHost()).key("port", plan.mainPort());
        if (env.tls().enabled()) {
            w.key("tls_enabled", true);
            w.table("server.tls_config")
                    .key("cert_path", HostLayout.tlsFile("executor.crt"))
                    .key("key_path", HostLayout.tlsFile("executor.key"))
                    .key("ca_cert_path", HostLayout.tlsFile("ca.crt"))
                    .key("require_client_cert", env.tls().mutual());
        }
        w.table("system").duration("update_interval", 5);
        var d = env.docker();
        w.table("docker")
                .key("socket_path", "/var/run/docker.sock")
                .key("default_image", d.defaultImage())
                .duration("container_timeout", d.containerTimeoutSecs())
                .key("max_concurrent_containers", d.maxContainers())
                .key("enable_gpu_passthrough", h.host().gpuCount() > 0);
        w.table("docker.resource_limits")
                .key("memory_bytes", (long) d.memoryGib() * 1024L * 1024L * 1024L)
                .floatKey("cpu_cores", d.cpuCores());
        w.table("docker.network_config")
                .key("enable_isolation", true)
                .key("allow_internet", d.allowInternet());
        w.table("validator").key("enabled", true);
        w.table("advertised_endpoint")
                .key("grpc_endpoint", Endpoints.url(env.tls().enabled() ? "https" : "http", advertised, plan.mainPort()))
                .key("ssh_endpoint", Endpoints.url("ssh", advertised, h.host().ssh().port()));
        return w.build();
    }
}
