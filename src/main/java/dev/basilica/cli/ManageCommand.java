package dev.basilica.cli;

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

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
