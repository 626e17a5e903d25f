package dev.basilica.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Which generated files the playbooks copy onto a host, and where: the one mapping between a path of the
 * generated tree ({@code out/<env>/...}, as MANIFEST.json names it) and the file on the host. The emitters
 * name their outputs with it, the inventory hands it to the hosts ({@code basilica_deployed_files}), the live
 * checks compare the hosts' copies with the manifest through it, and the record of what was applied lists it.
 * The files are copied byte for byte, so a host's copy has the manifest's sha256 unless it drifted.
 */
public final class DeployedFiles {

    /** Where the monitoring roles install their files (the roles' defaults say the same; a test holds them equal). */
    public static final String PROMETHEUS_DIR = "/etc/prometheus";
    public static final String ALERTMANAGER_CONFIG = PROMETHEUS_DIR + "/alertmanager.yml";
    public static final String GRAFANA_PROVISIONING_DIR = "/etc/grafana/provisioning";
    public static final String GRAFANA_DASHBOARDS_DIR = "/var/lib/grafana/dashboards/basilica";
    public static final String SYSTEMD_DIR = "/etc/systemd/system";

    public static final String PROMETHEUS_CONFIG_SOURCE = "monitoring/prometheus/prometheus.yml";
    public static final String PROMETHEUS_RULES_SOURCE = "monitoring/prometheus/rules/basilica.yml";
    public static final String ALERTMANAGER_SOURCE = "monitoring/alertmanager/alertmanager.yml";
    public static final String GRAFANA_DATASOURCES_SOURCE = "monitoring/grafana/provisioning/datasources/basilica.yml";
    public static final String GRAFANA_DASHBOARD_PROVIDERS_SOURCE = "monitoring/grafana/provisioning/dashboards/basilica.yml";
    public static final String GRAFANA_DASHBOARD_SOURCE = "monitoring/grafana/dashboards/basilica.json";

    /**
     * One copied file.
     *
     * @param source its path in the generated tree, relative to {@code out/<env>/}
     * @param target its absolute path on the host
     * @param service the service it belongs to, or null for monitoring files
     */
    public record File(String source, String target, ServiceKind service) {}

    private DeployedFiles() {}

    /** The service's configuration in the generated tree. */
    public static String configSource(String host, ServiceKind s) {
        return "configs/" + host + "/" + s.id() + ".toml";
    }

    /**
     * The service's unit in the generated tree: one file per service, shared by every host that runs it (the
     * unit comes from the fleet-wide {@link Fleet#service} plan, so the hosts' copies would be byte-identical;
     * a reviewer reads it once, and adding a host adds no unit).
     */
    public static String unitSource(ServiceKind s) {
        return "systemd/" + s.unitName();
    }

    /** The inventory's variables of one host, which only that host's runs read. */
    public static String hostVarsSource(String host) {
        return "ansible/inventory/host_vars/" + host + ".yml";
    }

    /** The files copied onto {@code h}, in a fixed order: its services' configs and units, then monitoring. */
    public static List<File> of(Fleet.HostPlan h) {
        List<File> files = new ArrayList<>();
        for (ServiceKind s : h.services()) {
            files.add(new File(configSource(h.name(), s), HostLayout.config(s), s));
            files.add(new File(unitSource(s), SYSTEMD_DIR + "/" + s.unitName(), s));
        }
        if (h.has(HostFeature.MONITORING)) {
            files.add(new File(PROMETHEUS_CONFIG_SOURCE, PROMETHEUS_DIR + "/prometheus.yml", null));
            files.add(new File(PROMETHEUS_RULES_SOURCE, PROMETHEUS_DIR + "/rules/basilica.yml", null));
            files.add(new File(ALERTMANAGER_SOURCE, ALERTMANAGER_CONFIG, null));
        }
        if (h.has(HostFeature.GRAFANA)) {
            files.add(new File(GRAFANA_DATASOURCES_SOURCE, GRAFANA_PROVISIONING_DIR + "/datasources/basilica.yml", null));
            files.add(new File(GRAFANA_DASHBOARD_PROVIDERS_SOURCE, GRAFANA_PROVISIONING_DIR + "/dashboards/basilica.yml", null));
            files.add(new File(GRAFANA_DASHBOARD_SOURCE, GRAFANA_DASHBOARDS_DIR + "/basilica.json", null));
        }
        return List.copyOf(files);
    }
}
