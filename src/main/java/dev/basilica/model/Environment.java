package dev.basilica.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One Basilica deployment, as read from {@code environments/<name>.yaml}. Immutable; every default is
 * already filled in for the model's tier (see {@link EnvironmentSchema}, which defines the model: each record
 * here has exactly its fields, checked by {@code ModelDefinitionTest}).
 *
 * <pre>
 * apiVersion: basilica.dev/v1alpha1
 * kind: Environment
 * name: staging
 * tier: staging
 * chain: { network: test, netuid: 387 }
 * hosts:
 *   - { name: miner-1, address: 10.0.0.2, roles: [miner], ssh: { user: ubuntu } }
 * </pre>
 */
public record Environment(
        @JsonProperty("apiVersion") String apiVersion,
        String kind,
        String name,
        Tier tier,
        Chain chain,
        List<Host> hosts,
        Services services,
        Wallets wallets,
        Artifacts artifacts,
        Firewall firewall,
        Monitoring monitoring,
        Terraform terraform,
        Packages packages,
        Tls tls,
        Logging logging,
        RollingUpdate rollingUpdate,
        Ansible ansible,
        Pull pull) {

    /** {@code chain: { network: test, netuid: 387, endpoint: wss://test.finney.opentensor.ai:443 }} */
    public record Chain(Network network, int netuid, String endpoint) {
        /** The endpoint to use: the model's, or the network's public entrypoint. */
        public String effectiveEndpoint() {
            if (endpoint != null) return endpoint;
            return switch (network) {
                case FINNEY -> "wss://entrypoint-finney.opentensor.ai:443";
                case TEST -> "wss://test.finney.opentensor.ai:443";
                case LOCAL -> "ws://127.0.0.1:9944";
            };
        }

        /** The Bittensor network the services join. */
        public enum Network implements ModelEnum {
            FINNEY, TEST, LOCAL;

            @Override
            public String toString() {
                return id();
            }
        }
    }

    /** {@code - { name: gpu-1, address: 10.0.0.5, roles: [executor], ssh: { user: ubuntu, port: 22 }, gpus: [{ model: H100, count: 8 }] }} */
    public record Host(String name, String address, String publicAddress, List<Role> roles, Ssh ssh, List<Gpu> gpus,
                       String miner, Wallet wallet, Cloud cloud) {
        public boolean has(Role role) {
            return roles.contains(role);
        }

        /** The address advertised to the chain and to validators. */
        public String advertisedAddress() {
            return publicAddress != null ? publicAddress : address;
        }

        public int gpuCount() {
            return gpus.stream().mapToInt(Gpu::count).sum();
        }
    }

    /** A role a host can carry. */
    public enum Role implements ModelEnum {
        VALIDATOR, MINER, EXECUTOR, MONITORING
    }

    /**
     * A service's {@code RUST_LOG} level. Like every model enum added with it, {@code toString()} is the model's
     * spelling, so a value that reaches a template or a message unconverted still prints as the model wrote it.
     */
    public enum LogLevel implements ModelEnum {
        TRACE, DEBUG, INFO, WARN, ERROR;

        @Override
        public String toString() {
            return id();
        }
    }

    /** {@code cloud: { instance_id: i-0123456789abcdef0, network_interface_id: eni-0123456789abcdef0 }} */
    public record Cloud(String instanceId, String networkInterfaceId) {}

    /** {@code ssh: { user: ubuntu, port: 22, key: ~/.ssh/fleet_ed25519 }} */
    public record Ssh(String user, int port, String key) {}

    /** {@code { model: H100, count: 8, driver_branch: "580", mig_devices: 0 }} */
    public record Gpu(String model, int count, String driverBranch, int migDevices) {}

    public record Services(ValidatorService validator, MinerService miner, ExecutorService executor) {}

    /** {@code services.validator: { api_port: 8080, metrics_port: 9090, verification: {...}, emission: {...} }} */
    public record ValidatorService(boolean enabled, int apiPort, int metricsPort, LogLevel logLevel, Verification verification,
                                   SshSessions sshSessions, Emission emission, SecretRef apiKey, String memoryMax) {}

    public record Verification(long intervalSecs, long challengeTimeoutSecs, long minIntervalSecs, int maxConcurrent,
                               int maxMinersPerRound, double minScore, BinaryValidation binaryValidation) {}

    public record BinaryValidation(boolean enabled, long timeoutSecs, double scoreWeight) {}

    public record SshSessions(int maxConcurrent, int rateLimit, long defaultDurationSecs, long maxDurationSecs) {}

    /** {@code emission: { burn_percentage: 0, gpu_allocations: { H100: 40, H200: 60 } }} */
    public record Emission(double burnPercentage, int burnUid, Map<String, Double> gpuAllocations,
                           long weightSetIntervalBlocks) {}

    /** {@code services.miner: { grpc_port: 8092, jwt_secret: { env: MINER_JWT_SECRET } }} */
    public record MinerService(boolean enabled, int grpcPort, int metricsPort, LogLevel logLevel, int maxSessions,
                               RateLimit rateLimit, AuthMethod authMethod, List<String> allowedValidators,
                               long healthCheckIntervalSecs, long healthCheckTimeoutSecs, SecretRef jwtSecret,
                               String memoryMax) {

        /** How validators authenticate to the miner. */
        public enum AuthMethod implements ModelEnum {
            BITTENSOR_SIGNATURE, JWT, MUTUAL_TLS;

            @Override
            public String toString() {
                return id();
            }
        }
    }

    public record RateLimit(int requestsPerSecond, int burstCapacity) {}

    /** {@code services.executor: { grpc_port: 50051, user: executor, docker: { max_containers: 10 } }} */
    public record ExecutorService(boolean enabled, int grpcPort, int metricsPort, LogLevel logLevel, String user,
                                  Docker docker, String memoryMax) {}

    public record Docker(int maxContainers, int memoryGib, double cpuCores, long containerTimeoutSecs,
                         String defaultImage, boolean allowInternet) {}

    public record Wallets(Wallet validator, Wallet miner) {}

    /** {@code { name: miner, hotkey: default, hotkey_file: { file: ~/.bittensor/wallets/miner/hotkeys/default } }} */
    public record Wallet(String name, String hotkey, SecretRef hotkeyFile, String hotkeySs58) {}

    /** Where a secret lives; exactly one of the three is set. Never the secret itself. */
    public record SecretRef(String env, String file, String vault) {
        @Override
        public String toString() {
            if (env != null) return "env:" + env;
            if (file != null) return "file:" + file;
            return "vault:" + vault;
        }
    }

    public record Artifacts(Artifact validator, Artifact miner, Artifact executor, Artifact validatorBinary,
                            Artifact executorBinary, PrebuiltArtifact gpuExporter, String buildHost) {}

    /** {@code { url: https://..., sha256: ... }}, {@code { file: ./bin/miner }} or {@code { build: { git: ..., ref: v0.3.0 } }} */
    public record Artifact(String file, String url, String sha256, Build build) {}

    public record Build(String git, String ref, List<String> features) {}

    /** An artifact that is never built from source: {@code { file: ./bin/nvidia_gpu_exporter }} or {@code { url: ..., sha256: ... }}. */
    public record PrebuiltArtifact(String file, String url, String sha256) {
        /** The same artifact where any artifact is expected. */
        public Artifact asArtifact() {
            return new Artifact(file, url, sha256, null);
        }
    }

    /** {@code firewall: { ssh_sources: [203.0.113.0/24], rules: [...] }} */
    public record Firewall(boolean enabled, List<String> sshSources, List<String> apiSources, List<String> validatorSources,
                           List<String> metricsSources, List<String> egressDestinations, List<Rule> rules) {}

    /** {@code { name: grafana-office, role: monitoring, port: 3000, sources: [198.51.100.0/24] }} */
    public record Rule(String name, Role role, int port, Integer toPort, Protocol protocol, List<String> sources,
                       String description) {
        public int lastPort() {
            return toPort != null ? toPort : port;
        }

        /** The protocol a further firewall rule opens. */
        public enum Protocol implements ModelEnum {
            TCP, UDP;

            @Override
            public String toString() {
                return id();
            }
        }
    }

    public record Monitoring(boolean enabled, int prometheusPort, int alertmanagerPort, int grafanaPort, int nodeExporterPort,
                             int gpuExporterPort, long scrapeIntervalSecs, int retentionDays, boolean grafana,
                             SecretRef grafanaAdminPassword) {}

    /** {@code terraform: { provider: aws, region: eu-central-1, aws: { vpc_id: vpc-0abc... } }} */
    public record Terraform(Provider provider, String region, String requiredVersion, String providerVersion, Backend backend,
                            Aws aws, Gcp gcp, Scaleway scaleway) {

        /** The cloud whose firewalls Terraform manages; NONE for bare metal. */
        public enum Provider implements ModelEnum {
            NONE, AWS, GCP, HETZNER, SCALEWAY, DIGITALOCEAN;

            @Override
            public String toString() {
                return id();
            }
        }
    }

    /** {@code terraform.aws: { vpc_cidr: 10.42.0.0/16, subnet_cidr: 10.42.1.0/24, tags: { team: infra } }} */
    public record Aws(String vpcId, String vpcCidr, String subnetId, String subnetCidr, String availabilityZone,
                      Map<String, String> tags) {}

    /** {@code terraform.gcp: { project: my-project, network: default }} */
    public record Gcp(String project, String network) {}

    /** {@code terraform.scaleway: { zone: fr-par-2 }} */
    public record Scaleway(String zone) {}

    /** {@code backend: { type: s3, bucket: basilica-terraform-state, key: production/terraform.tfstate, region: eu-central-1 }} */
    public record Backend(Type type, String bucket, String key, String prefix, String region) {

        /** Where Terraform keeps state. */
        public enum Type implements ModelEnum {
            LOCAL, S3, GCS;

            @Override
            public String toString() {
                return id();
            }
        }
    }

    /** {@code packages: { apt_mirror: { url: http://mirror.internal/debian }, docker_source: debian }} */
    public record Packages(AptMirror aptMirror, String aptProxy, String artifactMirror, DockerSource dockerSource,
                           boolean installDocker, DockerLogDriver dockerLogDriver, DockerStorageDriver dockerStorageDriver,
                           boolean installNvidiaDriver, boolean installNvidiaToolkit, String rustToolchain) {
        /** True when the fleet must fetch nothing from the internet. */
        public boolean airGapped() {
            return aptMirror != null || artifactMirror != null;
        }

        /** Docker packages: the distribution's docker.io, or Docker's docker-ce repository. */
        public enum DockerSource implements ModelEnum {
            DEBIAN, DOCKER;

            @Override
            public String toString() {
                return id();
            }
        }

        /** Where Docker sends the containers' output ({@code log-driver} in daemon.json). */
        public enum DockerLogDriver implements ModelEnum {
            JOURNALD, LOCAL, JSON_FILE {
                @Override
                public String id() {
                    return "json-file";
                }
            };

            @Override
            public String toString() {
                return id();
            }
        }

        /** Docker's storage driver ({@code storage-driver} in daemon.json); vfs where overlays cannot nest. */
        public enum DockerStorageDriver implements ModelEnum {
            OVERLAY2, BTRFS, ZFS, VFS;

            @Override
            public String toString() {
                return id();
            }
        }
    }

    /** {@code apt_mirror: { url: http://10.0.0.1/debian, suites: [bookworm], components: [main], trusted: true }} */
    public record AptMirror(String url, List<String> suites, List<String> components, boolean trusted, String signedBy) {}

    /** {@code tls: { enabled: true, mutual: true }} */
    public record Tls(boolean enabled, boolean mutual, String caCert, String caKey, String pkiDir, int certDays) {}

    /** {@code logging: { journal_max_use: 2G, remote_collector: https://logs.internal:19532 }} */
    public record Logging(String journalMaxUse, int journalRetentionDays, String remoteCollector) {}

    /** {@code rolling_update: { batch_percent: 10, health_timeout_secs: 60, settle_secs: 30 }} */
    public record RollingUpdate(int batchPercent, int healthTimeoutSecs, int settleSecs) {}

    /** {@code ansible: { forks: 50, strategy: free }} */
    public record Ansible(int forks, Strategy strategy) {

        /** Ansible's play strategy plugin. */
        public enum Strategy implements ModelEnum {
            LINEAR, FREE;

            @Override
            public String toString() {
                return id();
            }
        }
    }

    /**
     * {@code pull: { repository: https://git.internal/fleet.git, ref: main, interval_minutes: 30 }}: each host converges
     * itself with ansible-pull from a published revision of the generated tree, on a systemd timer (absent: push only).
     */
    public record Pull(String repository, String ref, int intervalMinutes, int randomDelayMinutes, List<Phase> playbooks, int keepRuns) {

        /** The generated playbook the pull run applies. */
        public enum Phase implements ModelEnum {
            SITE, SERVERS, CONFIGURE, DEPLOY, START;

            @Override
            public String toString() {
                return id();
            }
        }
    }

    /** The wallet a validator or miner host uses: its own, else the environment's for that role. */
    public Wallet walletOf(Host host, Role role) {
        if (host.wallet() != null) return host.wallet();
        return role == Role.VALIDATOR ? wallets.validator() : role == Role.MINER ? wallets.miner() : null;
    }

    public List<Host> hostsWith(Role role) {
        return hosts.stream().filter(h -> h.has(role)).toList();
    }
}
