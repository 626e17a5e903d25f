package dev.basilica.model;

import static dev.basilica.model.SchemaNode.bool;
import static dev.basilica.model.SchemaNode.enumOf;
import static dev.basilica.model.SchemaNode.integer;
import static dev.basilica.model.SchemaNode.listOf;
import static dev.basilica.model.SchemaNode.mapOf;
import static dev.basilica.model.SchemaNode.number;
import static dev.basilica.model.SchemaNode.object;
import static dev.basilica.model.SchemaNode.port;
import static dev.basilica.model.SchemaNode.string;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment model's schema, the single source of truth for what a model file may say and what
 * each field defaults to per tier.
 *
 * <p>The model is defined here, as data, rather than derived from annotations on the records: a field carries a
 * grammar, a default per tier, a description and an example, and objects carry exactly-one-of and dependent
 * fields, which the binder, the JSON Schema, the reference and the Ansible argument specs all read. The
 * {@link Environment} records are the typed view of the bound model and follow this schema field for field
 * (snake_case here, camelCase there); {@code ModelDefinitionTest} proves it in both directions, and the loader
 * refuses a key a record lacks. Closed value sets come from {@link ModelEnum} enums, so their words are written
 * once.
 */
public final class EnvironmentSchema {

    public static final String API_VERSION = "basilica.dev/v1alpha1";
    public static final String KIND = "Environment";
    public static final List<String> ROLES = ModelEnum.ids(Environment.Role.class);

    /** A well-known development key ("Bob"), public: the examples' SS58 address. */
    private static final String EXAMPLE_SS58 = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

    private static final SchemaNode ROOT = build();

    private EnvironmentSchema() {}

    public static SchemaNode root() {
        return ROOT;
    }

    /** An ordered map for examples, so the reference prints keys in the order written here. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    /** A wallet; {@code example} names it in the reference. */
    private static SchemaNode wallet(String example) {
        return object("wallet")
                .required("name", string(Format.WALLET_NAME), "Wallet name (directory under ~/.bittensor/wallets).").example(example)
                .field("hotkey", string(Format.WALLET_NAME), "default", "Hotkey name (file under hotkeys/).")
                .optional("hotkey_file", secretReference("hotkey file", example.toUpperCase(java.util.Locale.ROOT) + "_HOTKEY_FILE",
                                "~/.bittensor/wallets/" + example + "/hotkeys/default", "vault_" + example + "_hotkey"),
                        "The hotkey file on the operator's machine; copied to the host with mode 0600.")
                .example(Map.of("file", "~/.bittensor/wallets/" + example + "/hotkeys/default"))
                .optional("hotkey_ss58", string(Format.SS58), "The hotkey's public SS58 address (miner: the executors' managing_miner_hotkey).")
                .example(EXAMPLE_SS58);
    }

    /** A reference to a secret; the three names are the reference documentation's examples. */
    static SchemaNode secretReference(String what, String envExample, String fileExample, String vaultExample) {
        return object("secret reference: " + what)
                .optional("env", string(Format.ENV_VAR), "Name of an environment variable on the operator's machine that holds the secret.")
                .example(envExample)
                .optional("file", string(Format.PATH), "Path of a file on the operator's machine that holds the secret.")
                .example(fileExample)
                .optional("vault", string(Format.IDENTIFIER), "Name of an Ansible Vault variable that holds the secret.")
                .example(vaultExample)
                .exactlyOneOf("env", "file", "vault")
                .asSecretReference();
    }

    private static SchemaNode artifact(String service) {
        SchemaNode build = object("source build")
                .required("git", string(Format.GIT_URL), "Repository to build from.").example("https://github.com/tplr-ai/basilica.git")
                .required("ref", string(Format.GIT_REF), "Branch, tag or commit to build.").example("main")
                .optional("features", listOf(string(Format.CARGO_FEATURE)), "Cargo features to enable.").example(List.of());
        return object("artifact of " + service)
                .optional("file", string(Format.PATH), "A binary on the operator's machine.").example("./bin/" + service)
                .optional("url", string(Format.HTTP_URL), "Where to download the binary from.")
                .example("https://downloads.example.com/basilica/" + service)
                .optional("sha256", string(Format.SHA256), "Digest of the downloaded binary, checked before install.")
                .example("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                .optional("build", build, "Build from source for the model's chain network (the binaries bake the network in at compile time).")
                .exactlyOneOf("file", "url", "build")
                .dependentRequired("url", "sha256", "a downloaded binary is pinned by its digest, so a changed file is never installed")
                .dependentRequired("sha256", "url", "only a downloaded binary is checked against a digest");
    }

    private static SchemaNode build() {
        SchemaNode chain = object("chain")
                .field("network", enumOf(Environment.Chain.Network.class), "test", "test", "finney",
                        "Bittensor network the services join; binaries built from source are built for it.")
                .required("netuid", integer(1, 65535), "Subnet id (Basilica: 39 on finney, 387 on test).").example(39L)
                .optional("endpoint", string(Format.WS_URL),
                        "Chain WebSocket endpoint; defaults to the network's public entrypoint.")
                .example("wss://entrypoint-finney.opentensor.ai:443");

        SchemaNode ssh = object("ssh")
                .required("user", string(Format.USER), "User Ansible and the tool log in as (needs sudo unless root).").example("ubuntu")
                .field("port", port(), 22L, "The port the host's sshd already listens on: an input, not a setting. basilica connects "
                        + "there and the firewall opens it, but nothing moves sshd; to move it, change sshd on the host first, then this.")
                .optional("key", string(Format.PATH), "Private key on the operator's machine; default: the operator's SSH agent and config.")
                .example("~/.ssh/basilica_ed25519");

        SchemaNode gpu = object("gpu")
                .required("model", string(Format.GPU_MODEL), "GPU model as validators score it (a key of services.validator.emission.gpu_allocations).")
                .example("H100")
                .field("count", integer(1, 16), 1L, "Number of GPUs of this model.").example(8L)
                .field("driver_branch", string(Format.DRIVER_BRANCH), "580", "NVIDIA driver branch (or full version) to install and hold.")
                .field("mig_devices", integer(0, 7), 0L, "MIG devices each of these GPUs is partitioned into (0: MIG disabled, whole "
                        + "GPUs). A GPU in MIG mode is a different offer to renters; validate and report compare it with nvidia-smi. "
                        + "basilica does not partition GPUs: set MIG up on the host and say here what you set up.").example(0L);

        SchemaNode cloud = object("cloud machine")
                .optional("instance_id", string(Format.CLOUD_ID),
                        "The host's existing machine at the cloud provider, for attaching the cloud firewall: AWS instance id "
                        + "(i-...; its primary network interface gets the role security groups), Hetzner Cloud server id or "
                        + "DigitalOcean droplet id (numeric; the role firewalls are applied to it). GCP and Scaleway attach "
                        + "by network tag and server setting instead (see the generated outputs).").example("i-0123456789abcdef0")
                .optional("network_interface_id", string(Format.CLOUD_ID),
                        "AWS: the network interface (eni-...) that gets the host's role security groups; takes precedence "
                        + "over instance_id.").example("eni-0123456789abcdef0");

        SchemaNode host = object("host")
                .required("name", string(Format.NAME), "Unique host name: inventory name, output directory, executor identity.")
                .example("gpu-1")
                .required("address", string(Format.HOST), "Where the operator, Ansible and the other hosts reach this host.")
                .example("10.20.0.21")
                .optional("public_address", string(Format.HOST), "Address advertised to the chain and to validators; default: address.")
                .example("198.51.100.21")
                .required("roles", listOf(enumOf(Environment.Role.class)).minItems(1).unique(), "What runs here; one host may carry several roles.")
                .example(List.of("executor"))
                .required("ssh", ssh, "How to log in.")
                .field("gpus", listOf(gpu), List.of(), "GPUs of an executor host.")
                .example(List.of(ordered("model", "H100", "count", 8L)))
                .optional("miner", string(Format.NAME), "Executors: the miner host that manages this executor; needed when there is more than one miner.")
                .example("miner-1")
                .optional("wallet", wallet("miner_2"), "Validator or miner hosts: this host's own wallet, instead of wallets.validator / wallets.miner.")
                .optional("cloud", cloud, "Where the host lives at the cloud provider of terraform.provider, so Terraform can "
                        + "attach the role firewalls to it; leave out to attach them yourself (outputs.tf lists what each host needs).").example(ordered("network_interface_id", "eni-0123456789abcdef0"));

        SchemaNode binaryValidation = object("binary validation")
                .field("enabled", bool(), true, "Run the GPU attestation binaries during verification.")
                .field("timeout_secs", integer(1, 3600), 30L, "Time limit of one attestation run.")
                .field("score_weight", number(0, 1), 0.8, "Weight of the attestation in the score.");

        SchemaNode verification = object("verification")
                .field("interval_secs", integer(10, 86400), 300L, 450L, 600L, "Seconds between verification rounds.")
                .field("challenge_timeout_secs", integer(1, 3600), 60L, 90L, 120L, "Time limit of one challenge.")
                .field("min_interval_secs", integer(10, 604800), 600L, 1200L, 1800L, "Minimum seconds between two verifications of one executor.")
                .field("max_concurrent", integer(1, 1000), 10L, 25L, 50L, "Verifications in parallel.")
                .field("max_miners_per_round", integer(1, 1000), 5L, 10L, 20L, "Miners verified per round.")
                .field("min_score", number(0, 1), 0.01, 0.05, 0.1, "Minimum score threshold.")
                .field("binary_validation", binaryValidation, Map.of(), "GPU attestation with the veritas binaries.");

        SchemaNode emission = object("emission")
                .field("burn_percentage", number(0, 100), 0.0, "Share of emission burnt.")
                .field("burn_uid", integer(0, 65535), 0L, "UID that receives burnt emission.")
                .field("gpu_allocations", mapOf(string(Format.GPU_MODEL), number(0, 100)), Map.of("H100", 40.0, "H200", 60.0),
                        "Share of emission per GPU model, in percent; must sum to 100.")
                .field("weight_set_interval_blocks", integer(1, 100000), 360L, "Blocks between weight settings.");

        SchemaNode sshSessions = object("validator SSH sessions")
                .field("max_concurrent", integer(1, 1000), 5L, "SSH sessions to executors in parallel.")
                .field("rate_limit", integer(1, 10000), 20L, "Sessions per executor and hour.")
                .field("default_duration_secs", integer(10, 86400), 300L, "Default session length.")
                .field("max_duration_secs", integer(10, 86400), 3600L, "Longest session.");

        SchemaNode validator = object("validator service")
                .field("enabled", bool(), true, "Whether this environment runs a validator (then a host needs the validator role).")
                .field("api_port", port(), 8080L, "HTTP API port ([api].bind_address; serves /health).")
                .field("metrics_port", port(), 9090L, "Prometheus metrics port ([metrics.prometheus]).")
                .field("log_level", enumOf(Environment.LogLevel.class), "debug", "debug", "info", "RUST_LOG level.")
                .field("verification", verification, Map.of(), "Verification settings.")
                .field("ssh_sessions", sshSessions, Map.of(), "SSH sessions to executors.")
                .field("emission", emission, Map.of(), "Emission allocation.")
                .optional("api_key", secretReference("validator API key", "VALIDATOR_API_KEY", "~/.config/basilica/validator_api_key",
                        "vault_validator_api_key"), "Key clients must present to the validator API.")
                .field("memory_max", string(Format.SYSTEMD_SIZE), "2G", "systemd MemoryMax= of the service.");

        SchemaNode rateLimit = object("rate limit")
                .field("requests_per_second", integer(1, 100000), 50L, 15L, 10L, "Requests per second per validator.")
                .field("burst_capacity", integer(1, 100000), 100L, 30L, 20L, "Burst above the rate.");

        SchemaNode miner = object("miner service")
                .field("enabled", bool(), true, "Whether this environment runs a miner.")
                .field("grpc_port", port(), 8092L, "gRPC port validators call; also advertised on chain as the axon port.")
                .field("metrics_port", port(), 9091L, "Prometheus metrics port.")
                .field("log_level", enumOf(Environment.LogLevel.class), "debug", "debug", "info", "RUST_LOG level.")
                .field("max_sessions", integer(1, 100000), 20L, 50L, 100L, "Concurrent validator sessions.")
                .field("rate_limit", rateLimit, Map.of(), "Rate limit on validator requests.")
                .field("auth_method", enumOf(Environment.MinerService.AuthMethod.class), "bittensor_signature", "How validators authenticate.")
                .field("allowed_validators", listOf(string(Format.SS58)), List.of(), "Validator hotkeys allowed to call; empty allows all.")
                .example(List.of(EXAMPLE_SS58))
                .field("health_check_interval_secs", integer(1, 86400), 60L, "Seconds between executor health checks.")
                .field("health_check_timeout_secs", integer(1, 3600), 10L, "Time limit of one executor health check.")
                .optional("jwt_secret", secretReference("miner JWT secret", "MINER_JWT_SECRET", "~/.config/basilica/miner_jwt_secret",
                        "vault_miner_jwt_secret"), "Secret for validator tokens; required when the miner is enabled.")
                .field("memory_max", string(Format.SYSTEMD_SIZE), "2G", "systemd MemoryMax= of the service.");

        SchemaNode docker = object("docker limits")
                .field("max_containers", integer(1, 1000), 5L, 8L, 10L, "Containers in parallel.")
                .field("memory_gib", integer(1, 4096), 4L, 6L, 8L, "Memory limit per container, GiB.")
                .field("cpu_cores", number(0.1, 1024), 2.0, 3.0, 4.0, "CPU limit per container.")
                .field("container_timeout_secs", integer(60, 604800), 3600L, "Longest container run.")
                .field("default_image", string(Format.DOCKER_IMAGE), "ubuntu:22.04", "Image used when a rental names none.")
                .field("allow_internet", bool(), false, "Whether rental containers reach the internet.");

        SchemaNode executor = object("executor service")
                .field("enabled", bool(), true, "Whether this environment runs executors.")
                .field("grpc_port", port(), 50051L, "gRPC port the miner and validators call.")
                .field("metrics_port", port(), 9092L, "Prometheus metrics port (--metrics-addr).")
                .field("log_level", enumOf(Environment.LogLevel.class), "debug", "debug", "info", "RUST_LOG level.")
                .field("user", string(Format.NAME), "executor",
                        "Run user; validators log in as this user over SSH (the miner's default_executor_username).")
                .field("docker", docker, Map.of(), "Limits of rental containers.")
                .field("memory_max", string(Format.SYSTEMD_SIZE), "4G", "systemd MemoryMax= of the service.");

        SchemaNode services = object("services")
                .field("validator", validator, Map.of(), "The validator.")
                .field("miner", miner, Map.of(), "The miner.")
                .field("executor", executor, Map.of(), "The executors.");

        SchemaNode wallets = object("wallets")
                .optional("validator", wallet("validator"), "The validator's wallet.")
                .optional("miner", wallet("miner"), "The miner's wallet.");

        SchemaNode artifacts = object("artifacts")
                .optional("validator", artifact("validator"), "The validator binary.")
                .optional("miner", artifact("miner"), "The miner binary.")
                .optional("executor", artifact("executor"), "The executor binary.")
                .optional("validator_binary", artifact("validator-binary"), "The veritas validator-binary the validator runs.")
                .optional("executor_binary", artifact("executor-binary"), "The veritas executor-binary uploaded to executors.")
                .optional("gpu_exporter", gpuExporterArtifact(), "The GPU exporter on executors (nvidia_gpu_exporter); without it executors get no GPU exporter.")
                .example(ordered("file", "./bin/nvidia_gpu_exporter"))
                .optional("build_host", string(Format.NAME), "Host that builds the binaries given as source builds (gets the Rust toolchain); default: the first host by name.")
                .example("miner-1");

        SchemaNode rule = object("firewall rule")
                .required("name", string(Format.NAME), "Stable name of the rule (resource names derive from it).")
                .example("grafana-office")
                .required("role", enumOf(Environment.Role.class), "Role whose hosts get the rule.").example("monitoring")
                .required("port", port(), "Port (or first port of a range).").example(3000L)
                .optional("to_port", port(), "Last port of a range.").example(3001L)
                .field("protocol", enumOf(Environment.Rule.Protocol.class), "tcp", "Protocol.")
                .required("sources", listOf(string(Format.CIDR)).minItems(1), "Who may connect.").example(List.of("198.51.100.0/24"))
                .optional("description", string(Format.TEXT), "Why the rule exists.").example("Grafana for the operators' office");

        SchemaNode firewall = object("firewall")
                .field("enabled", bool(), false, true, true, "Manage host and cloud firewalls.")
                .field("ssh_sources", listOf(string(Format.CIDR)), List.of("0.0.0.0/0", "::/0"), "Who may reach SSH.")
                .field("api_sources", listOf(string(Format.CIDR)), List.of("0.0.0.0/0", "::/0"), "Who may reach the validator API.")
                .field("validator_sources", listOf(string(Format.CIDR)), List.of("0.0.0.0/0", "::/0"),
                        "Who may reach the miner's gRPC port, and the executors' gRPC port and SSH port 22 (validators verify "
                        + "executors over SSH); the subnet's validators connect from anywhere.")
                .field("metrics_sources", listOf(string(Format.CIDR)), List.of(), "Who else may scrape metrics (the monitoring host always may).")
                .example(List.of("10.20.0.0/16"))
                .field("egress_destinations", listOf(string(Format.CIDR)).minItems(1), List.of("0.0.0.0/0", "::/0"),
                        "Where hosts may open connections to, on every protocol and port: the cloud firewalls' explicit "
                        + "outbound rule (hosts need the chain endpoint, package mirrors and the artifact URLs).")
                .field("rules", listOf(rule), List.of(), "Further rules.");

        SchemaNode monitoring = object("monitoring")
                .field("enabled", bool(), false, true, true, "Deploy Prometheus, Alertmanager and Grafana on the monitoring host, exporters everywhere.")
                .field("prometheus_port", port(), 9095L, "Prometheus web port on the monitoring host.")
                .field("alertmanager_port", port(), 9093L, "Alertmanager port.")
                .field("grafana_port", port(), 3000L, "Grafana port.")
                .field("node_exporter_port", port(), 9100L, "node exporter port on every host.")
                .field("gpu_exporter_port", port(), 9835L, "GPU exporter port on executors.")
                .field("scrape_interval_secs", integer(5, 3600), 15L, "Prometheus scrape interval.")
                .field("retention_days", integer(1, 3650), 7L, 15L, 30L, "Prometheus retention.")
                .field("grafana", bool(), true, "Install Grafana (from its apt repository, or the apt mirror) with a datasource and a dashboard.")
                .optional("grafana_admin_password", secretReference("Grafana admin password", "GRAFANA_ADMIN_PASSWORD",
                        "~/.config/basilica/grafana_admin_password", "vault_grafana_admin_password"),
                        "Password of Grafana's admin user; required on staging and production when Grafana is installed "
                        + "(without it, development keeps Grafana's default admin:admin).");

        SchemaNode backend = object("terraform backend")
                .field("type", enumOf(Environment.Backend.Type.class), "local", "Where Terraform keeps state.")
                .optional("bucket", string(Format.BUCKET), "s3/gcs: bucket.").example("basilica-terraform-state")
                .optional("key", string(Format.OBJECT_KEY), "s3: state object key.").example("production/terraform.tfstate")
                .optional("prefix", string(Format.OBJECT_KEY), "gcs: state prefix.").example("production")
                .optional("region", string(Format.REGION), "s3: bucket region.").example("eu-central-1");

        SchemaNode aws = object("terraform aws")
                .optional("vpc_id", string(Format.CLOUD_ID), "Existing VPC (vpc-...) the security groups belong to.").example("vpc-0123456789abcdef0")
                .optional("vpc_cidr", string(Format.CIDR), "Create a VPC with this IPv4 block (with an internet gateway and a "
                        + "public route table) instead of using vpc_id.").example("10.42.0.0/16")
                .optional("subnet_id", string(Format.CLOUD_ID), "Existing subnet (subnet-...) of the hosts; passed through to the outputs.").example("subnet-0123456789abcdef0")
                .optional("subnet_cidr", string(Format.CIDR), "Create a subnet with this IPv4 block in the VPC instead of naming subnet_id.").example("10.42.1.0/24")
                .optional("availability_zone", string(Format.ZONE), "Availability zone of the created subnet (e.g. eu-central-1a); default: AWS picks one.").example("eu-central-1a")
                .field("tags", mapOf(string(Format.TAG_KEY), string(Format.TAG_VALUE)), Map.of(),
                        "Extra tags on every AWS resource (Name, Environment, Role and ManagedBy are set by basilica).")
                .exactlyOneOf("vpc_id", "vpc_cidr");

        SchemaNode gcp = object("terraform gcp")
                .required("project", string(Format.GCP_PROJECT), "GCP project id the firewall rules belong to.").example("basilica-prod-123456")
                .field("network", string(Format.NAME), "default", "VPC network the firewall rules apply to.");

        SchemaNode scaleway = object("terraform scaleway")
                .optional("zone", string(Format.ZONE), "Zone of the security groups (e.g. fr-par-1); default: the region's first zone (REGION-1).").example("fr-par-1");

        SchemaNode terraform = object("terraform")
                .field("provider", enumOf(Environment.Terraform.Provider.class), "none",
                        "Cloud whose firewalls Terraform manages; none for bare metal (the host firewall alone applies).")
                .optional("region", string(Format.REGION), "Cloud region (needed by aws, gcp and scaleway).").example("eu-central-1")
                .field("required_version", string(Format.VERSION_CONSTRAINT), ">= 1.10.0, < 2.0.0",
                        "Terraform versions the generated configuration accepts (its required_version); the S3 backend's "
                        + "lock file needs 1.10 or later.")
                .optional("provider_version", string(Format.VERSION_CONSTRAINT),
                        "Version constraint of the cloud provider plugin; default: the constraint this release of basilica "
                        + "was built and tested against (docs/terraform.md lists them).").example("~> 5.100")
                .field("backend", backend, Map.of(), "State backend.")
                .optional("aws", aws, "AWS: the VPC and subnet (existing, or created here) and tags; needed when provider is aws.").example(ordered("vpc_cidr", "10.42.0.0/16", "subnet_cidr", "10.42.1.0/24"))
                .optional("gcp", gcp, "GCP: project and network; needed when provider is gcp.").example(ordered("project", "basilica-prod-123456"))
                .optional("scaleway", scaleway, "Scaleway: zone of the security groups.").example(ordered("zone", "fr-par-1"));

        return object("environment")
                .required("apiVersion", enumOf(API_VERSION), "Model version.").example(API_VERSION)
                .required("kind", enumOf(KIND), "Always Environment.").example(KIND)
                .required("name", string(Format.NAME), "Environment name; output goes to out/<name>/.").example("production")
                .required("tier", enumOf(Tier.class), "Environment kind; selects defaults.")
                .example("production")
                .required("chain", chain, "The Bittensor chain.")
                .required("hosts", listOf(host).minItems(1), "The machines.")
                .field("services", services, Map.of(), "Service settings.")
                .field("wallets", wallets, Map.of(), "Wallets by name; key files by reference.")
                .field("artifacts", artifacts, Map.of(), "Where each binary comes from.")
                .field("firewall", firewall, Map.of(), "Who may reach what.")
                .field("monitoring", monitoring, Map.of(), "Metrics and alerting.")
                .field("terraform", terraform, Map.of(), "Cloud firewalls and networks.")
                .field("packages", packages(), Map.of(), "Where hosts get packages and artifacts, and which of them Ansible installs.")
                .field("tls", tls(), Map.of(), "TLS between the miner and its validators and executors.")
                .field("logging", logging(), Map.of(), "Journal size, retention and forwarding.")
                .field("rolling_update", rollingUpdate(), Map.of(), "How rolling-update.yml replaces binaries.")
                .field("ansible", ansible(), Map.of(), "How the generated Ansible runs.")
                .optional("pull", pull(),
                        "Pull mode: every host converges itself with ansible-pull from a published revision of the generated "
                        + "tree on a systemd timer, besides (not instead of) push from the controller; absent: push only. "
                        + "docs/pull.md says when to choose it.")
                .example(ordered("repository", "https://git.internal/basilica-fleet.git", "ref", "main"));
    }

    // ---- Provisioning with Ansible: packages, TLS, logging, updates ----

    private static SchemaNode gpuExporterArtifact() {
        return object("artifact of the GPU exporter")
                .optional("file", string(Format.PATH), "A binary on the operator's machine.").example("./bin/nvidia_gpu_exporter")
                .optional("url", string(Format.HTTP_URL), "Where to download the binary from; needs sha256.")
                .example("https://downloads.example.com/nvidia_gpu_exporter")
                .optional("sha256", string(Format.SHA256), "Digest of the downloaded binary, checked before install.")
                .example("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                .exactlyOneOf("file", "url")
                .dependentRequired("url", "sha256", "a downloaded binary is pinned by its digest, so a changed file is never installed")
                .dependentRequired("sha256", "url", "only a download is checked against a digest");
    }

    private static SchemaNode packages() {
        SchemaNode aptMirror = object("apt mirror")
                .required("url", string(Format.HTTP_URL), "Base URL of the mirror (the directory holding dists/ and pool/).")
                .example("http://mirror.internal/debian")
                .field("suites", listOf(string(Format.APT_SUITE)), List.of(),
                        "Suites to use, e.g. [jammy, jammy-updates, jammy-security], or a flat repository's path such as ./; "
                        + "empty: the host's release codename.")
                .field("components", listOf(string(Format.IDENTIFIER)).minItems(1), List.of("main"), "Components to use.")
                .field("trusted", bool(), false, "Trust the mirror without a signature (a local unsigned repository).")
                .optional("signed_by", string(Format.PATH),
                        "Public key of the mirror on the operator's machine; copied to /etc/apt/keyrings.")
                .example("./keys/mirror.asc");
        return object("packages")
                .optional("apt_mirror", aptMirror,
                        "The one place apt fetches from: replaces the distribution's sources and every third-party "
                                + "repository (Docker, NVIDIA, Grafana must then be on the mirror).")
                .example(ordered("url", "http://mirror.internal/debian", "suites", List.of("bookworm", "bookworm-updates")))
                .optional("apt_proxy", string(Format.HTTP_URL), "HTTP proxy apt uses for every repository.").example("http://10.0.0.2:3142")
                .optional("artifact_mirror", string(Format.HTTP_URL),
                        "Where URL artifacts are downloaded from instead (same file name, same sha256); "
                                + "the fleet then fetches nothing from the internet.")
                .example("http://mirror.internal/basilica")
                .field("docker_source", enumOf(Environment.Packages.DockerSource.class), "docker",
                        "Docker packages: the distribution's docker.io, or Docker's docker-ce repository.")
                .field("install_docker", bool(), true,
                        "Install Docker on executors; false leaves Docker to the operator (the executor unit then only wants it).")
                .field("docker_log_driver", enumOf(Environment.Packages.DockerLogDriver.class), "journald",
                        "Where Docker sends the containers' output (log-driver in /etc/docker/daemon.json).")
                .optional("docker_storage_driver", enumOf(Environment.Packages.DockerStorageDriver.class),
                        "Docker's storage driver (storage-driver in /etc/docker/daemon.json); unset: Docker's own choice. "
                                + "vfs where Docker itself runs in a container (an overlay cannot sit on an overlay).")
                .example("vfs")
                .field("install_nvidia_driver", bool(), true, "Install, pin and hold the NVIDIA driver on GPU executors.")
                .field("install_nvidia_toolkit", bool(), true, "Install the NVIDIA container toolkit on GPU executors with Docker.")
                .field("rust_toolchain", string(Format.GIT_REF), "1.87.0", "Rust toolchain for source builds.");
    }

    private static SchemaNode tls() {
        return object("tls")
                .field("enabled", bool(), false, "Serve the miner's and the executors' gRPC over TLS with certificates of a private CA.")
                .field("mutual", bool(), false, "Also require client certificates (mTLS).")
                .optional("ca_cert", string(Format.PATH), "A CA certificate on the operator's machine; default: a CA made on the controller.")
                .example("./pki/ca.crt")
                .optional("ca_key", string(Format.PATH), "The key of ca_cert, to sign the services' certificates (kept on the controller).")
                .example("./pki/ca.key")
                .field("pki_dir", string(Format.PATH), "~/.basilica/pki",
                        "Where the controller keeps the CA and the certificates it makes (one directory per environment).")
                .field("cert_days", integer(1, 3650), 365L, "Validity of the services' certificates.");
    }

    private static SchemaNode logging() {
        return object("logging")
                .field("journal_max_use", string(Format.JOURNAL_SIZE), "1G", "1G", "4G", "journald SystemMaxUse=.")
                .field("journal_retention_days", integer(1, 3650), 7L, 30L, 90L, "journald MaxRetentionSec= in days.")
                .optional("remote_collector", string(Format.HTTP_URL),
                        "A systemd-journal-remote URL; every host forwards its journal there with systemd-journal-upload.")
                .example("http://10.0.0.3:19532");
    }

    private static SchemaNode rollingUpdate() {
        return object("rolling update")
                .field("batch_percent", integer(1, 100), 100L, 25L, 10L, "Share of a role's hosts updated at once.")
                .field("health_timeout_secs", integer(5, 3600), 60L, "How long a restarted service has to listen on its port.")
                .field("settle_secs", integer(0, 3600), 5L, 15L, 30L, "How long it must then stay up before the next batch.");
    }

    private static SchemaNode pull() {
        return object("pull")
                .required("repository", string(Format.GIT_URL),
                        "Git repository holding the generated tree (this project, with out/<env>/ committed), as the hosts reach it.")
                .example("https://git.internal/basilica-fleet.git")
                .field("ref", string(Format.GIT_REF), "main", "Branch, tag or commit the hosts check out. A branch or tag is fetched shallow (depth 1); a commit pins "
                        + "one revision, and ansible-pull then clones the whole history (its git module fetches only branches and tags shallow).")
                .field("interval_minutes", integer(5, 1440), 30L, "Time between two pull runs on a host (the timer's OnUnitActiveSec=).")
                .field("random_delay_minutes", integer(0, 1440), 10L,
                        "Spread of the runs: each waits up to this long at random (RandomizedDelaySec=), so the fleet does not fetch at once.")
                .field("playbooks", listOf(enumOf(Environment.Pull.Phase.class)).minItems(1).unique(), List.of("configure"),
                        "Generated playbooks a pull run applies, in order. configure (configs and units) is what a host can do "
                        + "alone; servers and site also hold steps across hosts (a miner's key to its executors) and deploy "
                        + "needs url artifacts, which docs/pull.md explains.")
                .field("keep_runs", integer(1, 100), 10L, "Results of past runs kept on the host beside last-run.json.");
    }

    private static SchemaNode ansible() {
        return object("ansible")
                .field("forks", integer(1, 1000), 10L, 25L, 50L, "Hosts Ansible works on at once.")
                .field("strategy", enumOf(Environment.Ansible.Strategy.class), "linear", "Play strategy (free lets fast hosts run ahead).");
    }
}
