package dev.basilica.emit.systemd;

import dev.basilica.emit.Endpoints;
import dev.basilica.emit.GeneratedHeader;
import dev.basilica.emit.Templates;
import dev.basilica.model.Environment;
import dev.basilica.output.OutputTree;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.Fleet.HostPlan;
import dev.basilica.plan.HostLayout;
import dev.basilica.plan.ServiceKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fleet → {@code systemd/<host>/basilica-<service>.service}: one hardened unit per service, logging
 * to the journal, secrets from a root-only EnvironmentFile, no ExecReload (the services have no
 * SIGHUP handler: a reload would kill them).
 */
public final class SystemdUnitEmitter {

    public static final String TEMPLATE = "systemd/basilica-service.service.j2";

    private SystemdUnitEmitter() {}

    public static void emit(Fleet fleet, Templates templates, OutputTree out) {
        String header = GeneratedHeader.line(fleet, "#").strip();
        for (HostPlan h : fleet.hosts()) {
            for (ServiceKind s : h.services()) {
                String text = templates.render(TEMPLATE, context(fleet.env(), s, header));
                out.put(path(h.name(), s), text, "systemd", s.id());
            }
        }
    }

    public static String path(String host, ServiceKind s) {
        return "systemd/" + host + "/" + s.unitName();
    }

    /**
     * What the unit template needs; equal for every host running the same service. Every string is
     * already checked and escaped (by {@link UnitValues}) for the setting the template puts it in, so a
     * template overriding this one writes each value only where the packaged template does.
     */
    static Map<String, Object> context(Environment env, ServiceKind s, String header) {
        Map<String, Object> c = new LinkedHashMap<>();
        var services = env.services();
        boolean executor = s == ServiceKind.EXECUTOR;
        String user = executor ? services.executor().user() : HostLayout.SERVICE_USER;
        String home = executor ? HostLayout.executorHome(user) : HostLayout.SERVICE_HOME;
        String memoryField = "services." + s.id() + ".memory_max";
        c.put("header", UnitValues.line("header", header));
        c.put("service", UnitValues.specifiers("service", s.id()));
        c.put("title", UnitValues.specifiers("Description", switch (s) {
            case VALIDATOR -> "validator (verifies executors' GPUs and sets weights)";
            case MINER -> "miner (serves validators, manages the executor fleet)";
            case EXECUTOR -> "executor (rents out this host's GPUs)";
        }));
        String userField = executor ? "services.executor.user" : "User";
        c.put("user", UnitValues.specifiers(userField, user));
        c.put("home", UnitValues.word(userField, home));
        c.put("data_dir", UnitValues.specifiers("WorkingDirectory", HostLayout.dataDir(s)));
        c.put("environment_file", UnitValues.specifiers("EnvironmentFile", HostLayout.environmentFile(s)));
        c.put("log_level", UnitValues.word("services." + s.id() + ".log_level", logLevel(env, s)));
        // MemoryMax= expands no specifiers (80% is a valid value): checked, not escaped.
        c.put("memory_max", UnitValues.line(memoryField, switch (s) {
            case VALIDATOR -> services.validator().memoryMax();
            case MINER -> services.miner().memoryMax();
            case EXECUTOR -> services.executor().memoryMax();
        }));
        c.put("exec_start", UnitValues.commandLine("ExecStart of " + s.id(), execStart(env, s)));
        c.put("executor", executor);
        c.put("privileged_ports", privilegedPorts(env, s));
        c.put("needs", UnitValues.line(userField, switch (s) {
            case VALIDATOR -> "its wallet under " + home + " (read-only), its state directory, outbound SSH to executors";
            case MINER -> "its wallet under " + home + " (read-only), its state directory, its gRPC listener";
            case EXECUTOR -> home + "/.ssh (validators' keys), its state directory, the Docker socket and the GPUs";
        }));
        // The validator's and miner's home (wallets) lies outside /home, so /home, /root and /run/user
        // can be hidden from them. The executor's home is under /home: validators' session keys are
        // appended to its authorized_keys, so the home stays visible (read-only) with .ssh writable.
        c.put("protect_home", executor ? "read-only" : "yes");
        // Docker the playbooks install is required; Docker left to the operator is only wanted.
        c.put("docker_required", env.packages().installDocker());
        List<String> writable = new ArrayList<>();
        if (executor) writable.add(UnitValues.word(userField, "-" + home + "/.ssh"));
        c.put("read_write_paths", writable);
        c.put("supplementary_groups", executor ? List.of("docker") : List.of());
        c.put("after", executor ? List.of("docker.service") : List.of());
        // Only the miner is known to need no writable executable memory. The validator runs the
        // third-party veritas validator-binary, and the executor loads NVIDIA's closed NVML library;
        // neither can be checked here for W+X mappings, which MemoryDenyWriteExecute makes fail.
        c.put("memory_deny_write_execute", s == ServiceKind.MINER);
        return c;
    }

    private static String logLevel(Environment env, ServiceKind s) {
        var services = env.services();
        return switch (s) {
            case VALIDATOR -> services.validator().logLevel().id();
            case MINER -> services.miner().logLevel().id();
            case EXECUTOR -> services.executor().logLevel().id();
        };
    }

    /** The service's listening ports below 1024, which it can bind only with CAP_NET_BIND_SERVICE. */
    static List<Integer> privilegedPorts(Environment env, ServiceKind s) {
        var services = env.services();
        List<Integer> listeners = switch (s) {
            case VALIDATOR -> List.of(services.validator().apiPort(), services.validator().metricsPort());
            case MINER -> List.of(services.miner().grpcPort(), services.miner().metricsPort());
            case EXECUTOR -> List.of(services.executor().grpcPort(), services.executor().metricsPort());
        };
        return listeners.stream().filter(p -> p < 1024).sorted().distinct().toList();
    }

    /** The argument vector of each binary (reference §4). */
    static List<String> execStart(Environment env, ServiceKind s) {
        String config = HostLayout.config(s);
        String bin = HostLayout.binary(s);
        var services = env.services();
        return switch (s) {
            case VALIDATOR -> List.of(bin, "start", "--config", config);
            case MINER -> List.of(bin, "--config", config, "--log-level", services.miner().logLevel().id(), "--metrics");
            case EXECUTOR -> List.of(bin, "--server", "--config", config, "--log-level", services.executor().logLevel().id(),
                    "--metrics", "--metrics-addr",
                    Endpoints.hostPort(dev.basilica.emit.service.ServiceConfigEmitter.metricsHostOf(env), services.executor().metricsPort()));
        };
    }
}
