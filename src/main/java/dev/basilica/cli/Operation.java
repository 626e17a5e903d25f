package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.operate.Inventory;
import dev.basilica.operate.OperationLog;
import dev.basilica.operate.PlaybookRun;
import dev.basilica.operate.Playbooks;
import dev.basilica.operate.Progress;
import dev.basilica.operate.Ssh;
import dev.basilica.run.Tool;
import dev.basilica.run.ToolMissingException;
import dev.basilica.run.ToolRunner;
import java.io.IOException;
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
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the commands that act on hosts share: which environment's {@code out/} they drive, the tools, the
 * progress printer, the dry run, the operation log and the exit codes. Commands stay thin: they say which
 * playbooks (or which remote reads) and this does the rest.
 */
final class Operation {

    private final Context ctx;
    private final CommandSpec spec;
    private final ModelOptions model;
    private final OperateOptions options;
    private final ToolRunner runner;
    private final Progress progress;
    private String envName;
    private Instant started;
    private Thread interruptLog;
    private final AtomicBoolean logged = new AtomicBoolean();

    Operation(Context ctx, CommandSpec spec, ModelOptions model, OperateOptions options) {
        this.ctx = ctx;
        this.spec = spec;
        this.model = model;
        this.options = options;
        this.runner = new ToolRunner(ctx.environment());
        this.progress = new Progress(ctx.err(), ReportCommand.colour(ReportCommand.When.AUTO, ctx.environment(), System.console() != null));
    }

    /** The environment's name: {@code --env}, or the name inside {@code --file}'s model. */
    String envName() throws ModelException {
        if (envName == null) envName = model.file == null ? model.env : model.load(ctx.workspace()).environment().name();
        return envName;
    }

    Path outDir() throws ModelException {
        return ctx.workspace().defaultOut(envName());
    }

    /** {@code state/<env>/}: known hosts, reports, the operation log, Terraform state. */
    Path stateDir() throws ModelException {
        return ctx.workspace().stateDir(envName());
    }

    String limit() {
        return options.limit;
    }

    boolean dryRun() {
        return options.dryRun;
    }

    Progress progress() {
        return progress;
    }

    ToolRunner runner() {
        return runner;
    }

    Playbooks playbooks() throws ModelException {
        return new Playbooks(runner, outDir(), stateDir(), progress, Duration.ofMinutes(Math.max(1, options.timeoutMinutes)));
    }

    /** The generated inventory, or null after printing why there is none. */
    Inventory inventory() throws ModelException, IOException {
        Path ansible = outDir().resolve("ansible");
        if (!Files.isRegularFile(ansible.resolve("inventory/hosts.yml"))) {
            noOutput();
            return null;
        }
        return Inventory.read(ansible, ctx.environment().get("HOME"));
    }

    /** Prints that the environment has not been generated; returns the exit code for it. */
    int noOutput() throws ModelException {
        ctx.err().println("basilica: " + ctx.workspace().display(outDir().resolve("ansible")) + "/ does not exist; run 'basilica generate --env "
                + envName() + "' first");
        ctx.err().flush();
        return ExitCode.INVALID_INPUT;
    }

    /** The tool, or null after printing the install hint (the caller returns {@link ExitCode#TOOL_MISSING}). */
    Tool require(Tool.Kind kind) {
        try {
            return runner.require(kind);
        } catch (ToolMissingException e) {
            return missing(e);
        }
    }

    Tool missing(ToolMissingException e) {
        ctx.err().println("basilica: " + e.getMessage());
        ctx.err().flush();
        return null;
    }

    /**
     * Runs these playbooks in order, stopping at the first that fails, and logs the operation. With
     * {@code --dry-run} prints them instead.
     */
    int runPlaybooks(List<PlaybookRun> runs) throws ModelException, IOException {
        if (options.dryRun) {
            printDryRun(runs);
            return ExitCode.OK;
        }
        if (!Files.isDirectory(outDir().resolve("ansible"))) return noOutput();
        Tool ansible = require(Tool.ANSIBLE_PLAYBOOK);
        if (ansible == null) return ExitCode.TOOL_MISSING;
        begin();
        try {
            Playbooks playbooks = playbooks();
            TreeSet<String> hosts = new TreeSet<>();
            int code = ExitCode.OK;
            for (PlaybookRun run : runs) {
                progress.say("== " + String.join(" ", Playbooks.commandLine("ansible-playbook", run)));
                Playbooks.Outcome o = playbooks.run(ansible, run);
                hosts.addAll(o.hosts());
                progress.say(o.describe() + (o.saved() != null ? "; result in " + ctx.workspace().display(o.saved()) : ""));
                if (o.result().isEmpty()) progress.say("basilica: warning: the run's result could not be read: " + o.resultError());
                if (!o.succeeded()) {
                    code = ExitCode.CHECKS_FAILED;
                    break;
                }
            }
            log(new ArrayList<>(hosts), code);
            return code;
        } finally {
            end();
        }
    }

    void printDryRun(List<PlaybookRun> runs) throws ModelException {
        Playbooks playbooks = playbooks();
        ctx.out().println("Would run in " + ctx.workspace().display(playbooks.ansibleDir()) + "/:");
        for (PlaybookRun r : runs) ctx.out().println("  " + String.join(" ", Playbooks.commandLine("ansible-playbook", r)));
        Map<String, String> env = new TreeMap<>(playbooks.environment());
        env.put("ANSIBLE_CONFIG", ctx.workspace().display(playbooks.ansibleDir().resolve("ansible.cfg")));
        ctx.out().println("with environment:");
        env.forEach((k, v) -> ctx.out().println("  " + k + "=" + v));
        ctx.out().flush();
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
    void log(List<String> hosts, int exitCode) throws ModelException {
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
        List<String> args = spec.root().commandLine().getParseResult() != null
                ? spec.root().commandLine().getParseResult().originalArgs() : List.of(spec.qualifiedName());
        OperationLog.Entry e = new OperationLog.Entry(Instant.now(), OperationLog.operator(ctx.environment()),
                OperationLog.commandLine(args), envName(), hosts, OperationLog.outcome(exitCode), exitCode, elapsed);
        try {
            new OperationLog(stateDir().resolve("reports")).append(e);
        } catch (IOException ex) {
            ctx.err().println("basilica: warning: could not append to the operation log: " + ex.getMessage());
        }
    }

    /**
     * The hosts {@code --limit} selects that run {@code service} (any service when null), or null after
     * printing why there are none to choose from (the caller returns {@link ExitCode#INVALID_INPUT}).
     */
    List<Inventory.Host> hosts(String service) throws ModelException, IOException {
        Inventory inv = inventory();
        if (inv == null) return null;
        try {
            return inv.running(inv.select(options.limit), service);
        } catch (IllegalArgumentException e) {
            ctx.err().println("basilica: " + e.getMessage());
            ctx.err().flush();
            return null;
        }
    }

    /** ssh with the project's known_hosts, or null after printing the install hint. */
    Ssh ssh() throws ModelException {
        Tool tool = require(Tool.SSH);
        return tool == null ? null : new Ssh(tool.path().toString(), stateDir().resolve("known_hosts"));
    }

    /** A dry run of per-host ssh commands (paths shown relative to the project). */
    void printSsh(List<Inventory.Host> hosts, Function<Inventory.Host, String> remoteCommand, boolean asRoot) throws ModelException {
        Ssh ssh = new Ssh("ssh", ctx.workspace().home().relativize(stateDir().resolve("known_hosts")));
        ctx.out().println("Would run:");
        for (Inventory.Host h : hosts) ctx.out().println("  " + String.join(" ", ssh.command(h, remoteCommand.apply(h), asRoot)));
        ctx.out().flush();
    }
}
