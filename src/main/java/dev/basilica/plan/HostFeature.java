package dev.basilica.plan;

/**
 * What a host gets installed besides its services; each is one inventory group the playbooks target
 * (every group is written, empty or not). Decided once by {@link HostFeatures}, so the inventory, the
 * firewall, monitoring and the live checks agree on where each thing runs.
 */
public enum HostFeature {
    /** The monitoring role's host, when monitoring is enabled. */
    MONITORING("monitoring"),
    DOCKER("docker_hosts"),
    NVIDIA_DRIVER("nvidia_driver_hosts"),
    NVIDIA_TOOLKIT("nvidia_toolkit_hosts"),
    /** Builds the source artifacts (at most one host: {@link Fleet#buildHost()}). */
    RUST_BUILD("rust_build_hosts"),
    FIREWALL("firewall_hosts"),
    LOG_FORWARDING("log_forwarding_hosts"),
    NODE_EXPORTER("node_exporter_hosts"),
    /** GPU executors, when monitoring is enabled and the model names a {@code gpu_exporter} artifact. */
    GPU_EXPORTER("gpu_exporter_hosts"),
    GRAFANA("grafana_hosts"),
    /** Miners and executors, when TLS is enabled: they get certificates for {@link Fleet.HostPlan#tlsNames()}. */
    TLS("tls_hosts"),
    /** Validators that install the attestation binaries. */
    ATTESTATION("attestation_hosts");

    private final String group;

    HostFeature(String group) {
        this.group = group;
    }

    /** The inventory group. */
    public String group() {
        return group;
    }
}
