package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.operate.PlaybookRun;
import dev.basilica.plan.ServiceKind;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** start, stop and restart: one generated playbook, narrowed to one service by its play tag. */
abstract class ManagePlaybookCommand extends OperateCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE", converter = Vocabulary.Service.class,
            completionCandidates = Vocabulary.ServicesInStartOrder.class,
            description = "Only this service (${COMPLETION-CANDIDATES}); default: all, in dependency order.")
    ServiceKind service;

    ManagePlaybookCommand(Context ctx) {
        super(ctx);
    }

    abstract String playbook();

    @Override
    public Integer call() throws IOException {
        PlaybookRun run = PlaybookRun.of(playbook()).limit(options.limit);
        if (service != null) run = run.tags(List.of(service.id()));
        try {
            return ExitCode.of(operation().runPlaybooks(List.of(run)));
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was run.");
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start the services in dependency order: executors, then miners, then validators (each must "
                + "listen before the next starts). Runs start.yml."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica manage start --env production", "  basilica manage start executor", "  ./scripts/provision/services.sh start executor"})
    static final class Start extends ManagePlaybookCommand {
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
    static final class Stop extends ManagePlaybookCommand {
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
    static final class Restart extends ManagePlaybookCommand {
        Restart(Context ctx) {
            super(ctx);
        }

        @Override
        String playbook() {
            return "restart.yml";
        }
    }
}
