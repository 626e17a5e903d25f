package dev.basilica.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "configure",
        mixinStandardHelpOptions = true,
        description = "Generate the services' configuration, or check the model (what scripts/provision/configure.sh runs).",
        subcommands = {GenerateCommand.class, ConfigureCommand.Validate.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./scripts/provision/configure.sh generate --env production",
            "  ./scripts/provision/configure.sh generate --service validator --env production",
            "  ./scripts/provision/configure.sh validate --env staging"})
public final class ConfigureCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code configure validate}: check the model (same as {@code env check}). */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check the model and report every problem (same as 'basilica env check').")
    public static final class Validate extends EnvCheckCommand {
        public Validate(Context ctx) {
            super(ctx);
        }
    }
}
