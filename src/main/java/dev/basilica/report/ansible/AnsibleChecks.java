package dev.basilica.report.ansible;

import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.report.ansible.AnsibleRun.HostStats;
import dev.basilica.report.ansible.AnsibleRun.Outcome;
import dev.basilica.report.ansible.AnsibleRun.TaskResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Turns an Ansible run into checks per host: reachable, tasks (failed or not), and in check mode what
 * would change and what could not be predicted; plus one warning for what Ansible printed around its JSON.
 */
public final class AnsibleChecks {

    private AnsibleChecks() {}

    public static List<Check> of(AnsibleRun run) {
        List<Check> checks = new ArrayList<>();
        List<String> warnings = run.warnings();
        if (!warnings.isEmpty()) {
            checks.add(Check.of("ansible.warnings", null, Category.ANSIBLE, Status.WARN,
                    "Ansible printed " + warnings.size() + " warning" + plural(warnings.size()), warnings,
                    "Read the warnings: an unmatched host pattern means a play ran on no host."));
        }
        if (!run.inputNotes().isEmpty()) {
            checks.add(Check.of("ansible.input", null, Category.ANSIBLE, Status.PASS,
                    run.recapOnly() ? "Read the PLAY RECAP only: per-host counts, no tasks" : "Read the Ansible output",
                    run.inputNotes(), null));
        }
        if (run.hosts().isEmpty()) {
            checks.add(Check.of("ansible.hosts", null, Category.ANSIBLE, Status.WARN, "No host ran any task", List.of(),
                    "Check the inventory and the plays' host patterns."));
        }
        for (String host : run.hosts()) {
            List<TaskResult> results = run.results(host);
            HostStats stats = run.stats().get(host);
            checks.add(reachable(host, results, stats));
            checks.add(run.recapOnly() ? recapTasks(host, stats) : tasks(host, results, stats, run.checkMode()));
            if (run.checkMode()) {
                boolean ran = results.stream().anyMatch(r -> r.outcome() != Outcome.UNREACHABLE);
                if (ran) {
                    checks.add(wouldChange(host, results));
                    checks.add(unpredictable(host, results));
                } else {
                    for (String what : List.of("would-change", "unpredictable")) {
                        checks.add(Check.of(id(host, what), host, Category.ANSIBLE, Status.SKIP, "No task ran on this host",
                                List.of(), null));
                    }
                }
            }
        }
        return checks;
    }

    private static Check reachable(String host, List<TaskResult> results, HostStats stats) {
        List<String> unreachable = results.stream().filter(r -> r.outcome() == Outcome.UNREACHABLE)
                .map(r -> "task '" + r.task() + "': " + r.message()).toList();
        if (unreachable.isEmpty() && (stats == null || stats.unreachable() == 0)) {
            return Check.of(id(host, "reachable"), host, Category.ANSIBLE, Status.PASS, "Reachable", List.of(), null);
        }
        List<String> evidence = new ArrayList<>(new LinkedHashSet<>(unreachable));
        if (stats != null) evidence.add(stats.format());
        return Check.of(id(host, "reachable"), host, Category.ANSIBLE, Status.FAIL, "Unreachable", evidence,
                "Check that the host is up and that SSH answers on the model's address and port (ssh -p PORT USER@ADDRESS);"
                        + " a firewall rule may be blocking the control node.");
    }

    /** From a PLAY RECAP line: failed counts the failures that stopped the host (not ignored or rescued ones). */
    private static Check recapTasks(String host, HostStats s) {
        List<String> evidence = List.of(s.format(), "from the PLAY RECAP: which tasks ran or failed is not known");
        if (s.failures() > 0) {
            return Check.of(id(host, "tasks"), host, Category.ANSIBLE, Status.FAIL, s.failures() + " task" + plural(s.failures())
                    + " failed (PLAY RECAP)", evidence, "Read the playbook's output above the recap for the failed task and its"
                    + " message, fix it and run the playbook again.");
        }
        int ran = s.ok() + s.changed() + s.skipped() + s.rescued() + s.ignored();
        if (ran == 0) return Check.of(id(host, "tasks"), host, Category.ANSIBLE, Status.SKIP, "No task ran on this host", evidence, null);
        return Check.of(id(host, "tasks"), host, Category.ANSIBLE, Status.PASS, "No task failed (PLAY RECAP), " + s.changed()
                + " changed", evidence, null);
    }

    private static Check tasks(String host, List<TaskResult> results, HostStats stats, boolean checkMode) {
        List<String> evidence = new ArrayList<>();
        List<TaskResult> failed = results.stream().filter(r -> r.outcome() == Outcome.FAILED).toList();
        for (TaskResult r : failed) evidence.addAll(describeFailure(r));
        for (TaskResult r : results) {
            if (r.outcome() == Outcome.IGNORED) evidence.add("tolerated failure (ignore_errors or rescue): " + where(r) + ": " + r.message());
        }
        if (stats != null) evidence.add(stats.format());
        String verb = checkMode ? " (check mode)" : "";
        if (!failed.isEmpty()) {
            return Check.of(id(host, "tasks"), host, Category.ANSIBLE, Status.FAIL,
                    failed.size() + " task" + plural(failed.size()) + " failed" + verb, evidence,
                    "Fix the first failure and run the playbook again; tasks after it did not run on this host.");
        }
        long ran = results.stream().filter(r -> r.outcome() != Outcome.UNREACHABLE).count();
        if (ran == 0) {
            return Check.of(id(host, "tasks"), host, Category.ANSIBLE, Status.SKIP, "No task ran on this host", evidence, null);
        }
        long changed = results.stream().filter(r -> r.outcome() == Outcome.CHANGED).count();
        String title = ran + " task" + plural((int) ran) + " ran without failing" + verb
                + (checkMode ? "" : ", " + changed + " changed");
        return Check.of(id(host, "tasks"), host, Category.ANSIBLE, Status.PASS, title, evidence, null);
    }

    private static Check wouldChange(String host, List<TaskResult> results) {
        List<String> changes = results.stream().filter(r -> r.outcome() == Outcome.CHANGED).map(AnsibleChecks::where).toList();
        if (changes.isEmpty()) {
            return Check.of(id(host, "would-change"), host, Category.ANSIBLE, Status.PASS, "No changes predicted", List.of(), null);
        }
        return Check.of(id(host, "would-change"), host, Category.ANSIBLE, Status.WARN,
                changes.size() + " task" + plural(changes.size()) + " would change", changes,
                "The host differs from the model; apply the playbook to converge it.");
    }

    private static Check unpredictable(String host, List<TaskResult> results) {
        List<String> evidence = new ArrayList<>();
        for (TaskResult r : results) {
            if (r.outcome() == Outcome.UNPREDICTABLE) {
                evidence.add(where(r) + " failed because '" + r.dependsOn() + "' was only simulated: " + r.message()
                        + " (the host stopped here, so later tasks were not checked)");
            } else if (r.outcome() == Outcome.NOT_PREDICTED) {
                evidence.add(where(r) + ": " + r.message());
            }
        }
        if (evidence.isEmpty()) {
            return Check.of(id(host, "unpredictable"), host, Category.ANSIBLE, Status.PASS,
                    "Every task could be predicted in check mode", List.of(), null);
        }
        return Check.of(id(host, "unpredictable"), host, Category.ANSIBLE, Status.WARN,
                evidence.size() + " task" + plural(evidence.size()) + " could not be predicted in check mode", evidence,
                "Check mode changes nothing, so a task that needs an earlier task's change fails or is skipped. These are not"
                        + " failures of the host; apply the earlier tasks (or the whole playbook) and check again.");
    }

    private static List<String> describeFailure(TaskResult r) {
        List<String> lines = new ArrayList<>();
        lines.add(where(r) + ": " + (r.message().isEmpty() ? "failed" : r.message()) + (r.rc() != null ? " (rc " + r.rc() + ")" : ""));
        for (String o : r.output()) lines.add("    " + o);
        return lines;
    }

    private static String where(TaskResult r) {
        return (r.play().isEmpty() ? "" : r.play() + " / ") + r.task();
    }

    static String id(String host, String what) {
        return "ansible." + host + "." + what;
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
