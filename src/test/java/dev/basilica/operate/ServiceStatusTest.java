package dev.basilica.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.livecheck.AppliedConfiguration;
import dev.basilica.output.Manifest;
import dev.basilica.plan.ServiceKind;
import dev.basilica.support.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code manage status} says about a unit's state change, read from real {@code systemctl show} output
 * (systemd 252, fixtures/systemctl-show/, PROVENANCE.md says how each was made).
 */
class ServiceStatusTest {

    @Test
    void theRemoteCommandAsksForEveryTimestampTheStateNeeds() {
        assertEquals("systemctl show --no-pager --property=Id,LoadState,ActiveState,SubState,UnitFileState,Result,"
                + "ActiveEnterTimestamp,InactiveEnterTimestamp,StateChangeTimestamp,ExecMainExitTimestamp basilica-miner.service"
                + "; echo '--- basilica applied record ---'; stat -c %Y /var/lib/basilica/applied.json 2>/dev/null"
                + " && cat /var/lib/basilica/applied.json",
                ServiceStatus.remoteCommand(List.of(ServiceKind.MINER)));
    }

    /** The stopped miner and the failed validator were last started at 20:00:42: that is not when they stopped. */
    @Test
    void activeInactiveAndFailedUnitsEachSayWhenTheyEnteredTheirState() {
        Map<String, Map<String, String>> units = ServiceStatus.parse(Fixtures.text("systemctl-show/active-inactive-failed.txt"));
        assertEquals("active since Fri 2026-12-04 20:00:42 UTC", since(units, ServiceKind.EXECUTOR));
        assertEquals("inactive since Fri 2026-12-04 20:00:45 UTC", since(units, ServiceKind.MINER));
        assertEquals("failed (exit-code) since Fri 2026-12-04 20:00:43 UTC", since(units, ServiceKind.VALIDATOR));
    }

    @Test
    void aRestartingUnitNamesItsSubStateAndANeverStartedOneSaysSo() {
        Map<String, Map<String, String>> units = ServiceStatus.parse(Fixtures.text("systemctl-show/restarting-never-started-missing.txt"));
        assertEquals("auto-restart since Fri 2026-12-04 20:00:46 UTC", since(units, ServiceKind.VALIDATOR));
        assertEquals("never started", since(units, ServiceKind.MINER));
        assertEquals("not-found", units.get(ServiceKind.EXECUTOR.unitName()).get("LoadState"));
    }

    /** A host whose systemd predates a property prints nothing for it: the state's time falls back in order. */
    @Test
    void aMissingStateTimestampFallsBackToTheExitAndThenTheStateChange() {
        assertEquals("inactive since T1", ServiceStatus.stateChange(Map.of("ActiveState", "inactive",
                "ExecMainExitTimestamp", "T1", "StateChangeTimestamp", "T2")));
        assertEquals("active since T2", ServiceStatus.stateChange(Map.of("ActiveState", "active", "StateChangeTimestamp", "T2")));
        assertEquals("failed since T3", ServiceStatus.stateChange(Map.of("ActiveState", "failed", "Result", "success",
                "InactiveEnterTimestamp", "T3")));
    }

    @Test
    void theTableNamesTheColumnForWhatItHolds() {
        List<String> table = ServiceStatus.table(List.of(new ServiceStatus.Row("h1", ServiceKind.MINER, "inactive", "dead",
                "enabled", "inactive since Fri 2026-12-04 20:00:45 UTC")));
        assertTrue(table.get(0).endsWith("LAST CHANGE"), table.get(0));
        assertTrue(table.get(1).endsWith("enabled  inactive since Fri 2026-12-04 20:00:45 UTC"), table.get(1));
    }

    /**
     * The development host's part of the manifest when the fixtures were captured: before the units were shared, each
     * host had its own copies under {@code systemd/<host>/}. The records in the fixtures name those paths, as a host's
     * record does until its first configure run after the upgrade (see {@link #aRecordFromBeforeTheSharedUnitsIsOlder}).
     */
    private static final Map<String, String> CURRENT = Map.of(
            "configs/dev-local/executor.toml", "c5624eaa47b89ae2d030183ac9fbe70188f1ae4b858824387e67f3ecf6e160dd",
            "configs/dev-local/miner.toml", "a63455e4987b9dda506c3f10a1c1ae79087898b6b34d86f9ad23657861835705",
            "configs/dev-local/validator.toml", "f6e6f1edf2bedb0f0275474c411f4f7069e007e5d1c22b9463d382e7a18937f8",
            "systemd/dev-local/basilica-executor.service", "f4cfe454997f7492c72c974b57cf6eb8eee5db4098ab1e6af843fd18aa458c79",
            "systemd/dev-local/basilica-miner.service", "a7ff1752a471d0592f5a3d84abef39f91ea262c3c3428635be17b166e01b39c4",
            "systemd/dev-local/basilica-validator.service", "60a7a8cd770bcdca1d075083d77b8f8afbe07d87317f4910754cbaae156f6550");

    private static String afterMarker(String text) {
        return text.substring(text.indexOf(ServiceStatus.RECORD_MARKER) + ServiceStatus.RECORD_MARKER.length());
    }

    @Test
    void anOlderRecordSaysSinceWhenAndWhichFilesChanged() {
        String text = Fixtures.text("systemctl-show/with-older-applied-record.txt");
        assertEquals("older configuration since 2026-12-01T08:00:00Z, 1 file changed: configs/dev-local/miner.toml (changed)",
                ServiceStatus.configuration(afterMarker(text), CURRENT, "development"));
        Map<String, Map<String, String>> units = ServiceStatus.parse(text.substring(0, text.indexOf(ServiceStatus.RECORD_MARKER)));
        assertEquals("active since Fri 2026-12-04 20:00:42 UTC", since(units, ServiceKind.EXECUTOR));
    }

    /**
     * Today's layout: the development host's part of the committed out/development/ manifest names the shared units
     * (systemd/basilica-SVC.service). A host configured before the upgrade reports an older configuration, the new unit
     * paths new and the old ones no longer deployed, until its next configure run rewrites its record.
     */
    @Test
    void aRecordFromBeforeTheSharedUnitsIsOlder() throws Exception {
        Path out = Path.of("out/development");
        Map<String, String> today = AppliedConfiguration.part(Manifest.digests(out).orElseThrow(),
                ServiceStatus.deployedSources(out, "dev-local"));
        for (ServiceKind s : List.of(ServiceKind.EXECUTOR, ServiceKind.MINER, ServiceKind.VALIDATOR)) {
            assertTrue(today.containsKey("systemd/" + s.unitName()), "shared unit of " + s + " in " + today.keySet());
            assertTrue(today.keySet().stream().noneMatch(p -> p.startsWith("systemd/dev-local/")), today.keySet().toString());
        }
        String said = ServiceStatus.configuration(afterMarker(Fixtures.text("systemctl-show/with-older-applied-record.txt")), today,
                "development");
        assertTrue(said.startsWith("older configuration since 2026-12-01T08:00:00Z, "), said);
        AppliedConfiguration record = AppliedConfiguration.parse(recordJson());
        AppliedConfiguration.Difference d = record.compare("development", today);
        assertTrue(d.added().containsAll(List.of("systemd/basilica-executor.service", "systemd/basilica-miner.service",
                "systemd/basilica-validator.service")), d.toString());
        assertTrue(d.removed().containsAll(List.of("systemd/dev-local/basilica-executor.service",
                "systemd/dev-local/basilica-miner.service", "systemd/dev-local/basilica-validator.service")), d.toString());
    }

    /** The JSON record in the fixture, after the line with its time. */
    private static String recordJson() {
        String text = afterMarker(Fixtures.text("systemctl-show/with-older-applied-record.txt")).strip();
        return text.substring(text.indexOf('\n') + 1);
    }

    @Test
    void aRecordEqualToTheManifestIsCurrent() {
        Map<String, String> older = new java.util.HashMap<>(CURRENT);
        older.put("configs/dev-local/miner.toml", "0".repeat(64));
        assertEquals("configuration current since 2026-12-01T08:00:00Z", ServiceStatus.configuration(
                afterMarker(Fixtures.text("systemctl-show/with-older-applied-record.txt")), older, "development"));
        assertTrue(ServiceStatus.configuration(afterMarker(Fixtures.text("systemctl-show/with-older-applied-record.txt")), older,
                "staging").startsWith("older configuration of environment development since"));
    }

    @Test
    void noRecordSaysSo() {
        String text = Fixtures.text("systemctl-show/without-applied-record.txt");
        assertTrue(ServiceStatus.configuration(afterMarker(text), CURRENT, "development").startsWith("no record"));
        assertEquals("never started", since(ServiceStatus.parse(text), ServiceKind.MINER));
    }

    @Test
    void theTableEndsWithEachHostsConfiguration() {
        List<String> table = ServiceStatus.table(new ServiceStatus.Result(List.of(new ServiceStatus.Row("h1", ServiceKind.MINER, "active",
                "running", "enabled", "active since T")), Map.of("h1", "configuration current since 2026-12-01T08:00:00Z")));
        assertEquals(List.of("", "HOST  CONFIGURATION", "h1    configuration current since 2026-12-01T08:00:00Z"),
                table.subList(2, 5));
    }

    private static String since(Map<String, Map<String, String>> units, ServiceKind service) {
        return ServiceStatus.stateChange(units.get(service.unitName()));
    }
}
