package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.model.Suggestions;
import dev.basilica.operate.Inventory;
import dev.basilica.operate.JournalLogs;
import dev.basilica.operate.PlaybookRun;
import dev.basilica.operate.ServiceStatus;
import dev.basilica.operate.Ssh;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "manage",
        mixinStandardHelpOptions = true,
        description = {"Operate the services on the hosts of an environment: their state, start and stop in dependency "
                + "order (executor, miner, validator; stop in reverse), and their journals. Start, stop and "
                + "restart run the generated start.yml, stop.yml and restart.yml."},
        subcommands = {
            ManageCommand.Status.class,
            ManageCommand.Start.class,
            ManageCommand.Stop.class,
            ManageCommand.Restart.class,
            ManageCommand.Logs.class,
            DeployCommand.class,
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  basilica manage status --env production",
            "  basilica manage start                      # every service, executor first",
            "  basilica manage stop validator",
            "  basilica manage logs executor --follow",
            "  ./scripts/provision/services.sh start executor"})
public final class ManageCommand implements Runnable {

    static final List<String> SERVICES = List.of("executor", "miner", "validator");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class ServiceCandidates extends ArrayList<String> {
        ServiceCandidates() {
            super(SERVICES);
        }
    }

    /** True when the service is known (or not given); else prints the problem and returns false. */
    static boolean knownService(Context ctx, String service) {
        if (service == null || SERVICES.contains(service)) return true;
        ctx.err().println("basilica: unknown service '" + service + "'; expected executor, miner or validator"
                + Suggestions.didYouMean(service, SERVICES));
        ctx.err().flush();
        return false;
    }

    /** start, stop and restart: one generated playbook, narrowed to one service by its play tag. */
    abstract static class PlaybookAction extends OperateCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE", completionCandidates = ServiceCandidates.class,
                description = "Only this service (${COMPLETION-CANDIDATES}); default: all, in dependency order.")
        String service;

        PlaybookAction(Context ctx) {
            super(ctx);
        }

        abstract String playbook();

        @Override
        public Integer call() throws IOException {
            if (!knownService(ctx, service)) return ExitCode.INVALID_INPUT;
            PlaybookRun run = PlaybookRun.of(playbook()).limit(options.limit);
            if (service != null) run = run.tags(List.of(service));
            try {
                return new Operation(ctx, spec, model, options).runPlaybooks(List.of(run));
            } catch (ModelException e) {
                return ctx.rejected(e, "nothing was run.");
            }
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start the services in dependency order: executors, then miners, then validators (each must "
                + "listen before the next starts). Runs start.yml."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica manage start --env production", "  basilica manage start executor", "  ./scripts/provision/services.sh start executor"})
    static final class Start extends PlaybookAction {
        Start(Context ctx) {
            super(ctx);
        }

        @Override
        String playbook() {
            return "start.yml";
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = {"Stop the services in reverse dependency order: validators, miners, executors.",
                "Runs stop.yml."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica manage stop validator", "  basilica manage stop --env staging --limit staging-validator-1"})
    static final class Stop extends PlaybookAction {
        Stop(Context ctx) {
            super(ctx);
        }

        @Override
        String playbook() {
            return "stop.yml";
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = {"Stop (reverse order), then start (dependency order).",
                "Runs restart.yml."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica manage restart", "  basilica manage restart miner --env staging"})
    static final class Restart extends PlaybookAction {
        Restart(Context ctx) {
            super(ctx);
        }

        @Override
        String playbook() {
            return "restart.yml";
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show each service's unit state on each host (systemctl show over SSH, with the inventory's "
                + "address, port, user and key, and the project's known_hosts). Exit 1 when a unit is not active "
                + "or a host is unreachable."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica manage status --env production", "  basilica manage status executor --limit executors"})
    static final class Status extends OperateCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE", completionCandidates = ServiceCandidates.class,
                description = "Only this service (${COMPLETION-CANDIDATES}).")
        String service;

        Status(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException {
            if (!knownService(ctx, service)) return ExitCode.INVALID_INPUT;
            try {
                Operation op = new Operation(ctx, spec, model, options);
                List<Inventory.Host> hosts = op.hosts(service);
                if (hosts == null) return ExitCode.INVALID_INPUT;
                if (options.dryRun) {
                    op.printSsh(hosts, h -> ServiceStatus.remoteCommand(service != null ? List.of(service) : h.services()), false);
                    return ExitCode.OK;
                }
                Ssh ssh = op.ssh();
                if (ssh == null) return ExitCode.TOOL_MISSING;
                List<ServiceStatus.Row> rows = new ServiceStatus(op.runner(), ssh, Duration.ofSeconds(60)).read(hosts, service);
                ServiceStatus.table(rows).forEach(ctx.out()::println);
                ctx.out().flush();
                return rows.stream().allMatch(ServiceStatus.Row::running) ? ExitCode.OK : ExitCode.CHECKS_FAILED;
            } catch (ModelException e) {
                return ctx.rejected(e, "nothing was run.");
            }
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true,
            description = {"Print the services' journals (journalctl -u basilica-SERVICE over SSH), each line prefixed with "
                + "its host. --follow streams new lines until Ctrl-C, which ends the ssh connections cleanly. A "
                + "non-root SSH user reads the journal through sudo -n."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica manage logs executor --follow", "  basilica manage logs validator --lines 500 | grep ERROR"})
    static final class Logs extends OperateCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE", completionCandidates = ServiceCandidates.class,
                description = "Only this service (${COMPLETION-CANDIDATES}); default: every service of each host.")
        String service;

        @Option(names = {"-F", "--follow"}, description = "Keep streaming new lines until interrupted (Ctrl-C).")
        boolean follow;

        @Option(names = {"-N", "--lines"}, paramLabel = "N", defaultValue = "100",
                description = "How many of the latest lines to show first (default: ${DEFAULT-VALUE}).")
        int lines;

        Logs(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException {
            if (!knownService(ctx, service)) return ExitCode.INVALID_INPUT;
            if (lines < 0) {
                ctx.err().println("basilica: --lines must be 0 or more, not " + lines);
                return ExitCode.INVALID_INPUT;
            }
            try {
                Operation op = new Operation(ctx, spec, model, options);
                List<Inventory.Host> hosts = op.hosts(service);
                if (hosts == null) return ExitCode.INVALID_INPUT;
                if (hosts.isEmpty()) {
                    ctx.err().println("basilica: no selected host runs " + (service != null ? "the " + service : "a Basilica service"));
                    return ExitCode.INVALID_INPUT;
                }
                if (options.dryRun) {
                    op.printSsh(hosts, h -> JournalLogs.remoteCommand(service != null ? List.of(service) : h.services(), lines, follow), true);
                    return ExitCode.OK;
                }
                Ssh ssh = op.ssh();
                if (ssh == null) return ExitCode.TOOL_MISSING;
                JournalLogs logs = new JournalLogs(op.runner(), ssh, Duration.ofMinutes(2));
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
}
