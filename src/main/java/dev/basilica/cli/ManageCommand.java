package dev.basilica.cli;

import dev.basilica.model.Suggestions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "manage",
        mixinStandardHelpOptions = true,
        description = {"Operate the services on the hosts of an environment: their state, start and stop in dependency "
                + "order (executor, miner, validator; stop in reverse), and their journals. Start, stop and "
                + "restart run the generated start.yml, stop.yml and restart.yml."},
        subcommands = {
            ManageStatusCommand.class,
            ManagePlaybookCommand.Start.class,
            ManagePlaybookCommand.Stop.class,
            ManagePlaybookCommand.Restart.class,
            ManageLogsCommand.class,
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
}
