package dev.basilica.livecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.HostLayout;
import dev.basilica.plan.Settings;
import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pull mode's check of one host, {@code pull.HOST.last-run}, from the {@code last-run.json} that the host's
 * {@code basilica-pull} wrapper wrote (collected by {@code collect.yml}): when the last run finished, which revision
 * it applied, and its recap. It fails when the run failed, or when it finished more than three intervals ago (the
 * timer stopped, or runs hang), and when the host never ran one.
 */
final class PullChecks {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Runs older than this many intervals mean the host stopped converging itself. */
    static final int STALE_INTERVALS = 3;

    private final String env;
    private final Settings.Pull pull;
    private final Instant now;

    PullChecks(Fleet fleet, Instant now) {
        this.env = fleet.name();
        this.pull = fleet.settings().pull();
        this.now = now;
    }

    /** The check of {@code host}, or none when the model has no pull mode. */
    List<Check> evaluate(String host, HostFacts f) {
        if (pull == null) return List.of();
        String id = "pull." + host + ".last-run";
        String bootstrap = "cd out/" + env + "/ansible && ansible-playbook pull-bootstrap.yml --limit " + host;
        String logs = "journalctl -u basilica-pull.service on " + host + ", then `systemctl start basilica-pull.service` there";
        HostFacts.Applied run = f.pullRun();
        if (run == null) {
            return List.of(Check.of(id, host, Category.WORKFLOW, Status.SKIP, "last pull run not collected",
                    List.of("out/" + env + "/ansible/collect.yml predates this check"), null));
        }
        if (!run.exists()) {
            List<String> evidence = run.error() == null ? List.of(HostLayout.PULL_LAST_RUN + " is missing: the host never finished a pull run")
                    : List.of(run.error());
            return List.of(Check.of(id, host, Category.WORKFLOW, Status.FAIL, "no pull run on " + host, evidence,
                    bootstrap + " (sets up pull mode; the first run follows within minutes)"));
        }
        JsonNode r;
        try {
            r = run.content() == null ? null : JSON.readTree(run.content());
        } catch (java.io.IOException e) {
            r = null;
        }
        if (r == null || !r.isObject()) {
            return List.of(Check.of(id, host, Category.WORKFLOW, Status.FAIL, HostLayout.PULL_LAST_RUN + " on " + host + " is not a run result",
                    List.of(run.error() != null ? run.error() : "not a JSON object"), logs));
        }
        String finished = r.path("finished").asText("");
        String revision = r.path("revision").asText("");
        JsonNode stats = r.path("stats");
        String recap = stats.isObject()
                ? "ok=" + stats.path("ok").asInt() + " changed=" + stats.path("changed").asInt() + " failed=" + stats.path("failures").asInt()
                        + " unreachable=" + stats.path("unreachable").asInt()
                : "no recap";
        List<String> evidence = new ArrayList<>();
        evidence.add("finished " + (finished.isEmpty() ? "(unknown)" : finished) + ", revision "
                + (revision.isEmpty() ? "(unknown)" : DriftChecks.prefix(revision)) + " of " + r.path("ref").asText("?") + ", " + recap);
        int exit = r.path("exit_code").asInt(-1);
        int failures = stats.path("failures").asInt(0) + stats.path("unreachable").asInt(0);
        if (exit != 0 || failures > 0 || !stats.isObject()) {
            for (JsonNode t : r.path("failed_tasks")) evidence.add("failed: " + t.path("task").asText() + ": " + t.path("msg").asText());
            if (r.path("output_tail").isTextual()) evidence.add("output: " + r.path("output_tail").asText().strip());
            return List.of(Check.of(id, host, Category.WORKFLOW, Status.FAIL, "the last pull run on " + host + " failed (exit " + exit + ")",
                    evidence, logs));
        }
        Instant at;
        try {
            at = Instant.parse(finished);
        } catch (DateTimeParseException e) {
            return List.of(Check.of(id, host, Category.WORKFLOW, Status.FAIL, "the last pull run on " + host + " has no time",
                    evidence, logs));
        }
        Duration limit = Duration.ofMinutes((long) STALE_INTERVALS * pull.intervalMinutes());
        Duration age = Duration.between(at, now);
        if (age.compareTo(limit) > 0) {
            evidence.add("older than " + STALE_INTERVALS + " intervals (" + limit.toMinutes() + " min): the timer is stopped or the runs hang");
            return List.of(Check.of(id, host, Category.WORKFLOW, Status.FAIL, "the last pull run on " + host + " is " + age.toMinutes()
                    + " min old", evidence, "systemctl status basilica-pull.timer on " + host + "; " + logs));
        }
        return List.of(Check.of(id, host, Category.WORKFLOW, Status.PASS, "pull run on " + host + " " + age.toMinutes() + " min ago, "
                + recap, evidence, null));
    }
}
