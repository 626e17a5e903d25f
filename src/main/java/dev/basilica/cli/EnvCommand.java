package dev.basilica.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "env",
        mixinStandardHelpOptions = true,
        description = "Create, check, show and import environment models.",
        subcommands = {EnvCheckCommand.class, EnvShowCommand.class, EnvInitCommand.class, EnvImportCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  basilica env check --env production",
            "  basilica env show --env staging",
            "  basilica env init lab --tier staging",
            "  basilica env import old/production.conf --name production"})
public final class EnvCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
