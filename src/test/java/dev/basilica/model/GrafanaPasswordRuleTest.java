package dev.basilica.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Grafana's admin password: a secret reference on staging and production wherever Grafana is installed; development
 * may leave it out and is then warned that admin:admin stays.
 */
class GrafanaPasswordRuleTest {

    private static String model(String tier, String monitoring) {
        return String.join("\n",
                "apiVersion: basilica.dev/v1alpha1",
                "kind: Environment",
                "name: grafanarule",
                "tier: " + tier,
                "chain: { network: test, netuid: 387 }",
                "hosts:",
                "  - { name: monitor, address: 10.0.0.2, roles: [monitoring], ssh: { user: root } }",
                "services: { validator: { enabled: false }, miner: { enabled: false }, executor: { enabled: false } }",
                "monitoring: " + monitoring,
                "");
    }

    private static List<String> grafanaWarnings(String yaml) throws ModelException {
        return ModelLoader.parse(yaml, "m.yaml").warnings().stream().map(Diagnostic::format)
                .filter(w -> w.contains("grafana")).toList();
    }

    @Test
    void stagingAndProductionWithGrafanaNeedTheSecret() {
        for (String tier : List.of("staging", "production")) {
            ModelException e = assertThrows(ModelException.class, () -> ModelLoader.parse(model(tier, "{ enabled: true }"), "m.yaml"));
            String errors = e.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::format).collect(Collectors.joining("\n"));
            assertEquals("m.yaml:9:13: monitoring.grafana_admin_password: missing: Grafana's API would accept admin:admin on " + tier
                    + "; reference a secret, e.g. grafana_admin_password: { env: GRAFANA_ADMIN_PASSWORD }, or set grafana: false", errors);
        }
    }

    @Test
    void theSecretOrNoGrafanaSatisfiesTheRule() throws Exception {
        for (String tier : List.of("staging", "production")) {
            assertEquals(List.of(), grafanaWarnings(model(tier, "{ enabled: true, grafana_admin_password: { vault: vault_grafana } }")));
            assertEquals(List.of(), grafanaWarnings(model(tier, "{ enabled: true, grafana: false }")));
        }
    }

    @Test
    void developmentIsWarnedThatAdminAdminStays() throws Exception {
        List<String> warnings = grafanaWarnings(model("development", "{ enabled: true }"));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("monitoring.grafana_admin_password: missing: Grafana keeps its default admin:admin login"),
                warnings.toString());
        assertEquals(List.of(), grafanaWarnings(model("development", "{ enabled: true, grafana_admin_password: { env: GRAFANA_PW } }")));
        assertEquals(List.of(), grafanaWarnings(model("development", "{ enabled: true, grafana: false }")));
    }
}
