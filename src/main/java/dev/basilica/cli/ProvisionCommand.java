package dev.basilica.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "provision",
        mixinStandardHelpOptions = true,
        description = "Provisioning phases of the provisioning README (configure: generate the configuration).",
        subcommands = {ProvisionCommand.Configure.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./scripts/basilica.sh provision configure --env production",
            "  ./scripts/provision/provision.sh configure --env staging --check"})
public final class ProvisionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code provision configure}: the configuration phase, which is {@code generate}. */
    @Command(name = "configure", aliases = "config", mixinStandardHelpOptions = true,
            description = {"Generate the service configurations and units into out/NAME/ (same as 'basilica generate')."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica provision configure --env production", "  basilica provision configure --service validator"})
    public static final class Configure extends GenerateCommand {
        public Configure(Context ctx) {
            super(ctx);
        }
    }
}
