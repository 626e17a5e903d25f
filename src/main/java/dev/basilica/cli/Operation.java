package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.operate.Inventory;
import dev.basilica.operate.OperationLog;
import dev.basilica.operate.PlaybookRun;
import dev.basilica.operate.Playbooks;
import dev.basilica.operate.Progress;
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
        return new Playbooks(runner, outDir(), progress, Duration.ofMinutes(Math.max(1, options.timeoutMinutes)));
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
        Instant start = Instant.now();
        Playbooks playbooks = playbooks();
        TreeSet<String> hosts = new TreeSet<>();
        int code = ExitCode.OK;
        for (PlaybookRun run : runs) {
            progress.say("== " + String.join(" ", Playbooks.commandLine("ansible-playbook", run)));
            Playbooks.Outcome o = playbooks.run(ansible, run);
            hosts.addAll(o.hosts());
            progress.say(o.describe() + (o.saved() != null ? "; result in " + ctx.workspace().display(o.saved()) : ""));
            if (!o.succeeded()) {
                code = ExitCode.CHECKS_FAILED;
                break;
            }
        }
        log(new ArrayList<>(hosts), code, Duration.between(start, Instant.now()));
        return code;
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

    /** Appends this command to {@code out/<env>/reports/operations.jsonl}. */
    void log(List<String> hosts, int exitCode, Duration elapsed) throws ModelException {
        List<String> args = spec.root().commandLine().getParseResult() != null
                ? spec.root().commandLine().getParseResult().originalArgs() : List.of(spec.qualifiedName());
        OperationLog.Entry e = new OperationLog.Entry(Instant.now(), OperationLog.operator(ctx.environment()),
                OperationLog.commandLine(args), envName(), hosts, OperationLog.outcome(exitCode), exitCode, elapsed);
        try {
            new OperationLog(outDir().resolve("reports")).append(e);
        } catch (IOException ex) {
            ctx.err().println("basilica: warning: could not append to the operation log: " + ex.getMessage());
        }
    }

    /** Hosts a --limit selects in the inventory, for the log when a run reported none. */
    List<String> hostNames(Inventory inv, String service) {
        return inv.running(inv.select(options.limit), service).stream().map(Inventory.Host::name).toList();
    }
}
