package dev.basilica.plan;

/**
 * Where things live on a host. One layout for every tool and every phase (the bash scripts had three,
 * each checked by a validator written for another).
 */
public final class HostLayout {

    public static final String BIN_DIR = "/opt/basilica/bin";
    public static final String CONFIG_DIR = "/etc/basilica";
    public static final String STATE_DIR = "/var/lib/basilica";
    /** Runs the validator and the miner; its home holds the Bittensor wallets. */
    public static final String SERVICE_USER = "basilica";
    public static final String SERVICE_HOME = STATE_DIR;

    private HostLayout() {}

    public static String binary(ServiceKind s) {
        return BIN_DIR + "/" + s.id();
    }

    public static String config(ServiceKind s) {
        return CONFIG_DIR + "/" + s.id() + ".toml";
    }

    /**
     * The service's secrets file, {@code /etc/basilica/SERVICE.env}: root-only {@code BASILCA_} overrides that carry
     * secrets to the service, read by its unit's {@code EnvironmentFile=} (not the model, {@code environments/NAME.yaml}).
     */
    public static String serviceEnvFile(ServiceKind s) {
        return CONFIG_DIR + "/" + s.id() + ".env";
    }

    /**
     * The variable of {@link #serviceEnvFile} that carries each secret a service is handed, by the plan's name of
     * the secret ({@link ServicePlan#secrets()}'s keys). The role {@code basilica_service} writes the same names
     * ({@code basilica_service_secrets} in its defaults; a test holds them equal); the live checks compare the
     * names found on a host with these, never the values.
     */
    public static final java.util.Map<String, String> SECRET_VARIABLES = java.util.Map.of(
            "services.validator.api_key", "BASILCA_API__API_KEY",
            "services.miner.jwt_secret", "BASILCA_SECURITY__JWT_SECRET");

    /** The on-host record of the applied configuration, written by {@code configure.yml}, readable by every user (0644). */
    public static final String APPLIED_RECORD = STATE_DIR + "/applied.json";

    /** Pull mode's directory on a host: the checkout of the published tree and the results of the runs. */
    public static final String PULL_DIR = STATE_DIR + "/pull";
    /** Where ansible-pull checks the published tree out. */
    public static final String PULL_CHECKOUT = PULL_DIR + "/checkout";
    /** The result of the latest pull run (the JSON callback's output plus when, which revision, exit status). */
    public static final String PULL_LAST_RUN = PULL_DIR + "/last-run.json";
    /** The wrapper the pull unit runs: ansible-pull, then the run's result written beside the older ones. */
    public static final String PULL_COMMAND = BIN_DIR + "/basilica-pull";
    /** Root-only file naming the host as the inventory does (BASILICA_PULL_HOST), written by pull-bootstrap.yml. */
    public static final String PULL_ENV_FILE = CONFIG_DIR + "/pull.env";

    /**
     * Grafana's admin password on a monitoring host with Grafana, root-only (root:root 0600), read by the drop-in's
     * {@code EnvironmentFile=} (the roles grafana and validate name it in their defaults; a test holds them equal).
     */
    public static final String GRAFANA_ADMIN_ENV_FILE = "/etc/default/grafana-server.d-basilica-admin";

    /** Writable state of one service (systemd's StateDirectory). */
    public static String dataDir(ServiceKind s) {
        return STATE_DIR + "/" + s.id();
    }

    /** TLS material of the services that serve TLS (tls.enabled): ca.crt, SERVICE.crt, SERVICE.key (0600). */
    public static String tlsFile(String name) {
        return CONFIG_DIR + "/tls/" + name;
    }

    public static String attestationBinary(String name) {
        return BIN_DIR + "/" + name;
    }

    public static String executorHome(String user) {
        return "/home/" + user;
    }

    public static String walletsDir(String home) {
        return home + "/.bittensor/wallets";
    }
}
