package dev.basilica.operate;

import dev.basilica.model.ModelException;
import dev.basilica.plan.ServiceKind;
import dev.basilica.report.render.Colour;
import dev.basilica.run.Tool;
import dev.basilica.run.ToolMissingException;
import dev.basilica.run.ToolRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One operation on the hosts of one environment (a command of {@code provision}, {@code manage},
 * {@code network}, {@code deploy}, {@code plan}): which {@code out/} and {@code state/} it drives, the tools,
 * the progress printer, the dry run, and the operation log ({@code state/<env>/reports/operations.jsonl}),
 * written once per command, also when Ctrl-C ends it. Commands say which playbooks (or which remote reads)
 * and this does the rest.
 */
public final class Operation {

    /** How an operation ended; the command maps it to its exit code. */
    public enum Outcome {
        OK(0), CHECKS_FAILED(1), INVALID_INPUT(2), TOOL_MISSING(3);

        private final int logged;

        Outcome(int logged) {
            this.logged = logged;
        }

        /** The exit code the operation log records (the process's exit code for this outcome). */
        public int logged() {
            return logged;
        }
    }

    /** The environment's name, resolved when first needed (reading {@code --file}'s model may fail). */
    @FunctionalInterface
    public interface EnvName {
        String resolve() throws ModelException;
    }

    /**
     * What an operation is given.
     *
     * @param outDirOf    {@code out/<env>/} of an environment name
     * @param stateDirOf  {@code state/<env>/} of an environment name
     * @param home        the project directory (dry runs show paths relative to it)
     * @param display     how messages name a file
     * @param commandLine the command's arguments, as the operation log records them
     * @param limit       {@code --limit} (null: every host)
     */
    public record Settings(EnvName envName, Function<String, Path> outDirOf, Function<String, Path> stateDirOf, Path home,
                           Function<Path, String> display, Map<String, String> environment, PrintWriter out, PrintWriter err,
                           List<String> commandLine, String limit, boolean dryRun, Duration timeout) {}

    private final Settings s;
    private final ToolRunner runner;
    private final Progress progress;
    private String envName;
    private Instant started;
    private Thread interruptLog;
    private final AtomicBoolean logged = new AtomicBoolean();

    public Operation(Settings settings) {
        this.s = settings;
        this.runner = new ToolRunner(settings.environment());
        this.progress = new Progress(settings.err(), Colour.AUTO.enabled(settings.environment()));
    }

    /** The environment's name: {@code --env}, or the name inside {@code --file}'s model. */
    String envName() throws ModelException {
        if (envName == null) envName = s.envName().resolve();
        return envName;
    }

    Path outDir() throws ModelException {
        return s.outDirOf().apply(envName());
    }

    /** {@code state/<env>/}: known hosts, reports, the operation log, Terraform state. */
    Path stateDir() throws ModelException {
        return s.stateDirOf().apply(envName());
    }

    String limit() {
        return s.limit();
    }

    boolean dryRun() {
        return s.dryRun();
    }

    Progress progress() {
        return progress;
    }

    PrintWriter out() {
        return s.out();
    }

    PrintWriter err() {
        return s.err();
    }

    String display(Path p) {
        return s.display().apply(p);
    }

    Map<String, String> environment() {
        return s.environment();
    }

    Duration timeout() {
        return s.timeout();
    }

    ToolRunner runner() {
        return runner;
    }

    Playbooks playbooks() throws ModelException {
        return new Playbooks(runner, outDir(), stateDir(), progress, s.timeout());
    }

    /** Whether {@code out/<env>/ansible/} is there. */
    public boolean generated() throws ModelException {
        return Files.isDirectory(outDir().resolve("ansible"));
    }

    /** The generated inventory, or null after printing why there is none. */
    Inventory inventory() throws ModelException, IOException {
        Path ansible = outDir().resolve("ansible");
        if (!Files.isRegularFile(ansible.resolve("inventory/hosts.yml"))) {
            noOutput();
            return null;
        }
        return Inventory.read(ansible, s.environment().get("HOME"));
    }

    /** Prints that the environment has not been generated. */
    public Outcome noOutput() throws ModelException {
        s.err().println("basilica: " + display(outDir().resolve("ansible")) + "/ does not exist; run 'basilica generate --env "
                + envName() + "' first");
        s.err().flush();
        return Outcome.INVALID_INPUT;
    }

    /** The tool, or null after printing the install hint (the outcome is then {@link Outcome#TOOL_MISSING}). */
    public Tool require(Tool.Kind kind) {
        try {
            return runner.require(kind);
        } catch (ToolMissingException e) {
            return missing(e);
        }
    }

    /** Prints the install hint of a missing tool; returns null. */
    Tool missing(ToolMissingException e) {
        s.err().println("basilica: " + e.getMessage());
        s.err().flush();
        return null;
    }

    /**
     * Runs these playbooks in order, stopping at the first that fails, and logs the operation. With
     * {@code --dry-run} prints them instead.
     */
    public Outcome runPlaybooks(List<PlaybookRun> runs) throws ModelException, IOException {
        if (s.dryRun()) {
            printDryRun(runs);
            return Outcome.OK;
        }
        if (!generated()) return noOutput();
        Tool ansible = require(Tool.ANSIBLE_PLAYBOOK);
        if (ansible == null) return Outcome.TOOL_MISSING;
        begin();
        try {
            Playbooks playbooks = playbooks();
            TreeSet<String> hosts = new TreeSet<>();
            Outcome outcome = Outcome.OK;
            for (PlaybookRun run : runs) {
                progress.say("== " + String.join(" ", Playbooks.commandLine("ansible-playbook", run)));
                Playbooks.Outcome o = playbooks.run(ansible, run);
                hosts.addAll(o.hosts());
                progress.say(o.describe() + (o.saved() != null ? "; result in " + display(o.saved()) : ""));
                if (o.result().isEmpty()) progress.say("basilica: warning: the run's result could not be read: " + o.resultError());
                if (!o.succeeded()) {
                    outcome = Outcome.CHECKS_FAILED;
                    break;
                }
            }
            log(new ArrayList<>(hosts), outcome);
            return outcome;
        } finally {
            end();
        }
    }

    /** Prints the playbook runs and their environment, running nothing. */
    public void printDryRun(List<PlaybookRun> runs) throws ModelException {
        Playbooks playbooks = playbooks();
        PrintWriter out = s.out();
        out.println("Would run in " + display(playbooks.ansibleDir()) + "/:");
        for (PlaybookRun r : runs) out.println("  " + String.join(" ", Playbooks.commandLine("ansible-playbook", r)));
        Map<String, String> env = new TreeMap<>(playbooks.environment());
        env.put("ANSIBLE_CONFIG", display(playbooks.ansibleDir().resolve("ansible.cfg")));
        out.println("with environment:");
        env.forEach((k, v) -> out.println("  " + k + "=" + v));
        out.flush();
    }

    /**
     * Marks the start of the work on hosts: from here on the command is logged once, also when Ctrl-C
     * ends it (a shutdown hook then logs it as interrupted, exit 130).
     */
    void begin() throws ModelException {
        started = Instant.now();
        outDir(); // resolved now, not inside the hook
        interruptLog = new Thread(() -> {
            try {
                log(List.of(), 130);
            } catch (ModelException e) {
                // the name was resolved before; cannot happen
            }
        }, "basilica-log-interrupted");
        Runtime.getRuntime().addShutdownHook(interruptLog);
    }

    /** Ends the work on hosts: a command not logged by now (it failed with an exception) is not logged as interrupted. */
    void end() {
        if (interruptLog == null || logged.get()) return;
        try {
            Runtime.getRuntime().removeShutdownHook(interruptLog);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C came first: the hook logs it
        }
    }

    /** Appends this command to {@code state/<env>/reports/operations.jsonl}, once. */
    void log(List<String> hosts, Outcome outcome) throws ModelException {
        log(hosts, outcome.logged(), Map.of());
    }

    /** As {@link #log(List, Outcome)}, with each phase's state ({@code provision all}). */
    void log(List<String> hosts, Outcome outcome, Map<String, String> phases) throws ModelException {
        log(hosts, outcome.logged(), phases);
    }

    private void log(List<String> hosts, int exitCode) throws ModelException {
        log(hosts, exitCode, Map.of());
    }

    private void log(List<String> hosts, int exitCode, Map<String, String> phases) throws ModelException {
        if (!logged.compareAndSet(false, true)) return;
        if (interruptLog != null && Thread.currentThread() != interruptLog) {
            try {
                Runtime.getRuntime().removeShutdownHook(interruptLog);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to; it will find the line written
            }
        }
        if (!Files.isDirectory(outDir())) return; // removed while it ran: do not make it again
        Duration elapsed = Duration.between(started != null ? started : Instant.now(), Instant.now());
        OperationLog.Entry e = new OperationLog.Entry(Instant.now(), OperationLog.operator(s.environment()),
                OperationLog.commandLine(s.commandLine()), envName(), hosts, OperationLog.outcome(exitCode), exitCode, elapsed, phases);
        try {
            new OperationLog(stateDir().resolve("reports")).append(e);
        } catch (IOException ex) {
            s.err().println("basilica: warning: could not append to the operation log: " + ex.getMessage());
        }
    }

    /**
     * The hosts {@code --limit} selects that run {@code service} (any service when null), or null after
     * printing why there are none to choose from (the outcome is then {@link Outcome#INVALID_INPUT}).
     */
    public List<Inventory.Host> hosts(ServiceKind service) throws ModelException, IOException {
        Inventory inv = inventory();
        if (inv == null) return null;
        try {
            return inv.running(inv.select(s.limit()), service);
        } catch (IllegalArgumentException e) {
            s.err().println("basilica: " + e.getMessage());
            s.err().flush();
            return null;
        }
    }

    /** ssh with the project's known_hosts, or null after printing the install hint. */
    public Ssh ssh() throws ModelException {
        Tool tool = require(Tool.SSH);
        return tool == null ? null : new Ssh(tool.path().toString(), stateDir().resolve("known_hosts"));
    }

    /** The units' states over this ssh. */
    public ServiceStatus serviceStatus(Ssh ssh) throws ModelException {
        return new ServiceStatus(runner, ssh, Duration.ofSeconds(60), outDir());
    }

    /** The journals over this ssh. */
    public JournalLogs journalLogs(Ssh ssh) {
        return new JournalLogs(runner, ssh, Duration.ofMinutes(2));
    }

    /** A dry run of per-host ssh commands (paths shown relative to the project). */
    public void printSsh(List<Inventory.Host> hosts, Function<Inventory.Host, String> remoteCommand, boolean asRoot)
            throws ModelException {
        Ssh ssh = new Ssh("ssh", s.home().relativize(stateDir().resolve("known_hosts")));
        s.out().println("Would run:");
        for (Inventory.Host h : hosts) s.out().println("  " + String.join(" ", ssh.command(h, remoteCommand.apply(h), asRoot)));
        s.out().flush();
    }
}
