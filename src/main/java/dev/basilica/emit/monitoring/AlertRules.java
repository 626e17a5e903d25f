package dev.basilica.emit.monitoring;

import dev.basilica.plan.Fleet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prometheus alert rules for the fleet, on metric names the services and exporters really export. */
final class AlertRules {

    private AlertRules() {}

    static Map<String, Object> rules(Fleet fleet) {
        List<Object> rules = new ArrayList<>();
        rules.add(rule("HostDown", "up{job=\"node\"} == 0", "5m", "critical",
                "{{ $labels.host }} is unreachable",
                "The node exporter on {{ $labels.host }} has not answered for 5 minutes."));
        rules.add(rule("BasilicaServiceDown", "up{job=~\"basilica-.*\"} == 0", "2m", "critical",
                "{{ $labels.job }} on {{ $labels.host }} is down",
                "Prometheus cannot scrape {{ $labels.job }} on {{ $labels.host }}; see journalctl -u {{ $labels.job }}.service there."));
        rules.add(rule("MinerExecutorsUnhealthy", "basilica_miner_executors_unhealthy > 0", "10m", "warning",
                "{{ $labels.host }} has unhealthy executors",
                "The miner on {{ $labels.host }} reports {{ $value }} unhealthy executors."));
        rules.add(rule("ValidatorVerificationErrors", "rate(basilica_validator_validation_errors_total[15m]) > 0.1", "15m", "warning",
                "Verification errors on {{ $labels.host }}",
                "The validator on {{ $labels.host }} fails {{ $value | humanize }} verifications per second."));
        rules.add(rule("DiskAlmostFull",
                "node_filesystem_avail_bytes{fstype!~\"tmpfs|overlay|squashfs\"} / node_filesystem_size_bytes{fstype!~\"tmpfs|overlay|squashfs\"} < 0.1",
                "15m", "warning", "{{ $labels.mountpoint }} on {{ $labels.host }} is almost full",
                "Less than 10% of {{ $labels.mountpoint }} on {{ $labels.host }} is free."));
        if (fleet.settings().gpuExporterArtifact()) {
            rules.add(rule("GpuExporterDown", "up{job=\"nvidia-gpu\"} == 0", "5m", "warning",
                    "No GPU metrics from {{ $labels.host }}", "The GPU exporter on {{ $labels.host }} has not answered for 5 minutes."));
            rules.add(rule("GpuTooHot", "nvidia_smi_temperature_gpu > 85", "5m", "critical",
                    "A GPU on {{ $labels.host }} runs at {{ $value }} °C", "GPU {{ $labels.uuid }} on {{ $labels.host }} is above 85 °C."));
        }
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("name", "basilica");
        group.put("rules", rules);
        return Map.of("groups", List.of(group));
    }

    private static Map<String, Object> rule(String name, String expr, String forDuration, String severity, String summary,
                                            String description) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("alert", name);
        r.put("expr", expr);
        r.put("for", forDuration);
        r.put("labels", Map.of("severity", severity));
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("summary", summary);
        a.put("description", description);
        r.put("annotations", a);
        return r;
    }
}
