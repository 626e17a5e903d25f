package dev.basilica.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.basilica.support.Repo;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The targets DeployedFiles names are where the roles really copy the files. */
class DeployedFilesTest {

    private static JsonNode defaults(String role) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Repo.path("generators/ansible/roles/" + role + "/defaults/main.yml")));
    }

    private static String tasks(String role, String file) throws Exception {
        return Files.readString(Repo.path("generators/ansible/roles/" + role + "/tasks/" + file));
    }

    @Test
    void monitoringTargetsAreTheRolesDefaults() throws Exception {
        assertEquals(DeployedFiles.PROMETHEUS_DIR, defaults("prometheus").path("prometheus_config_dir").asText());
        assertEquals(DeployedFiles.ALERTMANAGER_CONFIG, defaults("alertmanager").path("alertmanager_config").asText());
        assertEquals(DeployedFiles.GRAFANA_PROVISIONING_DIR, defaults("grafana").path("grafana_provisioning_dir").asText());
        assertEquals(DeployedFiles.GRAFANA_DASHBOARDS_DIR, defaults("grafana").path("grafana_dashboards_dir").asText());
        assertEquals(HostLayout.GRAFANA_ADMIN_ENV_FILE, defaults("grafana").path("grafana_admin_env_file").asText());
        assertEquals(HostLayout.GRAFANA_ADMIN_ENV_FILE, defaults("validate").path("validate_grafana_admin_env_file").asText());
        String prometheus = tasks("prometheus", "configure.yml");
        assertTrue(prometheus.contains("dest: \"{{ prometheus_config_dir }}/prometheus.yml\""), prometheus);
        assertTrue(prometheus.contains("dest: \"{{ prometheus_config_dir }}/rules/basilica.yml\""), prometheus);
        String grafana = tasks("grafana", "configure.yml");
        assertTrue(grafana.contains("dest: \"{{ grafana_provisioning_dir }}/{{ item }}/basilica.yml\""), grafana);
        assertTrue(grafana.contains("dest: \"{{ grafana_dashboards_dir }}/basilica.json\""), grafana);
    }

    @Test
    void serviceTargetsAreTheServiceRolesDestinations() throws Exception {
        String configure = tasks("basilica_service", "configure.yml");
        assertTrue(configure.contains("src: \"{{ basilica_out_dir }}/configs/{{ inventory_hostname }}/{{ basilica_service }}.toml\""));
        assertTrue(configure.contains("src: \"{{ basilica_out_dir }}/systemd/{{ basilica_service_unit }}\""), configure);
        assertTrue(configure.contains("dest: \"/etc/systemd/system/{{ basilica_service_unit }}\""));
        assertTrue(configure.contains("dest: \"{{ basilica_service_config }}\""), configure);
        assertEquals("{{ basilica_config_dir }}/{{ basilica_service }}.toml", defaults("basilica_service").path("basilica_service_config").asText());
        assertEquals(HostLayout.CONFIG_DIR + "/miner.toml", HostLayout.config(ServiceKind.MINER));
        assertEquals("basilica-miner.service", ServiceKind.MINER.unitName());
        assertEquals("configs/h1/miner.toml", DeployedFiles.configSource("h1", ServiceKind.MINER));
        assertEquals("systemd/basilica-miner.service", DeployedFiles.unitSource(ServiceKind.MINER));
    }

    @Test
    void eachHostListsItsServicesThenMonitoring() throws Exception {
        var fleet = FleetPlanner.plan(dev.basilica.model.ModelLoader.load(Repo.path("environments/staging.yaml"), "environments/staging.yaml"));
        List<String> validator = DeployedFiles.of(fleet.host("staging-validator")).stream().map(DeployedFiles.File::target).toList();
        assertEquals(List.of("/etc/basilica/validator.toml", "/etc/systemd/system/basilica-validator.service",
                "/etc/prometheus/prometheus.yml", "/etc/prometheus/rules/basilica.yml", "/etc/prometheus/alertmanager.yml",
                "/etc/grafana/provisioning/datasources/basilica.yml", "/etc/grafana/provisioning/dashboards/basilica.yml",
                "/var/lib/grafana/dashboards/basilica/basilica.json"), validator);
        assertEquals(List.of("configs/staging-gpu-1/executor.toml", "systemd/basilica-executor.service"),
                DeployedFiles.of(fleet.host("staging-gpu-1")).stream().map(DeployedFiles.File::source).toList());
        // The executors share one unit: only their configs differ.
        assertEquals(List.of("configs/staging-gpu-2/executor.toml", "systemd/basilica-executor.service"),
                DeployedFiles.of(fleet.host("staging-gpu-2")).stream().map(DeployedFiles.File::source).toList());
    }
}
