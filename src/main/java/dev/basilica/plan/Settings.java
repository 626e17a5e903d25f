package dev.basilica.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.basilica.model.Environment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model's settings that outputs write out as they are (no second output decides on them), carried by
 * the plan so that emitters and live checks never read the model. Built once by the planner; the records
 * mirror the model's (same components, so their serialised form is the model's).
 *
 * @param tier the model's tier as it spells it ({@code development}, ...)
 * @param chain the chain the services join
 * @param gpuExporterArtifact whether the model names a GPU exporter artifact (Prometheus job, alerts, dashboard)
 * @param installDocker {@code packages.install_docker}
 * @param rollingBatchPercent {@code rolling_update.batch_percent}
 * @param groupVars the model's {@code packages}, {@code artifacts} (without {@code build_host}), {@code tls},
 *     {@code logging}, {@code rolling_update} and {@code monitoring} as plain data (snake_case keys, no empty
 *     optionals), by those names: what {@code group_vars} writes one to one
 * @param terraform what the Terraform root module is written from
 * @param secretReferences every secret reference of the model by where it is written (services' secrets, Grafana's admin password, then the
 *     environment's wallets' hotkey files, then the hosts' own), in that order: what the secret scan resolves
 */
public record Settings(String tier, Chain chain, Tls tls, Monitoring monitoring, boolean gpuExporterArtifact, boolean installDocker,
                       Validator validator, Miner miner, Docker docker, int rollingBatchPercent, Ansible ansible,
                       Map<String, Object> groupVars, TerraformSettings terraform, Map<String, SecretReference> secretReferences,
                       Pull pull) {

    /**
     * Pull mode ({@code pull} in the model), or null for push only.
     *
     * @param playbooks the generated playbooks' file names, relative to {@code out/<env>/ansible/}, in order
     */
    public record Pull(String repository, String ref, int intervalMinutes, int randomDelayMinutes, List<String> playbooks, int keepRuns) {}

    /** @param endpoint the model's endpoint, else the network's public entrypoint */
    public record Chain(String network, int netuid, String endpoint) {}

    public record Tls(boolean enabled, boolean mutual) {}

    public record Monitoring(boolean enabled, int prometheusPort, int alertmanagerPort, int grafanaPort, int nodeExporterPort,
                             int gpuExporterPort, long scrapeIntervalSecs, int retentionDays, boolean grafana) {}

    public record Validator(Verification verification, SshSessions sshSessions, Emission emission) {}

    public record Verification(long intervalSecs, long challengeTimeoutSecs, long minIntervalSecs, int maxConcurrent,
                               int maxMinersPerRound, double minScore, BinaryValidation binaryValidation) {}

    public record BinaryValidation(boolean enabled, long timeoutSecs, double scoreWeight) {}

    public record SshSessions(int maxConcurrent, int rateLimit, long defaultDurationSecs, long maxDurationSecs) {}

    public record Emission(double burnPercentage, int burnUid, Map<String, Double> gpuAllocations, long weightSetIntervalBlocks) {}

    /** @param authMethod as the model spells it; @param mutualTls whether that method is mutual TLS */
    public record Miner(int maxSessions, int requestsPerSecond, int burstCapacity, String authMethod, boolean mutualTls,
                        List<String> allowedValidators, long healthCheckIntervalSecs, long healthCheckTimeoutSecs) {}

    public record Docker(int maxContainers, int memoryGib, double cpuCores, long containerTimeoutSecs, String defaultImage,
                         boolean allowInternet) {}

    /** @param strategy Ansible's play strategy plugin, as the model spells it */
    public record Ansible(int forks, String strategy) {}

    /** Model records as plain maps with the model's snake_case keys and no empty optionals. */
    private static final ObjectMapper PLAIN = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .build();

    private static Object plain(Object record) {
        return PLAIN.convertValue(record, new TypeReference<Object>() {});
    }

    private static Map<String, SecretReference> secretReferences(Environment env) {
        Map<String, SecretReference> refs = new LinkedHashMap<>();
        var s = env.services();
        if (s.validator().apiKey() != null) refs.put("services.validator.api_key", ServicePlanner.reference(s.validator().apiKey()));
        if (s.miner().jwtSecret() != null) refs.put("services.miner.jwt_secret", ServicePlanner.reference(s.miner().jwtSecret()));
        if (env.monitoring().grafanaAdminPassword() != null) {
            refs.put("monitoring.grafana_admin_password", ServicePlanner.reference(env.monitoring().grafanaAdminPassword()));
        }
        for (String role : List.of("validator", "miner")) {
            Environment.Wallet w = role.equals("validator") ? env.wallets().validator() : env.wallets().miner();
            if (w != null && w.hotkeyFile() != null) refs.put("wallets." + role + ".hotkey_file", ServicePlanner.reference(w.hotkeyFile()));
        }
        for (Environment.Host h : env.hosts()) {
            if (h.wallet() != null && h.wallet().hotkeyFile() != null) {
                refs.put("hosts." + h.name() + ".wallet.hotkey_file", ServicePlanner.reference(h.wallet().hotkeyFile()));
            }
        }
        return java.util.Collections.unmodifiableMap(refs);
    }

    static Settings of(Environment env) {
        var s = env.services();
        var m = env.monitoring();
        var c = env.chain();
        var v = s.validator();
        var ver = v.verification();
        var bv = ver.binaryValidation();
        var ss = v.sshSessions();
        var e = v.emission();
        var mi = s.miner();
        var d = s.executor().docker();
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("packages", plain(env.packages()));
        @SuppressWarnings("unchecked")
        Map<String, Object> artifacts = new java.util.TreeMap<>((Map<String, Object>) plain(env.artifacts()));
        artifacts.remove("build_host"); // the inventory's rust_build_hosts group says where builds run
        vars.put("artifacts", artifacts);
        vars.put("tls", plain(env.tls()));
        vars.put("logging", plain(env.logging()));
        vars.put("rolling_update", plain(env.rollingUpdate()));
        vars.put("monitoring", plain(m));
        return new Settings(env.tier().name().toLowerCase(Locale.ROOT),
                new Chain(c.network().id(), c.netuid(), c.effectiveEndpoint()),
                new Tls(env.tls().enabled(), env.tls().mutual()),
                new Monitoring(m.enabled(), m.prometheusPort(), m.alertmanagerPort(), m.grafanaPort(), m.nodeExporterPort(),
                        m.gpuExporterPort(), m.scrapeIntervalSecs(), m.retentionDays(), m.grafana()),
                env.artifacts().gpuExporter() != null, env.packages().installDocker(),
                new Validator(new Verification(ver.intervalSecs(), ver.challengeTimeoutSecs(), ver.minIntervalSecs(), ver.maxConcurrent(),
                        ver.maxMinersPerRound(), ver.minScore(), new BinaryValidation(bv.enabled(), bv.timeoutSecs(), bv.scoreWeight())),
                        new SshSessions(ss.maxConcurrent(), ss.rateLimit(), ss.defaultDurationSecs(), ss.maxDurationSecs()),
                        new Emission(e.burnPercentage(), e.burnUid(), e.gpuAllocations(), e.weightSetIntervalBlocks())),
                new Miner(mi.maxSessions(), mi.rateLimit().requestsPerSecond(), mi.rateLimit().burstCapacity(), mi.authMethod().id(),
                        mi.authMethod() == Environment.MinerService.AuthMethod.MUTUAL_TLS, mi.allowedValidators() == null ? null : List.copyOf(mi.allowedValidators()),
                        mi.healthCheckIntervalSecs(), mi.healthCheckTimeoutSecs()),
                new Docker(d.maxContainers(), d.memoryGib(), d.cpuCores(), d.containerTimeoutSecs(), d.defaultImage(), d.allowInternet()),
                env.rollingUpdate().batchPercent(), new Ansible(env.ansible().forks(), env.ansible().strategy().id()),
                java.util.Collections.unmodifiableMap(vars), TerraformSettings.of(env.terraform()), secretReferences(env),
                env.pull() == null ? null : pull(env.pull()));
    }

    private static Pull pull(Environment.Pull p) {
        return new Pull(p.repository(), p.ref(), p.intervalMinutes(), p.randomDelayMinutes(),
                p.playbooks().stream().map(ph -> ph.id() + ".yml").toList(), p.keepRuns());
    }
}
