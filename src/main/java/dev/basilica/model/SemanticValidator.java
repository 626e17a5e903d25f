package dev.basilica.model;

import dev.basilica.model.Environment.Host;
import dev.basilica.model.Environment.Role;
import dev.basilica.model.Environment.Terraform.Provider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rules that span fields: unique names, roles present, ports free on each host, GPU models scored. */
final class SemanticValidator {

    private final Environment env;
    private final ModelBinder.Result bound;
    private final String file;
    private final List<Diagnostic> out = new ArrayList<>();

    private SemanticValidator(Environment env, ModelBinder.Result bound, String file) {
        this.env = env;
        this.bound = bound;
        this.file = file;
    }

    static List<Diagnostic> check(Environment env, ModelBinder.Result bound, String file) {
        SemanticValidator v = new SemanticValidator(env, bound, file);
        List<Runnable> rules = List.of(v::hostNames, v::roles, v::miners, v::ports, v::gpus, v::emission, v::wallets,
                v::firewall, v::terraform, v::provisioning, v::grafana);
        boolean partial = bound.diagnostics().stream().anyMatch(Diagnostic::isError);
        for (Runnable rule : rules) {
            try {
                rule.run();
            } catch (RuntimeException e) {
                // A model with schema errors may lack what a rule reads; those errors are reported already.
                if (!partial) throw e;
            }
        }
        return v.out;
    }

    private SourcePosition at(String path) {
        return bound.positionOf(path, file);
    }

    private void error(String path, String message) {
        if (bound.isDamaged(path)) return;
        out.add(Diagnostic.error(at(path), path + ": " + message));
    }

    private void warn(String path, String message) {
        if (bound.isDamaged(path)) return;
        out.add(Diagnostic.warning(at(path), path + ": " + message));
    }

    private boolean given(String path) {
        ModelBinder.Origin o = bound.origin(path);
        return o != null && !o.isDefault();
    }

    private void hostNames() {
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < env.hosts().size(); i++) {
            if (env.hosts().get(i).name() == null) continue;
            Integer prev = first.putIfAbsent(env.hosts().get(i).name(), i);
            if (prev != null) {
                error("hosts[" + i + "].name", "duplicate host name '" + env.hosts().get(i).name() + "' (first used by hosts["
                        + prev + "] at line " + at("hosts[" + prev + "].name").line() + "); host names must be unique");
            }
        }
    }

    private boolean enabled(Role role) {
        return switch (role) {
            case VALIDATOR -> env.services().validator().enabled();
            case MINER -> env.services().miner().enabled();
            case EXECUTOR -> env.services().executor().enabled();
            case MONITORING -> env.monitoring().enabled();
        };
    }

    private static String switchOf(Role role) {
        return role == Role.MONITORING ? "monitoring.enabled" : "services." + role.id() + ".enabled";
    }

    private void roles() {
        for (Role role : Role.values()) {
            boolean any = env.hosts().stream().anyMatch(h -> h.has(role));
            if (enabled(role) && !any) {
                error("hosts", "no host has the '" + role.id() + "' role, but " + switchOf(role) + " is true; add '" + role.id()
                        + "' to a host's roles, or set " + switchOf(role) + ": false");
            }
            for (int i = 0; i < env.hosts().size(); i++) {
                Host h = env.hosts().get(i);
                if (h.has(role) && !enabled(role)) {
                    error("hosts[" + i + "].roles", "host '" + h.name() + "' has the '" + role.id() + "' role, but "
                            + switchOf(role) + " is false; remove the role or enable the service");
                }
            }
        }
        long monitors = env.hosts().stream().filter(h -> h.has(Role.MONITORING)).count();
        if (monitors > 1) {
            error("hosts", "only one host may carry the 'monitoring' role; found " + monitors);
        }
    }

    private void miners() {
        List<String> miners = env.hostsWith(Role.MINER).stream().map(Host::name).toList();
        for (int i = 0; i < env.hosts().size(); i++) {
            Host h = env.hosts().get(i);
            if (h.miner() != null) {
                if (!h.has(Role.EXECUTOR)) {
                    error("hosts[" + i + "].miner", "only executor hosts name a managing miner; '" + h.name() + "' is not an executor");
                } else if (!miners.contains(h.miner())) {
                    boolean isHost = env.hosts().stream().anyMatch(o -> o.name().equals(h.miner()));
                    error("hosts[" + i + "].miner", "'" + h.miner() + "' is not a host with the miner role"
                            + (isHost ? "" : " (no host has that name)")
                            + (miners.isEmpty() ? "; no host has the miner role"
                                    : "; hosts with the miner role: " + String.join(", ", miners))
                            + Suggestions.didYouMean(h.miner(), miners));
                }
            } else if (h.has(Role.EXECUTOR) && miners.isEmpty() && env.services().executor().enabled()) {
                error("hosts[" + i + "]", "executor '" + h.name() + "' has no managing miner: no host has the miner role; an executor "
                        + "accepts requests only from its miner's hotkey, so add 'miner' to a host's roles (with services.miner.enabled: true)");
            } else if (h.has(Role.EXECUTOR) && miners.size() > 1) {
                error("hosts[" + i + "]", "executor '" + h.name() + "' must name its managing miner (miner: NAME), since there are "
                        + miners.size() + " miners: " + String.join(", ", miners));
            }
        }
    }

    private record PortUse(String what, String path) {}

    private void ports() {
        var s = env.services();
        var m = env.monitoring();
        for (int i = 0; i < env.hosts().size(); i++) {
            Host h = env.hosts().get(i);
            Map<Integer, PortUse> used = new LinkedHashMap<>();
            List<Object[]> uses = new ArrayList<>();
            uses.add(new Object[] {h.ssh().port(), new PortUse("SSH", "hosts[" + i + "].ssh.port")});
            if (h.has(Role.VALIDATOR)) {
                uses.add(new Object[] {s.validator().apiPort(), new PortUse("validator API", "services.validator.api_port")});
                uses.add(new Object[] {s.validator().metricsPort(), new PortUse("validator metrics", "services.validator.metrics_port")});
            }
            if (h.has(Role.MINER)) {
                uses.add(new Object[] {s.miner().grpcPort(), new PortUse("miner gRPC", "services.miner.grpc_port")});
                uses.add(new Object[] {s.miner().metricsPort(), new PortUse("miner metrics", "services.miner.metrics_port")});
            }
            if (h.has(Role.EXECUTOR)) {
                uses.add(new Object[] {s.executor().grpcPort(), new PortUse("executor gRPC", "services.executor.grpc_port")});
                uses.add(new Object[] {s.executor().metricsPort(), new PortUse("executor metrics", "services.executor.metrics_port")});
            }
            if (m.enabled()) {
                uses.add(new Object[] {m.nodeExporterPort(), new PortUse("node exporter", "monitoring.node_exporter_port")});
                if (h.has(Role.EXECUTOR)) {
                    uses.add(new Object[] {m.gpuExporterPort(), new PortUse("GPU exporter", "monitoring.gpu_exporter_port")});
                }
                if (h.has(Role.MONITORING)) {
                    uses.add(new Object[] {m.prometheusPort(), new PortUse("Prometheus", "monitoring.prometheus_port")});
                    uses.add(new Object[] {m.alertmanagerPort(), new PortUse("Alertmanager", "monitoring.alertmanager_port")});
                    uses.add(new Object[] {m.grafanaPort(), new PortUse("Grafana", "monitoring.grafana_port")});
                }
            }
            for (Object[] u : uses) {
                int port = (Integer) u[0];
                if (port <= 0) continue; // a missing or invalid port, already reported
                PortUse use = (PortUse) u[1];
                PortUse prev = used.putIfAbsent(port, use);
                if (prev != null && !bound.isDamaged(use.path()) && !bound.isDamaged(prev.path())) {
                    // Point at whichever of the two was written in the file, else at the host.
                    String path = given(use.path()) ? use.path() : given(prev.path()) ? prev.path() : "hosts[" + i + "]";
                    out.add(Diagnostic.error(at(path), path + ": port " + port + " is used twice on host '" + h.name() + "': "
                            + prev.what() + " (" + prev.path() + ") and " + use.what() + " (" + use.path()
                            + "); give one of them another port"));
                }
            }
        }
    }

    private void gpus() {
        var allocations = env.services().validator().emission().gpuAllocations();
        for (int i = 0; i < env.hosts().size(); i++) {
            Host h = env.hosts().get(i);
            if (!h.gpus().isEmpty() && !h.has(Role.EXECUTOR)) {
                warn("hosts[" + i + "].gpus", "host '" + h.name() + "' lists GPUs but is not an executor; they are ignored");
            }
            for (int j = 0; j < h.gpus().size(); j++) {
                String model = h.gpus().get(j).model();
                if (!allocations.containsKey(model)) {
                    // Only a spelling of the same model is suggested: A100 is not a misspelt H100.
                    String same = allocations.keySet().stream().filter(k -> gpuKey(k).equals(gpuKey(model))).findFirst().orElse(null);
                    error("hosts[" + i + "].gpus[" + j + "].model", "GPU model '" + model
                            + "' is not in the emission allocation table, so validators give it no emission; the table "
                            + "(services.validator.emission.gpu_allocations) has " + String.join(", ", allocations.keySet())
                            + "; use one of those or add '" + model + "' to the table"
                            + (same != null ? "; did you mean '" + same + "'?" : ""));
                }
            }
            if (h.has(Role.EXECUTOR) && h.gpus().isEmpty() && env.tier() != Tier.DEVELOPMENT) {
                warn("hosts[" + i + "]", "executor '" + h.name() + "' lists no GPUs; the NVIDIA driver and toolkit are not installed there");
            }
            if (h.has(Role.EXECUTOR) && h.ssh().port() != 22) {
                warn("hosts[" + i + "].ssh.port", "validators reach executors for verification on SSH port 22 (the miner does not "
                        + "pass another port); executor '" + h.name() + "' uses " + h.ssh().port() + ", so its verification will fail "
                        + "unless port 22 also reaches its sshd");
            }
        }
    }

    private static String gpuKey(String model) {
        return model.toUpperCase(java.util.Locale.ROOT).replaceAll("[-_ ]", "");
    }

    private void emission() {
        var e = env.services().validator().emission();
        double sum = e.gpuAllocations().values().stream().mapToDouble(Double::doubleValue).sum();
        if (e.gpuAllocations().isEmpty()) {
            error("services.validator.emission.gpu_allocations", "must list at least one GPU model");
        } else if (Math.abs(sum - 100.0) > 0.01) {
            error("services.validator.emission.gpu_allocations", "the shares sum to "
                    + SchemaNode.trim(Math.round(sum * 1000) / 1000.0) + "; they must sum to 100 (the validator refuses to "
                    + "start otherwise)");
        }
    }

    /** Grafana's admin password: a secret reference outside development, else Grafana's default admin:admin stays. */
    private void grafana() {
        var m = env.monitoring();
        if (!m.enabled() || !m.grafana() || m.grafanaAdminPassword() != null) return;
        if (env.tier() == Tier.DEVELOPMENT) {
            warn("monitoring.grafana_admin_password", "missing: Grafana keeps its default admin:admin login (allowed in "
                    + "development); reference a secret, e.g. grafana_admin_password: { env: GRAFANA_ADMIN_PASSWORD }");
        } else {
            error("monitoring.grafana_admin_password", "missing: Grafana's API would accept admin:admin on " + env.tier().id()
                    + "; reference a secret, e.g. grafana_admin_password: { env: GRAFANA_ADMIN_PASSWORD }, or set grafana: false");
        }
    }

    private void wallets() {
        var s = env.services();
        for (int i = 0; i < env.hosts().size(); i++) {
            Host h = env.hosts().get(i);
            for (Role role : List.of(Role.VALIDATOR, Role.MINER)) {
                if (h.has(role) && env.walletOf(h, role) == null) {
                    error("hosts[" + i + "]", "host '" + h.name() + "' runs the " + role.id() + " but has no wallet; set wallets."
                            + role.id() + " (or this host's wallet)");
                }
            }
            if (h.wallet() != null && !h.has(Role.VALIDATOR) && !h.has(Role.MINER)) {
                warn("hosts[" + i + "].wallet", "only validator and miner hosts use a wallet; this one is ignored");
            }
        }
        if (s.miner().enabled() && s.miner().jwtSecret() == null) {
            error("services.miner.jwt_secret", "missing: the miner refuses to start with its built-in secret; "
                    + "reference one, e.g. jwt_secret: { env: MINER_JWT_SECRET }");
        }
        Map<String, Integer> minerIndex = new HashMap<>();
        for (int i = 0; i < env.hosts().size(); i++) {
            Host h = env.hosts().get(i);
            if (h.has(Role.MINER) && h.name() != null) minerIndex.put(h.name(), i);
        }
        Map<String, Integer> managed = new HashMap<>();
        for (Host h : env.hostsWith(Role.EXECUTOR)) {
            String miner = h.miner() != null ? h.miner() : minerIndex.size() == 1 ? minerIndex.keySet().iterator().next() : null;
            if (miner == null || !minerIndex.containsKey(miner)) continue;
            managed.merge(miner, 1, Integer::sum);
            Host m = env.hosts().get(minerIndex.get(miner));
            Environment.Wallet w = env.walletOf(m, Role.MINER);
            if (w != null && w.hotkeySs58() == null && managed.get(miner) == 1) {
                String path = m.wallet() != null ? "hosts[" + minerIndex.get(miner) + "].wallet" : "wallets.miner";
                error(path, "missing hotkey_ss58 of miner '" + miner + "': its executors accept requests only from this hotkey "
                        + "(managing_miner_hotkey); without it they fall back to the public Alice dev key");
            }
        }
        // Without any executor host the missing role is reported already (roles()); do not repeat it per miner.
        if (s.executor().enabled() && !env.hostsWith(Role.EXECUTOR).isEmpty()) {
            minerIndex.forEach((name, i) -> {
                if (!managed.containsKey(name)) {
                    error("hosts[" + i + "]", "miner '" + name + "' manages no executor; the miner refuses to start with an "
                            + "empty executor list");
                }
            });
        }
    }

    private void firewall() {
        var rules = env.firewall().rules();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            var r = rules.get(i);
            Integer prev = names.putIfAbsent(r.name(), i);
            if (prev != null) {
                error("firewall.rules[" + i + "].name", "duplicate rule name '" + r.name() + "' (first used by firewall.rules["
                        + prev + "]); rule names must be unique because resource names derive from them");
            }
            if (r.toPort() != null && r.toPort() < r.port()) {
                error("firewall.rules[" + i + "].to_port", "to_port " + r.toPort() + " is below port " + r.port());
            }
            if (env.hostsWith(r.role()).isEmpty()) {
                warn("firewall.rules[" + i + "].role", "no host has the '" + r.role().id() + "' role, so this rule applies nowhere");
            }
        }
        if (env.tier() == Tier.PRODUCTION && env.firewall().enabled()
                && env.firewall().sshSources().stream().anyMatch(c -> c.equals("0.0.0.0/0") || c.equals("::/0"))) {
            warn("firewall.ssh_sources", "SSH is open to the whole internet; list the operators' networks instead");
        }
        // CIDR blocks with host bits set are refused by the schema (Format.CIDR), with the other CIDR mistakes.
    }

    private void terraform() {
        var t = env.terraform();
        var b = t.backend();
        switch (b.type()) {
            case S3 -> {
                if (b.bucket() == null) error("terraform.backend", "an s3 backend needs bucket");
                if (b.key() == null) error("terraform.backend", "an s3 backend needs key");
                if (b.region() == null) error("terraform.backend", "an s3 backend needs region");
            }
            case GCS -> {
                if (b.bucket() == null) error("terraform.backend", "a gcs backend needs bucket");
            }
            case LOCAL -> { }
        }
        Provider provider = t.provider();
        if (List.of(Provider.AWS, Provider.GCP, Provider.SCALEWAY).contains(provider) && t.region() == null) {
            error("terraform", "provider " + provider.id() + " needs region");
        }
        if (provider != Provider.NONE && !env.firewall().enabled()) {
            warn("terraform.provider", "firewall.enabled is false, so no Terraform is generated for provider " + provider.id()
                    + "; set firewall.enabled: true to manage the cloud firewalls");
        }
        if (provider == Provider.AWS && t.aws() == null) {
            error("terraform", "provider aws needs terraform.aws: { vpc_id: vpc-... } to use an existing VPC, "
                    + "or { vpc_cidr: 10.0.0.0/16 } to create one");
        }
        if (provider == Provider.GCP && t.gcp() == null) {
            error("terraform", "provider gcp needs terraform.gcp: { project: PROJECT_ID }");
        }
        if (t.aws() != null && provider != Provider.AWS) warn("terraform.aws", "ignored: terraform.provider is " + provider.id());
        if (t.gcp() != null && provider != Provider.GCP) warn("terraform.gcp", "ignored: terraform.provider is " + provider.id());
        if (t.scaleway() != null && provider != Provider.SCALEWAY) {
            warn("terraform.scaleway", "ignored: terraform.provider is " + provider.id());
        }
        if (t.aws() != null) awsNetwork(t.aws());
        cloudMachines(provider);
        if (provider != Provider.NONE && env.firewall().enabled()) {
            for (int i = 0; i < env.hosts().size(); i++) {
                Host h = env.hosts().get(i);
                boolean peer = h.has(Role.VALIDATOR) || h.has(Role.MINER) || h.has(Role.MONITORING);
                if (peer && !Addresses.isIp(h.address())) {
                    warn("hosts[" + i + "].address", "'" + h.address() + "' is a DNS name, so the cloud firewall cannot name host '"
                            + h.name() + "' as a peer; its calls to other hosts pass only where the firewall.*_sources lists "
                            + "allow them (write the host's IP address to allow it by address)");
                }
            }
        }
    }

    private static final List<String> RESERVED_TAGS = List.of("Name", "Environment", "Role", "ManagedBy");

    private void awsNetwork(Environment.Aws aws) {
        if (aws.vpcId() != null && !aws.vpcId().startsWith("vpc-")) {
            error("terraform.aws.vpc_id", "'" + aws.vpcId() + "' is not a VPC id; AWS VPC ids look like vpc-0123456789abcdef0");
        }
        if (aws.subnetId() != null && !aws.subnetId().startsWith("subnet-")) {
            error("terraform.aws.subnet_id", "'" + aws.subnetId() + "' is not a subnet id; AWS subnet ids look like subnet-0123456789abcdef0");
        }
        if (aws.subnetId() != null && aws.subnetCidr() != null) {
            error("terraform.aws.subnet_cidr", "give subnet_id (use an existing subnet) or subnet_cidr (create one), not both");
        }
        for (String field : List.of("vpc_cidr", "subnet_cidr")) {
            String value = field.equals("vpc_cidr") ? aws.vpcCidr() : aws.subnetCidr();
            if (value == null) continue;
            var c = Addresses.parseCidr(value);
            if (c.isPresent() && c.get().ipv6()) {
                error("terraform.aws." + field, "AWS assigns IPv6 blocks itself; give an IPv4 block such as 10.42.0.0/16");
            } else if (c.isPresent() && (c.get().prefix() < 16 || c.get().prefix() > 28)) {
                error("terraform.aws." + field, "AWS accepts IPv4 blocks from /16 to /28; '" + value + "' is a /" + c.get().prefix());
            }
        }
        if (aws.vpcCidr() != null && aws.subnetCidr() != null) {
            var vpc = Addresses.parseCidr(aws.vpcCidr());
            var subnet = Addresses.parseCidr(aws.subnetCidr());
            if (vpc.isPresent() && subnet.isPresent() && !Addresses.contains(vpc.get(), subnet.get())) {
                error("terraform.aws.subnet_cidr", "'" + aws.subnetCidr() + "' is not inside the VPC's block " + aws.vpcCidr());
            }
        }
        if (aws.availabilityZone() != null && aws.subnetCidr() == null) {
            warn("terraform.aws.availability_zone", "ignored: only a subnet created here (subnet_cidr) takes an availability zone");
        }
        for (String key : aws.tags().keySet()) {
            if (RESERVED_TAGS.contains(key)) {
                error("terraform.aws.tags." + key, "basilica sets the tag '" + key + "' itself; choose another key");
            }
        }
    }

    private void cloudMachines(Provider provider) {
        boolean used = provider != Provider.NONE && env.firewall().enabled();
        for (int i = 0; i < env.hosts().size(); i++) {
            Environment.Cloud c = env.hosts().get(i).cloud();
            if (c == null) continue;
            String path = "hosts[" + i + "].cloud";
            if (!used) {
                warn(path, "ignored: no cloud firewall is generated (terraform.provider is " + provider.id()
                        + (env.firewall().enabled() ? "" : " and firewall.enabled is false") + ")");
                continue;
            }
            switch (provider) {
                case AWS -> {
                    if (c.instanceId() != null && !c.instanceId().startsWith("i-")) {
                        error(path + ".instance_id", "'" + c.instanceId() + "' is not an EC2 instance id; they look like i-0123456789abcdef0");
                    }
                    if (c.networkInterfaceId() != null && !c.networkInterfaceId().startsWith("eni-")) {
                        error(path + ".network_interface_id", "'" + c.networkInterfaceId()
                                + "' is not a network interface id; they look like eni-0123456789abcdef0");
                    }
                }
                case HETZNER, DIGITALOCEAN -> {
                    String what = provider == Provider.HETZNER ? "Hetzner Cloud server id" : "DigitalOcean droplet id";
                    if (c.instanceId() != null && !c.instanceId().matches("[1-9][0-9]{0,17}")) {
                        error(path + ".instance_id", "'" + c.instanceId() + "' is not a " + what + " (a number)");
                    }
                    if (c.networkInterfaceId() != null) {
                        warn(path + ".network_interface_id", "ignored: only AWS attaches security groups to network interfaces");
                    }
                }
                default -> warn(path, "ignored: " + provider.id() + " firewalls attach by "
                        + (provider == Provider.GCP ? "network tags" : "the server's security_group_id")
                        + ", which outputs.tf lists per host");
            }
        }
    }

    /** Packages, artifacts, TLS: what the generated Ansible needs to be able to run. */
    private void provisioning() {
        var a = env.artifacts();
        var p = env.packages();
        List<String> names = env.hosts().stream().map(Host::name).toList();
        if (a.buildHost() != null && !names.contains(a.buildHost())) {
            error("artifacts.build_host", "'" + a.buildHost() + "' is not a host of this environment"
                    + Suggestions.didYouMean(a.buildHost(), names));
        }
        Map<String, Environment.Artifact> artifacts = new LinkedHashMap<>();
        artifacts.put("validator", a.validator());
        artifacts.put("miner", a.miner());
        artifacts.put("executor", a.executor());
        artifacts.put("validator_binary", a.validatorBinary());
        artifacts.put("executor_binary", a.executorBinary());
        artifacts.put("gpu_exporter", a.gpuExporter() == null ? null : a.gpuExporter().asArtifact());
        artifacts.forEach((name, artifact) -> {
            if (artifact == null) return;
            // url without sha256 is refused by the schema (a field dependency), with the other artifact shapes.
            if (artifact.build() != null && p.airGapped()) {
                error("artifacts." + name + ".build", "a source build downloads the Rust toolchain and crates from the internet, "
                        + "but packages.apt_mirror or packages.artifact_mirror marks this fleet as air-gapped; "
                        + "give a file or url artifact instead");
            }
            if (artifact.url() != null && p.aptMirror() != null && p.artifactMirror() == null) {
                warn("artifacts." + name + ".url", "apt uses packages.apt_mirror, but this artifact is still downloaded from "
                        + artifact.url() + "; set packages.artifact_mirror to keep the fleet off the internet");
            }
        });
        if (p.aptMirror() != null && p.aptMirror().trusted() && p.aptMirror().signedBy() != null) {
            error("packages.apt_mirror", "give either trusted: true or signed_by, not both");
        }
        var t = env.tls();
        if ((t.caCert() == null) != (t.caKey() == null)) {
            error("tls", "ca_cert and ca_key go together: the controller signs the services' certificates with the CA's key");
        }
        if (env.services().miner().enabled() && env.services().miner().authMethod() == Environment.MinerService.AuthMethod.MUTUAL_TLS
                && !(t.enabled() && t.mutual())) {
            error("services.miner.auth_method", "mutual_tls needs tls: { enabled: true, mutual: true }, "
                    + "so the miner has a certificate and a CA to check its clients with");
        }
        if (env.monitoring().enabled() && a.gpuExporter() == null
                && env.hosts().stream().anyMatch(h -> h.has(Role.EXECUTOR) && !h.gpus().isEmpty())) {
            warn("artifacts", "no artifacts.gpu_exporter: GPU executors get no GPU exporter, so Prometheus sees no GPU metrics");
        }
    }
}
