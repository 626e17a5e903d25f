package dev.basilica.emit.monitoring;

import dev.basilica.plan.Fleet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fleet's Grafana dashboard: services up, executors, verifications, GPUs and hosts. */
final class Dashboard {

    private Dashboard() {}

    static Map<String, Object> of(Fleet fleet) {
        List<Object> panels = new ArrayList<>();
        int y = 0;
        panels.add(panel(1, "Services up", "stat", "sum by (job) (up{job=~\"basilica-.*\"})", "{{job}}", 0, y, 12));
        panels.add(panel(2, "Executors per miner", "timeseries", "basilica_miner_executors_healthy", "{{host}} healthy", 12, y, 12));
        y += 8;
        panels.add(panel(3, "Verifications", "timeseries", "sum by (host) (rate(basilica_validator_validations_total[5m]))",
                "{{host}}", 0, y, 12));
        panels.add(panel(4, "Host CPU busy", "timeseries", "1 - avg by (host) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))",
                "{{host}}", 12, y, 12));
        if (fleet.settings().gpuExporterArtifact()) {
            y += 8;
            panels.add(panel(5, "GPU utilization", "timeseries", "nvidia_smi_utilization_gpu_ratio", "{{host}} {{uuid}}", 0, y, 12));
            panels.add(panel(6, "GPU temperature", "timeseries", "nvidia_smi_temperature_gpu", "{{host}} {{uuid}}", 12, y, 12));
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("uid", MonitoringEmitter.DASHBOARD_UID);
        d.put("title", "Basilica " + fleet.name());
        d.put("tags", List.of("basilica"));
        d.put("timezone", "utc");
        d.put("schemaVersion", 39);
        d.put("refresh", "1m");
        d.put("time", Map.of("from", "now-6h", "to", "now"));
        d.put("panels", panels);
        return d;
    }

    private static Map<String, Object> panel(int id, String title, String type, String expr, String legend, int x, int y, int w) {
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("refId", "A");
        target.put("expr", expr);
        target.put("legendFormat", legend);
        target.put("datasource", Map.of("type", "prometheus", "uid", MonitoringEmitter.DATASOURCE_UID));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("title", title);
        p.put("type", type);
        p.put("datasource", Map.of("type", "prometheus", "uid", MonitoringEmitter.DATASOURCE_UID));
        p.put("gridPos", Map.of("h", 8, "w", w, "x", x, "y", y));
        p.put("targets", List.of(target));
        return p;
    }
}
