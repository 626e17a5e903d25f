package dev.basilica.operate;

import dev.basilica.output.AtomicFiles;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.ansible.AnsibleEventStream;
import dev.basilica.report.ansible.AnsibleRun;
import dev.basilica.run.Tool;
import dev.basilica.run.ToolRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the generated playbooks of one environment ({@code out/<env>/ansible/}) with {@code ansible-playbook}:
 * from that directory (its {@code ansible.cfg} is named explicitly, so a world-writable directory cannot make
 * Ansible ignore it), with the {@code ansible.posix.jsonl} callback so that every event arrives as it happens
 * (progress on stderr) and the whole run is still parseable, no retry files and no colour. Each run's result
 * is saved as the JSON callback's document to {@code state/<env>/reports/ansible-<playbook>.json}, which
 * {@code basilica report --ansible-result} reads.
 */
public final class Playbooks {

    /** The stdout callback: one JSON object per event, printed as it happens (ansible.posix 1.4 and later). */
    public static final String CALLBACK = "ansible.posix.jsonl";

    private final ToolRunner runner;
    private final Path outDir;
    private final Path stateDir;
    private final Progress progress;
    private final Duration timeout;

    /**
     * @param outDir   {@code out/<env>/}
     * @param stateDir {@code state/<env>/}: the saved results go to its {@code reports/}
     * @param timeout  the longest one playbook may run
     */
    public Playbooks(ToolRunner runner, Path outDir, Path stateDir, Progress progress, Duration timeout) {
        this.runner = runner;
        this.outDir = outDir;
        this.stateDir = stateDir;
        this.progress = progress;
        this.timeout = timeout;
    }

    public Path ansibleDir() {
        return outDir.resolve("ansible");
    }

    public Path reportsDir() {
        return stateDir.resolve("reports");
    }

    /** What a run ended with. {@code result} is empty when the output could not be read as a run. */
    public record Outcome(PlaybookRun request, int exitCode, boolean timedOut, boolean cancelled, Duration elapsed,
                          Optional<AnsibleRun> result, String resultError, Path saved) {
        public boolean succeeded() {
            return exitCode == 0 && !timedOut && !cancelled;
        }

        /** Hosts the run reported on, sorted (empty when it reported none). */
        public List<String> hosts() {
            return result.map(AnsibleRun::hosts).orElse(List.of());
        }

        /** One line: how it ended. */
        public String describe() {
            if (timedOut) return request.playbook() + " ran past its time limit and was stopped";
            if (cancelled) return request.playbook() + " was interrupted";
            if (exitCode == 0) return request.playbook() + " succeeded";
            return request.playbook() + " failed (ansible-playbook exit " + exitCode + ")";
        }
    }

    /**
     * The environment of every run beyond the process's own: the tool's machine-readable settings, the
     * streaming callback, and this environment's {@code ansible.cfg}.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(Tool.ANSIBLE_PLAYBOOK.environment());
        env.put("ANSIBLE_STDOUT_CALLBACK", CALLBACK);
        env.put("ANSIBLE_CONFIG", ansibleDir().resolve("ansible.cfg").toString());
        return env;
    }

    /** The command line of a run, starting with {@code program}. */
    public static List<String> commandLine(String program, PlaybookRun run) {
        List<String> cmd = new ArrayList<>();
        cmd.add(program);
        cmd.addAll(run.arguments());
        return cmd;
    }

    /** Runs one playbook to its end (or time limit, or Ctrl-C), printing progress as it goes. */
    public Outcome run(Tool ansiblePlaybook, PlaybookRun request) throws IOException {
        AnsibleEventStream events = new AnsibleEventStream();
        ToolRunner.Invocation inv = new ToolRunner.Invocation(commandLine(ansiblePlaybook.path().toString(), request),
                ansibleDir(), timeout, environment(), line -> events.accept(line).ifPresent(progress::event), progress::toolLine);
        ToolRunner.Result r = runner.run(inv);
        Path saved = reportsDir().resolve("ansible-" + request.baseName() + ".json");
        Optional<AnsibleRun> result = Optional.empty();
        String error = "";
        if (events.events() > 0) {
            AtomicFiles.write(saved, events.document().getBytes(StandardCharsets.UTF_8));
            try {
                result = Optional.of(events.run(stateDir.relativize(saved).toString().replace('\\', '/'), request.check()));
            } catch (ReportInputException e) {
                error = e.getMessage();
            }
        } else {
            saved = null;
            error = "ansible-playbook reported no events";
        }
        if (result.isPresent()) {
            result.get().stats().forEach((host, s) -> progress.say("  " + host + "  " + s.format()));
        }
        return new Outcome(request, r.exitCode(), r.timedOut(), r.cancelled(), r.elapsed(), result, error, saved);
    }
}
