package dev.basilica.report.ansible;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One {@code ansible-playbook} run as its JSON callback reported it: plays, tasks (merged by task id, so
 * the {@code free} strategy's one-entry-per-host duplicates become one task), what each host did, and
 * the closing {@code stats}.
 *
 * @param preamble  lines printed before the JSON document (warnings, "to retry, use: --limit @...")
 * @param trailer   lines printed after it
 * @param checkMode  whether the run was {@code --check}: given by the caller, or recognised from results
 *                   only check mode produces
 * @param inputNotes what reading the output took (an encoding, CRLF, the JSON-lines callback)
 * @param recapOnly  only the default callback's PLAY RECAP was read: per-host counts, no tasks
 */
public record AnsibleRun(List<String> preamble, List<String> trailer, boolean checkMode, List<Play> plays,
                         Map<String, HostStats> stats, List<String> inputNotes, boolean recapOnly) {

    /** The same run with what reading it took ({@code inputNotes}) and whether only a PLAY RECAP was read. */
    public AnsibleRun withInput(List<String> notes, boolean recap) {
        return new AnsibleRun(preamble, trailer, checkMode, plays, stats, List.copyOf(notes), recap);
    }

    public record Play(String name, List<Task> tasks) {}

    /** A task with every host's result, hosts in the order they reported. */
    public record Task(String id, String name, String play, Map<String, TaskResult> results) {}

    /**
     * What one task did on one host.
     *
     * @param message   the module's {@code msg} (with a failed command's last lines of stderr in {@code output})
     * @param dependsOn for {@link Outcome#UNPREDICTABLE}: the earlier task whose simulated change this failure
     *                  needed
     */
    public record TaskResult(String host, String task, String play, Outcome outcome, String action, String message,
                             Integer rc, List<String> output, String dependsOn) {}

    /** The outcome of a task on a host, after reading the stats and check mode. */
    public enum Outcome {
        OK, CHANGED, SKIPPED,
        /** A failure that stopped the host. */
        FAILED,
        /** A failure the play tolerated: {@code ignore_errors} or a {@code rescue} block. */
        IGNORED,
        UNREACHABLE,
        /**
         * Check mode only: a failure caused by an earlier task whose change was only simulated (the package
         * of a repository that was not really added, a file in a directory that was not really made).
         */
        UNPREDICTABLE,
        /** Check mode only: a command or module that cannot run in check mode, so its effect is unknown. */
        NOT_PREDICTED
    }

    /** The {@code stats} entry of a host. */
    public record HostStats(int ok, int changed, int failures, int unreachable, int skipped, int rescued, int ignored) {
        public String format() {
            return "ok=" + ok + " changed=" + changed + " unreachable=" + unreachable + " failed=" + failures + " skipped="
                    + skipped + " rescued=" + rescued + " ignored=" + ignored;
        }
    }

    /** Every host named by a result or by the stats, sorted. */
    public List<String> hosts() {
        TreeSet<String> hosts = new TreeSet<>(stats.keySet());
        for (Play p : plays) {
            for (Task t : p.tasks()) hosts.addAll(t.results().keySet());
        }
        return List.copyOf(hosts);
    }

    /** A host's results in the order its tasks ran. */
    public List<TaskResult> results(String host) {
        List<TaskResult> out = new ArrayList<>();
        for (Play p : plays) {
            for (Task t : p.tasks()) {
                TaskResult r = t.results().get(host);
                if (r != null) out.add(r);
            }
        }
        return out;
    }

    /** Warnings and errors Ansible printed around the JSON document; wrapped lines are joined. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (List<String> lines : List.of(preamble, trailer)) {
            StringBuilder current = null;
            for (String l : lines) {
                String s = l.strip();
                boolean starts = s.startsWith("[WARNING]") || s.startsWith("[DEPRECATION WARNING]") || s.startsWith("[ERROR]");
                if (starts) {
                    if (current != null) out.add(current.toString());
                    current = new StringBuilder(s);
                } else if (current != null && !s.isEmpty() && !l.startsWith("\t") && !s.startsWith("[") && !s.startsWith("to retry")) {
                    current.append(' ').append(s);
                } else {
                    if (current != null) out.add(current.toString());
                    current = null;
                }
            }
            if (current != null) out.add(current.toString());
        }
        return out;
    }
}
