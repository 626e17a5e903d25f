package dev.basilica.livecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.HostLayout;
import dev.basilica.plan.ServiceKind;
import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.support.Repo;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The drift checks on real output of the four tasks of {@code collect.yml} that read the deployed files, the
 * secrets files' names and the record of the applied configuration. Each fixture is those tasks run by
 * ansible-playbook 2.14 (JSON callback, local connection) on a copy of the development host's layout under a
 * temporary directory, whose prefix was then removed from the output: {@code collect-current.json} with every
 * file as generated and a current record, {@code collect-norecord.json} the same without the record,
 * {@code collect-drift.json} with {@code miner.toml} edited by hand, {@code validator.toml} and
 * {@code executor.env} removed, {@code miner.env} assigning {@code BASILCA_OLD_TOKEN} instead of the JWT
 * secret, {@code validator.env} an API key the model does not name, and a record whose {@code miner.toml}
 * differs. {@code drift-manifest.json} is the development tree's manifest of those files at the time. When the
 * units became one shared file per service, the unit paths in these four files were renamed from
 * {@code systemd/dev-local/basilica-*.service} to {@code systemd/basilica-*.service}, also inside the base64 record
 * content that slurp returned (names the generator gives;
 * the units' bytes, and so every sha256, stayed the same).
 * Every secrets file held a value ending in "must-never-be-printed".
 */
class DriftChecksTest {

    static Map<String, String> manifest() throws Exception {
        return new ObjectMapper().readValue(HostChecksTest.fixture("drift-manifest.json"), new TypeReference<TreeMap<String, String>>() { });
    }

    static Map<String, Check> checks(String fixture) throws Exception {
        List<Check> checks = LiveChecks.evaluate(HostChecksTest.development(), manifest(), HostChecksTest.fixture(fixture), "", Set.of(),
                Duration.ofMillis(500));
        for (Check c : checks) {
            assertFalse(String.join(" ", c.evidence()).contains("must-never-be-printed"), c.id());
            assertFalse(c.title().contains("must-never-be-printed"), c.id());
        }
        return checks.stream().collect(Collectors.toMap(Check::id, Function.identity()));
    }

    @Test
    void readsTheCopiesTheNamesAndTheRecord() throws Exception {
        HostFacts f = HostFacts.parse(HostChecksTest.fixture("collect-drift.json"), "collect.json").get("dev-local");
        assertEquals(6, f.copies().size());
        HostFacts.Copy miner = f.copy("/etc/basilica/miner.toml");
        assertEquals("configs/dev-local/miner.toml", miner.source());
        assertTrue(miner.exists());
        assertEquals(64, miner.sha256().length());
        assertFalse(f.copy("/etc/basilica/validator.toml").exists());
        assertNull(f.copy("/etc/basilica/validator.toml").sha256());
        assertNull(f.envNames("executor").names());
        assertTrue(f.envNames("executor").error().contains("No such file"), f.envNames("executor").error());
        assertEquals(List.of("BASILCA_OLD_TOKEN"), f.envNames("miner").names());
        assertTrue(f.applied().exists());
        assertEquals("2026-12-01T08:00:00Z", AppliedConfiguration.since(f.applied().mtime()));
        assertEquals("development", AppliedConfiguration.parse(f.applied().content()).environment());
    }

    @Test
    void aHostAsGeneratedPassesEveryCheck() throws Exception {
        Map<String, Check> byId = checks("collect-current.json");
        for (String id : List.of("services.dev-local.miner.config-sha256", "services.dev-local.executor.unit-sha256",
                "security.dev-local.miner.secret-names", "security.dev-local.validator.secret-names", "services.dev-local.configuration")) {
            assertEquals(Status.PASS, byId.get(id).status(), byId.get(id).toString());
        }
        Check config = byId.get("services.dev-local.miner.config-sha256");
        assertEquals("/etc/basilica/miner.toml equals out/development/configs/dev-local/miner.toml", config.title());
        assertEquals(List.of("on dev-local: /etc/basilica/miner.toml sha256 a63455e4987b", "out/development/configs/dev-local/miner.toml sha256 a63455e4987b"),
                config.evidence());
        assertEquals("configuration applied since 2026-12-01T08:00:00Z", byId.get("services.dev-local.configuration").title());
        assertEquals("/etc/basilica/miner.env assigns the plan's secrets (BASILCA_SECURITY__JWT_SECRET)",
                byId.get("security.dev-local.miner.secret-names").title());
    }

    @Test
    void aHandEditedConfigAndAMissingOneFailWithTheFileAndTheFix() throws Exception {
        Map<String, Check> byId = checks("collect-drift.json");
        Check edited = byId.get("services.dev-local.miner.config-sha256");
        assertEquals(Status.FAIL, edited.status());
        assertEquals(Category.SERVICES, edited.category());
        assertEquals("/etc/basilica/miner.toml on dev-local differs from out/development/configs/dev-local/miner.toml", edited.title());
        assertTrue(edited.evidence().get(0).startsWith("on dev-local: /etc/basilica/miner.toml sha256 "), edited.evidence().toString());
        assertFalse(edited.evidence().get(0).endsWith("a63455e4987b"), edited.evidence().toString());
        assertEquals("out/development/configs/dev-local/miner.toml sha256 a63455e4987b", edited.evidence().get(1));
        assertTrue(edited.remediation().startsWith("basilica provision configure --apply --env development --limit dev-local"),
                edited.remediation());

        Check missing = byId.get("services.dev-local.validator.config-sha256");
        assertEquals(Status.FAIL, missing.status());
        assertEquals("/etc/basilica/validator.toml is missing on dev-local", missing.title());
        assertEquals(List.of("it should equal out/development/configs/dev-local/validator.toml (sha256 f6e6f1edf2be)"), missing.evidence());
        assertEquals(Status.PASS, byId.get("services.dev-local.validator.unit-sha256").status());
        assertEquals(Status.PASS, byId.get("services.dev-local.executor.config-sha256").status());
    }

    @Test
    void secretNamesMissingOrUnexpectedFailByNameOnly() throws Exception {
        Map<String, Check> byId = checks("collect-drift.json");
        Check miner = byId.get("security.dev-local.miner.secret-names");
        assertEquals(Status.FAIL, miner.status());
        assertEquals("/etc/basilica/miner.env on dev-local lacks BASILCA_SECURITY__JWT_SECRET and has unexpected BASILCA_OLD_TOKEN",
                miner.title());
        assertEquals(List.of("names in /etc/basilica/miner.env: BASILCA_OLD_TOKEN", "the plan wants: BASILCA_SECURITY__JWT_SECRET"),
                miner.evidence());
        Check validator = byId.get("security.dev-local.validator.secret-names");
        assertEquals("/etc/basilica/validator.env on dev-local has unexpected BASILCA_API__API_KEY", validator.title());
        Check executor = byId.get("security.dev-local.executor.secret-names");
        assertEquals(Status.FAIL, executor.status());
        assertEquals("/etc/basilica/executor.env on dev-local could not be read", executor.title());
        assertTrue(executor.evidence().get(0).contains("No such file or directory"), executor.evidence().toString());
    }

    @Test
    void anOlderRecordSaysSinceWhenAndWhichFilesChanged() throws Exception {
        Check c = checks("collect-drift.json").get("services.dev-local.configuration");
        assertEquals(Status.FAIL, c.status());
        assertEquals("dev-local is running an older configuration since 2026-12-01T08:00:00Z (1 generated file changed since)", c.title());
        assertEquals(List.of("configs/dev-local/miner.toml (changed)"), c.evidence());
        assertEquals("basilica provision all --env development --limit dev-local", c.remediation());
    }

    @Test
    void noRecordIsAWarning() throws Exception {
        Check c = checks("collect-norecord.json").get("services.dev-local.configuration");
        assertEquals(Status.WARN, c.status());
        assertEquals("no record of an applied configuration on dev-local", c.title());
        assertTrue(c.evidence().get(0).contains("--tags"), c.evidence().toString());
    }

    @Test
    void outputOfAnOlderCollectPlaybookSkipsTheDriftChecks() throws Exception {
        List<Check> checks = LiveChecks.evaluate(HostChecksTest.development(), manifest(),
                HostChecksTest.fixture("collect-local-nosystemd.json"), "", Set.of(), Duration.ofMillis(500));
        for (Check c : checks) {
            if (c.id().endsWith("-sha256") || c.id().endsWith(".secret-names") || c.id().endsWith(".configuration")) {
                assertEquals(Status.SKIP, c.status(), c.toString());
            }
        }
    }

    @Test
    void aRecordComparesByFileAndByEnvironment() {
        AppliedConfiguration r = AppliedConfiguration.parse("{\"environment\": \"staging\", \"files\": {\"a\": \"11\", \"b\": \"22\"}}");
        AppliedConfiguration.Difference d = r.compare("production", Map.of("a", "11", "c", "33"));
        assertEquals("staging", d.otherEnvironment());
        assertEquals(List.of("c (new)", "b (no longer deployed)"), d.files());
        assertTrue(r.compare("staging", Map.of("a", "11", "b", "22")).none());
    }

    /** The names the live check expects are the names the role writes. */
    @Test
    void theSecretVariablesAreTheRolesNames() throws Exception {
        String defaults = Files.readString(Repo.root().resolve("generators/ansible/roles/basilica_service/defaults/main.yml"));
        for (String name : HostLayout.SECRET_VARIABLES.values()) assertTrue(defaults.contains("    " + name + ": "), name);
        assertEquals(HostLayout.SECRET_VARIABLES.size(), defaults.lines().filter(l -> l.matches("    BASILCA_\\w+: .*")).count());
        Fleet fleet = HostChecksTest.development();
        assertEquals(Set.of("BASILCA_SECURITY__JWT_SECRET"), DriftChecks.expectedNames(fleet, ServiceKind.MINER));
        assertEquals(Set.of(), DriftChecks.expectedNames(fleet, ServiceKind.EXECUTOR));
    }
}
