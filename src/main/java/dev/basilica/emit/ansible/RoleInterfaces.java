package dev.basilica.emit.ansible;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which inventory variables each role and each of its entry points reads. The argument specs made from
 * this let ansible-core reject a wrong or missing value before the role does anything.
 */
final class RoleInterfaces {

    private RoleInterfaces() {}

    private static final List<String> LAYOUT = List.of("basilica_bin_dir", "basilica_config_dir", "basilica_state_dir",
            "basilica_service_user", "basilica_service_home");
    private static final List<String> PORTS = List.of("basilica_validator_api_port", "basilica_validator_metrics_port",
            "basilica_miner_grpc_port", "basilica_miner_metrics_port", "basilica_executor_grpc_port", "basilica_executor_metrics_port");

    /** role → entry point → variables (in spec order). */
    static final Map<String, Map<String, List<String>>> ENTRY_POINTS = entryPoints();

    /** One line per role, shown by ansible-doc and at the top of each spec. */
    static final Map<String, String> PURPOSE = Map.ofEntries(
            Map.entry("base", "Packages, apt sources (mirror, proxy) and journald limits on every host."),
            Map.entry("service_layout", "The service user and the on-host layout of the Basilica services."),
            Map.entry("host_keys", "Hosts' SSH keys in the known_hosts file the project manages."),
            Map.entry("ssh_hardening", "sshd without passwords, checked; host keys recorded on the controller."),
            Map.entry("service_ssh", "SSH keys on the paths the services use: miner to executors, validator sessions."),
            Map.entry("artifact_source", "One artifact as a file on the controller: the operator's file, a checked download or a build."),
            Map.entry("basilica_service", "One Basilica service: binary with rollback, compiler's config and unit, secrets, hotkey, start, health."),
            Map.entry("docker", "Docker with one merged daemon.json (NVIDIA runtime on GPU hosts)."),
            Map.entry("nvidia_driver", "The NVIDIA driver: pinned, held, Secure Boot checked, reboot never of the controller, verified."),
            Map.entry("nvidia_toolkit", "The NVIDIA container toolkit on GPU hosts with Docker."),
            Map.entry("rust_toolchain", "The Rust toolchain on the host that builds binaries from source."),
            Map.entry("source_build", "Builds the source artifacts for the chain network and brings them to the controller."),
            Map.entry("tls", "A private CA and per-service certificates, made on the controller."),
            Map.entry("attestation", "The GPU attestation binaries the validator runs."),
            Map.entry("node_exporter", "The node exporter on every host."),
            Map.entry("gpu_exporter", "The GPU exporter on executors with GPUs."),
            Map.entry("prometheus", "Prometheus with the compiler's scrape config and alert rules."),
            Map.entry("alertmanager", "Alertmanager with the compiler's routing."),
            Map.entry("grafana", "Grafana with the compiler's datasource and dashboard."),
            Map.entry("log_forwarding", "Journal forwarding to the remote log collector."),
            Map.entry("firewall", "UFW from the compiler's firewall plan; Docker-published ports through DOCKER-USER."),
            Map.entry("validate", "Checks of a converged fleet."),
            Map.entry("ssh_key_rotation", "Rotates the operator's SSH key: add the new key, prove it logs in, remove the old one."));

    private static Map<String, Map<String, List<String>>> entryPoints() {
        Map<String, Map<String, List<String>>> r = new TreeMap<>();
        r.put("base", main(List.of("basilica_packages", "basilica_logging")));
        r.put("service_layout", main(LAYOUT));
        r.put("host_keys", entries(List.of("basilica_known_hosts"), "main", "collect"));
        r.put("ssh_hardening", main(List.of("basilica_known_hosts")));
        List<String> ssh = List.of("basilica_service_user", "basilica_service_home", "basilica_executor_user",
                "basilica_executor_home", "basilica_managing_miner");
        r.put("service_ssh", entries(ssh, "main", "miner", "executor", "validator"));
        r.put("artifact_source", main(List.of("basilica_packages", "basilica_project_dir", "basilica_environment")));
        List<String> service = concat(LAYOUT, PORTS, List.of("basilica_executor_user", "basilica_executor_home", "basilica_out_dir",
                "basilica_artifacts", "basilica_wallets", "basilica_validator_api_key", "basilica_miner_jwt_secret",
                "basilica_rolling_update", "basilica_packages", "basilica_project_dir", "basilica_environment"));
        r.put("basilica_service", entries(service, "main", "configure", "deploy", "start", "stop", "health", "rollback",
                "update"));
        r.put("docker", main(List.of("basilica_packages")));
        r.put("nvidia_driver", main(List.of("basilica_nvidia_driver_branch", "basilica_gpu_count")));
        r.put("nvidia_toolkit", main(List.of("basilica_packages")));
        r.put("rust_toolchain", main(List.of("basilica_packages")));
        r.put("source_build", main(List.of("basilica_artifacts", "basilica_chain_network", "basilica_environment")));
        r.put("tls", main(List.of("basilica_tls", "basilica_environment", "basilica_config_dir", "basilica_services",
                "basilica_tls_names", "basilica_executor_user", "basilica_service_user")));
        r.put("attestation", main(List.of("basilica_artifacts", "basilica_bin_dir", "basilica_packages", "basilica_project_dir",
                "basilica_environment")));
        r.put("node_exporter", main(List.of("basilica_monitoring")));
        r.put("gpu_exporter", main(List.of("basilica_monitoring", "basilica_artifacts", "basilica_packages", "basilica_project_dir",
                "basilica_environment")));
        r.put("prometheus", entries(List.of("basilica_monitoring", "basilica_out_dir"), "main", "configure"));
        r.put("alertmanager", entries(List.of("basilica_monitoring", "basilica_out_dir"), "main", "configure"));
        r.put("grafana", entries(List.of("basilica_monitoring", "basilica_out_dir", "basilica_packages"), "main", "configure"));
        r.put("log_forwarding", main(List.of("basilica_logging")));
        r.put("firewall", main(List.of("basilica_firewall_rules")));
        r.put("ssh_key_rotation", main(List.of("basilica_known_hosts")));
        List<String> validate = concat(PORTS, List.of("basilica_services", "basilica_config_dir", "basilica_monitoring",
                "basilica_miner_executor_endpoints", "basilica_validator_peer_endpoints", "basilica_gpu_count", "basilica_deployed_files",
                "basilica_state_dir"));
        r.put("validate", entries(validate, "main", "miner", "validator", "gpu", "firewall", "monitoring"));
        return r;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }

    private static Map<String, List<String>> main(List<String> vars) {
        return entries(vars, "main");
    }

    private static Map<String, List<String>> entries(List<String> vars, String... names) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String n : names) m.put(n, vars);
        return m;
    }

    /** The role's meta/argument_specs.yml content. */
    static Map<String, Object> argumentSpecs(String role, Map<String, List<String>> entries) {
        Map<String, Object> specs = new LinkedHashMap<>();
        entries.forEach((entry, vars) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            String purpose = PURPOSE.getOrDefault(role, role);
            e.put("short_description", entry.equals("main") ? purpose : purpose + " Entry point: " + entry + ".");
            Map<String, Object> options = new TreeMap<>();
            for (String v : vars) {
                Map<String, Object> spec = AnsibleVariables.SPECS.get(v);
                if (spec == null) throw new IllegalStateException("no spec for " + v);
                options.put(v, spec);
            }
            e.put("options", options);
            specs.put(entry, e);
        });
        return Map.of("argument_specs", specs);
    }
}
