package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.operate.PlaybookRun;
import dev.basilica.plan.ServiceKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "deploy",
        mixinStandardHelpOptions = true,
        description = {"Deploy the binaries (deploy.yml): source builds on the build host, then each service's binary, "
                + "the replaced one kept as <binary>.previous. Given a service, only that service's plays run (its "
                + "play tag). ENV may be given as the first argument or with --env."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  basilica deploy production",
            "  basilica deploy production validator",
            "  basilica deploy --env staging --limit staging-executor-1 executor",
            "  ./scripts/provision/services.sh deploy production validator"})
public final class DeployCommand extends OperateCommand {
    @Parameters(arity = "0..2", paramLabel = "ENV [SERVICE]",
            description = "The environment (default: --env), then optionally one service (executor, miner or validator).")
    List<String> positional = new ArrayList<>();

    public DeployCommand(Context ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws IOException {
        String service = null;
        List<String> args = new ArrayList<>(positional);
        // 'deploy validator' (no environment) reads as the service of the --env environment.
        if (args.size() == 1 && ServiceKind.byId(args.get(0)).isPresent()) {
            service = args.remove(0);
        } else if (args.size() == 2) {
            service = args.remove(1);
        }
        if (!args.isEmpty()) {
            String env = args.get(0);
            boolean envGiven = spec.commandLine().getParseResult().hasMatchedOption("--env");
            if (envGiven && !env.equals(model.env)) {
                ctx.err().println("basilica: the environment is given twice: '" + env + "' and --env " + model.env);
                return ExitCode.INVALID_INPUT;
            }
            model.env = env;
        }
        PlaybookRun run = PlaybookRun.of("deploy.yml").limit(options.limit);
        if (service != null) {
            try {
                run = run.tags(List.of(new Vocabulary.Service().convert(service).id()));
            } catch (Vocabulary.Unknown e) {
                ctx.err().println("basilica: " + e.getMessage());
                ctx.err().flush();
                return ExitCode.INVALID_INPUT;
            }
        }
        try {
            return ExitCode.of(operation().runPlaybooks(List.of(run)));
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was run.");
        }
    }
}
