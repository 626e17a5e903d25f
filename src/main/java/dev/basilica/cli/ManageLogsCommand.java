package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.operate.Inventory;
import dev.basilica.operate.JournalLogs;
import dev.basilica.operate.Operation;
import dev.basilica.operate.Ssh;
import dev.basilica.plan.ServiceKind;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print the services' journals (journalctl -u basilica-SERVICE over SSH), each line prefixed with "
            + "its host. --follow streams new lines until Ctrl-C, which ends the ssh connections cleanly. A "
            + "non-root SSH user reads the journal through sudo -n."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica manage logs executor --follow", "  basilica manage logs validator --lines 500 | grep ERROR"})
final class ManageLogsCommand extends OperateCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE", converter = Vocabulary.Service.class,
            completionCandidates = Vocabulary.ServicesInStartOrder.class,
            description = "Only this service (${COMPLETION-CANDIDATES}); default: every service of each host.")
    ServiceKind service;

    @Option(names = {"-F", "--follow"}, description = "Keep streaming new lines until interrupted (Ctrl-C).")
    boolean follow;

    @Option(names = {"-N", "--lines"}, paramLabel = "N", defaultValue = "100",
            description = "How many of the latest lines to show first (default: ${DEFAULT-VALUE}).")
    int lines;

    ManageLogsCommand(Context ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws IOException {
        if (lines < 0) {
            ctx.err().println("basilica: --lines must be 0 or more, not " + lines);
            return ExitCode.INVALID_INPUT;
        }
        try {
            Operation op = operation();
            List<Inventory.Host> hosts = op.hosts(service);
            if (hosts == null) return ExitCode.INVALID_INPUT;
            if (hosts.isEmpty()) {
                ctx.err().println("basilica: no selected host runs " + (service != null ? "the " + service.id() : "a Basilica service"));
                return ExitCode.INVALID_INPUT;
            }
            if (options.dryRun) {
                op.printSsh(hosts, h -> JournalLogs.remoteCommand(service != null ? List.of(service) : h.services(), lines, follow), true);
                return ExitCode.OK;
            }
            Ssh ssh = op.ssh();
            if (ssh == null) return ExitCode.TOOL_MISSING;
            JournalLogs logs = op.journalLogs(ssh);
            Object lock = new Object();
            java.util.function.Consumer<String> out = l -> {
                synchronized (lock) {
                    ctx.out().println(l);
                    ctx.out().flush();
                }
            };
            java.util.function.Consumer<String> err = l -> {
                synchronized (lock) {
                    ctx.err().println(l);
                    ctx.err().flush();
                }
            };
            int failed;
            if (follow) {
                try {
                    failed = logs.follow(hosts, service, lines, out, err);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ExitCode.OK;
                }
            } else {
                failed = logs.show(hosts, service, lines, out, err);
            }
            return failed == 0 ? ExitCode.OK : ExitCode.CHECKS_FAILED;
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was run.");
        }
    }
}
