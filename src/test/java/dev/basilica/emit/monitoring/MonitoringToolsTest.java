package dev.basilica.emit.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.support.GeneratedOut;
import dev.basilica.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated Prometheus and Alertmanager files pass promtool and amtool. */
class MonitoringToolsTest {

    @Tag("tools")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"environments/staging.yaml", "environments/production.yaml.example",
            "src/test/resources/models/ansible-everything.yaml"})
    void promtoolAndAmtoolAcceptTheFiles(String model, @TempDir Path out) throws Exception {
        Tools.assume("promtool", "prometheus");
        Tools.assume("amtool", "prometheus-alertmanager");
        Path monitoring = GeneratedOut.bundled(model, out).resolve("monitoring");
        assertTrue(Files.isRegularFile(monitoring.resolve("prometheus/prometheus.yml")), "no prometheus.yml for " + model);
        Tools.Result config = Tools.run(monitoring, Duration.ofMinutes(1), "promtool", "check", "config", "--syntax-only",
                "prometheus/prometheus.yml");
        assertEquals(0, config.exitCode(), config.output());
        Tools.Result rules = Tools.run(monitoring, Duration.ofMinutes(1), "promtool", "check", "rules", "prometheus/rules/basilica.yml");
        assertEquals(0, rules.exitCode(), rules.output());
        assertTrue(rules.output().contains("SUCCESS"), rules.output());
        Tools.Result am = Tools.run(monitoring, Duration.ofMinutes(1), "amtool", "check-config", "alertmanager/alertmanager.yml");
        assertEquals(0, am.exitCode(), am.output());
    }

    @Test
    void nothingIsWrittenWhenMonitoringIsOff(@TempDir Path out) throws Exception {
        Path root = GeneratedOut.bundled("environments/development.yaml", out);
        assertFalse(Files.exists(root.resolve("monitoring")));
    }

    @Test
    void everyHostIsScrapedOnItsModelAddress(@TempDir Path out) throws Exception {
        String prometheus = Files.readString(GeneratedOut.bundled("environments/staging.yaml", out)
                .resolve("monitoring/prometheus/prometheus.yml"));
        for (String target : new String[] {"10.20.0.10:9100", "10.20.0.21:9100", "10.20.0.10:9090", "10.20.0.11:9091",
                "10.20.0.21:9092", "10.20.0.22:9092"}) {
            assertTrue(prometheus.contains("\"" + target + "\""), target + " missing from\n" + prometheus);
        }
    }
}
