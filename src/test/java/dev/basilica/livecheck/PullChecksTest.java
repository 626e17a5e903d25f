package dev.basilica.livecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.model.ModelLoader;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.support.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pull.HOST.last-run} on results in the shape the {@code basilica-pull} wrapper writes (PullModeIT checks the
 * same on real runs): a recent clean run passes with its revision and recap; a failed run, one older than three
 * intervals, a host that never ran and an unreadable file fail with the command that helps; a model without pull
 * has no such check.
 */
class PullChecksTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @TempDir
    Path dir;

    private Fleet fleet(boolean pull) throws Exception {
        String model = Files.readString(Repo.root().resolve("environments/development.yaml"));
        if (pull) model += "\npull: { repository: \"https://git.internal/fleet.git\", ref: v7, interval_minutes: 20 }\n";
        Path file = Files.writeString(dir.resolve("development.yaml"), model);
        return FleetPlanner.plan(ModelLoader.load(file, "environments/development.yaml"));
    }

    private static HostFacts facts(HostFacts.Applied run) {
        return new HostFacts("dev-local", List.of(), Map.of(), List.of(), null, null, null, null, List.of(), List.of(), null, null,
                null, null, null, Map.of(), run);
    }

    private static String run(String finished, int exit, int changed, int failures) {
        return "{\"host\": \"dev-local\", \"ref\": \"v7\", \"revision\": \"0123456789abcdef0123456789abcdef01234567\", \"finished\": \""
                + finished + "\", \"exit_code\": " + exit + ", \"stats\": {\"ok\": 9, \"changed\": " + changed + ", \"failures\": " + failures
                + ", \"unreachable\": 0}, \"failed_tasks\": [" + (failures > 0 ? "{\"task\": \"Install the unit\", \"msg\": \"disk full\"}" : "")
                + "]}";
    }

    private Check check(HostFacts.Applied run) throws Exception {
        List<Check> checks = new PullChecks(fleet(true), NOW).evaluate("dev-local", facts(run));
        assertEquals(1, checks.size());
        assertEquals("pull.dev-local.last-run", checks.get(0).id());
        return checks.get(0);
    }

    @Test
    void aRecentCleanRunPassesWithItsRevisionAndRecap() throws Exception {
        Check c = check(new HostFacts.Applied(true, 0, run("2026-12-05T11:45:00Z", 0, 0, 0), null));
        assertEquals(Status.PASS, c.status(), c.toString());
        assertEquals("pull run on dev-local 15 min ago, ok=9 changed=0 failed=0 unreachable=0", c.title());
        assertEquals("finished 2026-12-05T11:45:00Z, revision 0123456789ab of v7, ok=9 changed=0 failed=0 unreachable=0", c.evidence().get(0));
    }

    @Test
    void aFailedRunFailsWithItsTasks() throws Exception {
        Check c = check(new HostFacts.Applied(true, 0, run("2026-12-05T11:59:00Z", 2, 1, 1), null));
        assertEquals(Status.FAIL, c.status());
        assertEquals("the last pull run on dev-local failed (exit 2)", c.title());
        assertTrue(c.evidence().contains("failed: Install the unit: disk full"), c.evidence().toString());
        assertTrue(c.remediation().contains("journalctl -u basilica-pull.service"), c.remediation());
    }

    @Test
    void aRunOlderThanThreeIntervalsFails() throws Exception {
        assertEquals(Status.PASS, check(new HostFacts.Applied(true, 0, run("2026-12-05T11:00:00Z", 0, 0, 0), null)).status());
        Check c = check(new HostFacts.Applied(true, 0, run("2026-12-05T10:59:00Z", 0, 0, 0), null));
        assertEquals(Status.FAIL, c.status());
        assertEquals("the last pull run on dev-local is 61 min old", c.title());
        assertTrue(c.evidence().get(1).startsWith("older than 3 intervals (60 min)"), c.evidence().toString());
    }

    @Test
    void noRunAndAnUnreadableResultFail() throws Exception {
        Check never = check(new HostFacts.Applied(false, 0, null, null));
        assertEquals(Status.FAIL, never.status());
        assertEquals("no pull run on dev-local", never.title());
        assertTrue(never.remediation().startsWith("cd out/development/ansible && ansible-playbook pull-bootstrap.yml --limit dev-local"), never.remediation());
        Check garbled = check(new HostFacts.Applied(true, 0, "not json", null));
        assertEquals(Status.FAIL, garbled.status());
        assertEquals(Status.SKIP, check(null).status());
    }

    @Test
    void withoutPullModeThereIsNoCheck() throws Exception {
        assertEquals(List.of(), new PullChecks(fleet(false), NOW).evaluate("dev-local", facts(null)));
    }
}
