package dev.basilica.emit.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.plan.Endpoints;
import dev.basilica.emit.GeneratedHeader;
import dev.basilica.emit.YamlWriter;
import dev.basilica.output.OutputKind;
import dev.basilica.plan.Role;
import dev.basilica.output.OutputTree;
import dev.basilica.plan.DeployedFiles;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.Fleet.HostPlan;
import dev.basilica.plan.HostFeature;
import dev.basilica.plan.ServiceKind;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Fleet → {@code monitoring/}: Prometheus's scrape config and alert rules, Alertmanager's routing and
 * Grafana's datasource, dashboard provider and dashboard, for the monitoring host. Targets are the
 * hosts' model addresses on the ports the services really listen on (metrics bind 0.0.0.0 when
 * monitoring is on). Nothing is written when monitoring is off.
 */
public final class MonitoringEmitter {

    public static final OutputKind KIND = OutputKind.MONITORING;
    /** Where the monitoring role installs the rules on the monitoring host. */
    static final String RULES_GLOB = "/etc/prometheus/rules/*.yml";
    static final String DASHBOARD_UID = "basilica-fleet";
    static final String DATASOURCE_UID = "basilica-prometheus";

    private MonitoringEmitter() {}

    public static void emit(Fleet fleet, OutputTree out) {
        if (!fleet.settings().monitoring().enabled()) return;
        String header = GeneratedHeader.line(fleet, "#");
        out.put(DeployedFiles.PROMETHEUS_CONFIG_SOURCE, YamlWriter.document(header, prometheus(fleet)), KIND, null);
        out.put(DeployedFiles.PROMETHEUS_RULES_SOURCE, YamlWriter.document(header, AlertRules.rules(fleet)), KIND, null);
        out.put(DeployedFiles.ALERTMANAGER_SOURCE, YamlWriter.document(header, alertmanager(fleet)), KIND, null);
        out.put(DeployedFiles.GRAFANA_DATASOURCES_SOURCE, YamlWriter.document(header, datasources(fleet)), KIND, null);
        out.put(DeployedFiles.GRAFANA_DASHBOARD_PROVIDERS_SOURCE, YamlWriter.document(header, dashboardProviders()), KIND, null);
        out.put(DeployedFiles.GRAFANA_DASHBOARD_SOURCE, json(Dashboard.of(fleet)), KIND, null);
    }

    static Map<String, Object> prometheus(Fleet fleet) {
        var m = fleet.settings().monitoring();
        String interval = m.scrapeIntervalSecs() + "s";
        Map<String, Object> global = new LinkedHashMap<>();
        global.put("scrape_interval", interval);
        global.put("evaluation_interval", interval);
        global.put("external_labels", Map.of("environment", fleet.name()));

        List<Object> jobs = new ArrayList<>();
        jobs.add(job("prometheus", List.of(target("127.0.0.1", m.prometheusPort(), monitoringHost(fleet)))));
        jobs.add(job("node", targets(fleet, h -> true, h -> m.nodeExporterPort())));
        jobs.add(job("basilica-validator", targets(fleet, h -> h.runs(ServiceKind.VALIDATOR), h -> fleet.service(ServiceKind.VALIDATOR).metricsPort())));
        jobs.add(job("basilica-miner", targets(fleet, h -> h.runs(ServiceKind.MINER), h -> fleet.service(ServiceKind.MINER).metricsPort())));
        jobs.add(job("basilica-executor", targets(fleet, h -> h.runs(ServiceKind.EXECUTOR), h -> fleet.service(ServiceKind.EXECUTOR).metricsPort())));
        if (fleet.settings().gpuExporterArtifact()) {
            jobs.add(job("nvidia-gpu", targets(fleet, h -> h.has(HostFeature.GPU_EXPORTER), h -> m.gpuExporterPort())));
        }
        jobs.removeIf(j -> ((List<?>) ((Map<?, ?>) j).get("static_configs")).isEmpty());

        Map<String, Object> p = new LinkedHashMap<>();
        p.put("global", global);
        p.put("rule_files", List.of(RULES_GLOB));
        p.put("alerting", Map.of("alertmanagers", List.of(Map.of("static_configs",
                List.of(Map.of("targets", List.of(Endpoints.hostPort("127.0.0.1", m.alertmanagerPort()))))))));
        p.put("scrape_configs", jobs);
        return p;
    }

    private static String monitoringHost(Fleet fleet) {
        return fleet.hosts().stream().filter(h -> h.host().has(Role.MONITORING)).map(HostPlan::name).findFirst().orElse("monitoring");
    }

    private static Map<String, Object> job(String name, List<Object> staticConfigs) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("job_name", name);
        j.put("static_configs", staticConfigs);
        return j;
    }

    /** One static config per host, labelled with the host's name, so alerts name hosts, not addresses. */
    private static List<Object> targets(Fleet fleet, Predicate<HostPlan> which, Function<HostPlan, Integer> port) {
        List<Object> out = new ArrayList<>();
        for (HostPlan h : fleet.hosts()) {
            if (which.test(h)) out.add(target(h.host().address(), port.apply(h), h.name()));
        }
        return out;
    }

    private static Map<String, Object> target(String address, int port, String host) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("targets", List.of(Endpoints.hostPort(address, port)));
        t.put("labels", Map.of("host", host));
        return t;
    }

    static Map<String, Object> alertmanager(Fleet fleet) {
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("receiver", "operators");
        route.put("group_by", List.of("alertname", "environment", "host"));
        route.put("group_wait", "30s");
        route.put("group_interval", "5m");
        route.put("repeat_interval", "4h");
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("route", route);
        // The model names no notification channel yet: alerts are visible in Alertmanager's UI and API.
        a.put("receivers", List.of(Map.of("name", "operators")));
        a.put("inhibit_rules", List.of(Map.of(
                "source_matchers", List.of("alertname = HostDown"),
                "target_matchers", List.of("severity =~ \"warning|critical\""),
                "equal", List.of("host"))));
        return a;
    }

    static Map<String, Object> datasources(Fleet fleet) {
        var m = fleet.settings().monitoring();
        Map<String, Object> ds = new LinkedHashMap<>();
        ds.put("name", "Prometheus");
        ds.put("uid", DATASOURCE_UID);
        ds.put("type", "prometheus");
        ds.put("access", "proxy");
        ds.put("url", Endpoints.url("http", "127.0.0.1", m.prometheusPort()));
        ds.put("isDefault", true);
        ds.put("editable", false);
        ds.put("jsonData", Map.of("timeInterval", m.scrapeIntervalSecs() + "s"));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("apiVersion", 1);
        d.put("datasources", List.of(ds));
        return d;
    }

    static Map<String, Object> dashboardProviders() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", "basilica");
        p.put("folder", "Basilica");
        p.put("type", "file");
        p.put("disableDeletion", true);
        p.put("allowUiUpdates", false);
        p.put("options", Map.of("path", "/var/lib/grafana/dashboards/basilica"));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("apiVersion", 1);
        d.put("providers", List.of(p));
        return d;
    }

    static String json(Object value) {
        try {
            DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
            // Sorted keys: Map.of has no stable order, and output must be byte-identical run to run.
            return new ObjectMapper().configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                    .writer(pp).writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
