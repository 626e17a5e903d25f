package dev.basilica.emit.ansible;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.basilica.emit.YamlWriter.Expression;
import dev.basilica.plan.DeployedFiles;
import dev.basilica.plan.ModelFields;
import dev.basilica.plan.Role;
import dev.basilica.plan.FirewallPlanner;
import dev.basilica.plan.FirewallRule;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.Fleet.HostPlan;
import dev.basilica.plan.HostFeature;
import dev.basilica.plan.HostLayout;
import dev.basilica.plan.Machine;
import dev.basilica.plan.ServiceKind;
import dev.basilica.plan.ServicePlan;
import dev.basilica.plan.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every variable the generated inventory hands the roles: its value for the fleet or for one host,
 * and its argument spec (type and description from the model's schema where it carries a model field).
 * One place, so group_vars, host_vars and every role's meta/argument_specs.yml agree.
 */
final class AnsibleVariables {

    /** Model records as plain maps with the model's snake_case keys and no empty optionals. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .build();

    private AnsibleVariables() {}

    /** The specs of every variable, by name. */
    static final Map<String, Map<String, Object>> SPECS = specs();

    private static Map<String, Map<String, Object>> specs() {
        Map<String, Map<String, Object>> s = new TreeMap<>();
        s.put("basilica_environment", ArgumentSpecs.fromModel("name", true));
        s.put("basilica_tier", ArgumentSpecs.fromModel("tier", true));
        s.put("basilica_chain_network", ArgumentSpecs.fromModel("chain.network", true));
        s.put("basilica_out_dir", ArgumentSpecs.plain("path", "The compiler's output for this environment (out/<env>/), on the controller.", true));
        s.put("basilica_project_dir", ArgumentSpecs.plain("path", "The project on the controller; relative artifact paths start here.", true));
        s.put("basilica_known_hosts", ArgumentSpecs.plain("path", "The known_hosts file the project manages, on the controller.", true));
        s.put("basilica_bin_dir", ArgumentSpecs.plain("path", "Where the binaries live on the hosts.", true));
        s.put("basilica_config_dir", ArgumentSpecs.plain("path", "Where configs, environment files and TLS material live on the hosts.", true));
        s.put("basilica_state_dir", ArgumentSpecs.plain("path", "The services' state (systemd StateDirectory) on the hosts.", true));
        s.put("basilica_service_user", ArgumentSpecs.plain("str", "Run user of the validator and the miner; its home holds the wallets.", true));
        s.put("basilica_service_home", ArgumentSpecs.plain("path", "Home of the service user.", true));
        s.put("basilica_executor_user", ArgumentSpecs.fromModel("services.executor.user", true));
        s.put("basilica_executor_home", ArgumentSpecs.plain("path", "Home of the executor's run user (validators' session keys land there).", true));
        s.put("basilica_validator_api_port", ArgumentSpecs.fromModel("services.validator.api_port", true));
        s.put("basilica_validator_metrics_port", ArgumentSpecs.fromModel("services.validator.metrics_port", true));
        s.put("basilica_miner_grpc_port", ArgumentSpecs.fromModel("services.miner.grpc_port", true));
        s.put("basilica_miner_metrics_port", ArgumentSpecs.fromModel("services.miner.metrics_port", true));
        s.put("basilica_executor_grpc_port", ArgumentSpecs.fromModel("services.executor.grpc_port", true));
        s.put("basilica_executor_metrics_port", ArgumentSpecs.fromModel("services.executor.metrics_port", true));
        s.put("basilica_metrics_host", ArgumentSpecs.plain("str", "Where the services' metrics listen (0.0.0.0 when something remote scrapes them).", true));
        s.put("basilica_validator_api_key", ArgumentSpecs.fromModel("services.validator.api_key", false));
        s.put("basilica_miner_jwt_secret", ArgumentSpecs.fromModel("services.miner.jwt_secret", false));
        s.put("basilica_packages", ArgumentSpecs.fromModel("packages", true));
        s.put("basilica_artifacts", artifactsSpec());
        s.put("basilica_tls", ArgumentSpecs.fromModel("tls", true));
        s.put("basilica_logging", ArgumentSpecs.fromModel("logging", true));
        s.put("basilica_rolling_update", ArgumentSpecs.fromModel("rolling_update", true));
        s.put("basilica_monitoring", ArgumentSpecs.fromModel("monitoring", true));
        // Host variables.
        s.put("basilica_services", withChoices(ArgumentSpecs.listOf("str", "The Basilica services of this host, in start order.", true),
                ServiceKind.ids(ServiceKind.startOrder())));
        s.put("basilica_advertised_address", ArgumentSpecs.fromModel("hosts[].public_address", false));
        s.put("basilica_executor_id", ArgumentSpecs.plain("str", "The executor's UUID (derived from environment and host name).", false));
        s.put("basilica_managing_miner", ArgumentSpecs.fromModel("hosts[].miner", false));
        s.put("basilica_gpus", ArgumentSpecs.fromModel("hosts[].gpus", false));
        s.put("basilica_gpu_count", ArgumentSpecs.plain("int", "Number of GPUs of this executor.", false));
        s.put("basilica_nvidia_driver_branch", ArgumentSpecs.fromModel("hosts[].gpus[].driver_branch", false));
        s.put("basilica_wallets", walletsSpec());
        s.put("basilica_miner_executor_endpoints", ArgumentSpecs.listOf("str", "host:port of the gRPC endpoints of this miner's executors.", false));
        s.put("basilica_validator_peer_endpoints", ArgumentSpecs.listOf("str", "host:port of every miner's and executor's gRPC endpoint.", false));
        s.put("basilica_tls_names", ArgumentSpecs.listOf("str", "subjectAltName entries of this host's certificates.", false));
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("id", Map.of("type", "str", "required", true, "description", "Stable name of the rule in the firewall plan."));
        rule.put("port", Map.of("type", "str", "required", false, "description", "Port or range (9000:9100); absent for all protocols."));
        rule.put("proto", Map.of("type", "str", "required", true, "choices", List.of("tcp", "udp", "any"), "description", "Protocol."));
        rule.put("from", Map.of("type", "str", "required", true, "description", "Source CIDR block."));
        Map<String, Object> rules = ArgumentSpecs.listOf("dict", "Ingress rules of this host from the compiler's firewall plan.", false);
        rules.put("options", sorted(rule));
        s.put("basilica_firewall_rules", rules);
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("source", Map.of("type", "str", "required", true, "description", "Path in out/<env>/, as MANIFEST.json names it."));
        file.put("target", Map.of("type", "path", "required", true, "description", "Where the playbooks copy it on the host."));
        Map<String, Object> deployed = ArgumentSpecs.listOf("dict", "The generated files copied onto this host (validate compares their sha256 with MANIFEST.json).", false);
        deployed.put("options", sorted(file));
        s.put("basilica_deployed_files", deployed);
        return s;
    }

    private static Map<String, Object> withChoices(Map<String, Object> spec, List<String> choices) {
        spec.put("choices", choices);
        return spec;
    }

    private static Map<String, Object> sorted(Map<String, Object> m) {
        Map<String, Object> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> inner ? new TreeMap<>(inner) : v));
        return out;
    }

    private static Map<String, Object> artifactsSpec() {
        Map<String, Object> spec = ArgumentSpecs.fromModel("artifacts", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> options = (Map<String, Object>) spec.get("options");
        options.remove("build_host"); // the inventory's rust_build_hosts group says where builds run
        return spec;
    }

    private static Map<String, Object> walletsSpec() {
        Map<String, Object> wallet = ArgumentSpecs.of(ModelFields.at("wallets.validator").shape());
        Map<String, Object> options = new LinkedHashMap<>();
        for (String role : List.of("miner", "validator")) {
            Map<String, Object> w = new LinkedHashMap<>(wallet);
            w.put("required", false);
            w.put("description", "The " + role + "'s wallet on this host.");
            options.put(role, w);
        }
        Map<String, Object> spec = ArgumentSpecs.plain("dict", "Wallets of the validator and miner on this host (model: wallets, hosts[].wallet).", false);
        spec.put("options", options);
        return spec;
    }

    static Object plain(Object record) {
        return MAPPER.convertValue(record, new TypeReference<Object>() {});
    }

    /** Fleet-wide variables: group_vars/all.yml. */
    static Map<String, Object> all(Fleet fleet) {
        Settings settings = fleet.settings();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("basilica_environment", fleet.name());
        v.put("basilica_tier", settings.tier());
        v.put("basilica_chain_network", settings.chain().network());
        // The compiler's own expressions, templated by Ansible; every other string here is written !unsafe.
        v.put("basilica_out_dir", new Expression("{{ inventory_dir }}/../.."));
        v.put("basilica_project_dir", new Expression("{{ basilica_out_dir }}/../.."));
        // Operational state, outside the generated tree: state/<env>/ beside out/ (docs/security.md). The
        // name comes in as a variable, never as expression text.
        v.put("basilica_known_hosts", new Expression("{{ basilica_project_dir }}/state/{{ basilica_environment }}/known_hosts"));
        v.put("ansible_ssh_common_args", new Expression("-o UserKnownHostsFile={{ basilica_known_hosts }} -o StrictHostKeyChecking=yes"));
        v.put("basilica_bin_dir", HostLayout.BIN_DIR);
        v.put("basilica_config_dir", HostLayout.CONFIG_DIR);
        v.put("basilica_state_dir", HostLayout.STATE_DIR);
        ServicePlan validator = fleet.service(ServiceKind.VALIDATOR);
        ServicePlan miner = fleet.service(ServiceKind.MINER);
        ServicePlan executor = fleet.service(ServiceKind.EXECUTOR);
        v.put("basilica_service_user", validator.user());
        v.put("basilica_service_home", validator.home());
        v.put("basilica_executor_user", executor.user());
        v.put("basilica_executor_home", executor.home());
        v.put("basilica_validator_api_port", validator.mainPort());
        v.put("basilica_validator_metrics_port", validator.metricsPort());
        v.put("basilica_miner_grpc_port", miner.mainPort());
        v.put("basilica_miner_metrics_port", miner.metricsPort());
        v.put("basilica_executor_grpc_port", executor.mainPort());
        v.put("basilica_executor_metrics_port", executor.metricsPort());
        v.put("basilica_metrics_host", executor.metricsHost());
        var apiKey = validator.secrets().get("services.validator.api_key");
        if (apiKey != null) v.put("basilica_validator_api_key", plain(apiKey));
        var jwt = miner.secrets().get("services.miner.jwt_secret");
        if (jwt != null) v.put("basilica_miner_jwt_secret", plain(jwt));
        // The model's settings as the planner turned them into plain data, written one to one.
        for (String name : List.of("packages", "artifacts", "tls", "logging", "rolling_update", "monitoring")) {
            v.put("basilica_" + name, settings.groupVars().get(name));
        }
        return v;
    }

    /** One host's variables: host_vars/<host>.yml. */
    static Map<String, Object> host(Fleet fleet, HostPlan h) {
        return host(fleet, h, new FirewallRuleLists(fleet));
    }

    /** As {@link #host(Fleet, HostPlan)}, sharing the firewall rule lists across the hosts of one run. */
    static Map<String, Object> host(Fleet fleet, HostPlan h, FirewallRuleLists rules) {
        Machine host = h.host();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ansible_host", host.address());
        v.put("ansible_port", host.ssh().port());
        v.put("ansible_user", host.ssh().user());
        if (host.ssh().key() != null) v.put("ansible_ssh_private_key_file", host.ssh().key());
        v.put("basilica_services", h.services().stream().map(ServiceKind::id).toList());
        if (host.publicAddress() != null) v.put("basilica_advertised_address", host.publicAddress());
        if (h.executorId() != null) {
            v.put("basilica_executor_id", h.executorId().toString());
            if (h.managingMiner() != null) v.put("basilica_managing_miner", h.managingMiner());
            v.put("basilica_gpus", plain(host.gpus()));
            v.put("basilica_gpu_count", host.gpuCount());
            if (!host.gpus().isEmpty()) v.put("basilica_nvidia_driver_branch", host.gpus().get(0).driverBranch());
        }
        Map<String, Object> wallets = new TreeMap<>();
        h.wallets().forEach((r, w) -> wallets.put(r.id(), plain(w)));
        if (!wallets.isEmpty()) v.put("basilica_wallets", wallets);
        if (h.runs(ServiceKind.MINER)) {
            v.put("basilica_miner_executor_endpoints", fleet.executorEndpoints(h.name()).stream().map(Fleet.ExecutorEndpoint::grpcAddress).toList());
        }
        if (h.runs(ServiceKind.VALIDATOR)) v.put("basilica_validator_peer_endpoints", fleet.validatorPeerEndpoints());
        if (h.has(HostFeature.TLS)) v.put("basilica_tls_names", h.tlsNames());
        if (fleet.firewall().enabled()) v.put("basilica_firewall_rules", rules.of(h));
        List<Map<String, Object>> deployed = new ArrayList<>();
        for (DeployedFiles.File f : DeployedFiles.of(h)) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("source", f.source());
            file.put("target", f.target());
            deployed.add(file);
        }
        if (!deployed.isEmpty()) v.put("basilica_deployed_files", deployed);
        return v;
    }

    /**
     * The hosts' ingress rules, worked out once per distinct set of roles and managing miner rather than
     * once per host: in a fleet of thousands of executors they share a handful of lists. Safe to share
     * between threads.
     */
    static final class FirewallRuleLists {
        private final Fleet fleet;
        private final Map<List<Object>, List<Map<String, Object>>> lists = new java.util.concurrent.ConcurrentHashMap<>();

        FirewallRuleLists(Fleet fleet) {
            this.fleet = fleet;
        }

        List<Map<String, Object>> of(HostPlan h) {
            Set<Role> roles = java.util.EnumSet.noneOf(Role.class);
            roles.addAll(h.host().roles());
            String miner = h.managingMiner() == null ? "" : h.managingMiner();
            boolean gpuExporter = h.has(HostFeature.GPU_EXPORTER);
            return lists.computeIfAbsent(List.of(roles, miner, gpuExporter), k -> firewallRules(fleet, roles, miner, gpuExporter));
        }
    }

    /**
     * The rules of a host with these roles: the firewall plan's rules of each of the roles, once each,
     * except the gRPC rules for miners other than the host's own and, on a host that runs no GPU exporter,
     * the exporter's rules. An executor talks to its managing miner
     * only, so its list stays the same size however many miners the fleet has (the role-wide cloud
     * firewalls in Terraform still allow every miner).
     */
    private static List<Map<String, Object>> firewallRules(Fleet fleet, Set<Role> roles, String managingMiner, boolean gpuExporter) {
        Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
        for (FirewallRule r : fleet.firewall().rules()) {
            if (r.direction() != FirewallRule.Direction.INGRESS || !roles.contains(r.role())) continue;
            if (r.role() == Role.EXECUTOR && forOtherMinersOnly(r, managingMiner)) continue;
            if (!gpuExporter && FirewallPlanner.gpuExporterOnly(r)) continue;
            String proto = r.protocol() == FirewallRule.Protocol.ALL ? "any" : r.protocol().id();
            String port = r.protocol() == FirewallRule.Protocol.ALL ? null : r.portsId(":");
            String key = proto + "/" + port + "/" + r.peer();
            if (byKey.containsKey(key)) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            if (port != null) m.put("port", port);
            m.put("proto", proto);
            m.put("from", r.peer());
            byKey.put(key, m);
        }
        return List.copyOf(byKey.values());
    }

    /** A rule that exists only so that miners other than {@code managingMiner} reach executors. */
    private static boolean forOtherMinersOnly(FirewallRule r, String managingMiner) {
        String own = FirewallPlanner.MINER_TO_EXECUTOR + managingMiner;
        return r.purposes().stream().allMatch(p -> p.startsWith(FirewallPlanner.MINER_TO_EXECUTOR))
                && r.purposes().stream().noneMatch(own::equals);
    }
}
