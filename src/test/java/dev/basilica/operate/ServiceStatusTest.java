package dev.basilica.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.plan.ServiceKind;
import dev.basilica.support.Fixtures;
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
                + "ActiveEnterTimestamp,InactiveEnterTimestamp,StateChangeTimestamp,ExecMainExitTimestamp basilica-miner.service",
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

    private static String since(Map<String, Map<String, String>> units, ServiceKind service) {
        return ServiceStatus.stateChange(units.get(service.unitName()));
    }
}
