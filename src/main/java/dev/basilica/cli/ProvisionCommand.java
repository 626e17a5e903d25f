package dev.basilica.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "provision",
        mixinStandardHelpOptions = true,
        description = {"Run the provisioning phases of the provisioning README with the generated Ansible in "
                + "out/NAME/ansible/: servers (servers.yml), configure (generate; --apply also runs "
                + "configure.yml), validate (the live checks of 'basilica validate all'), and all of them in order."},
        subcommands = {ProvisionAllCommand.class, ProvisionServersCommand.class, ProvisionConfigureCommand.class,
            ProvisionValidateCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./scripts/basilica.sh provision all --env production",
            "  ./scripts/basilica.sh provision servers --env staging --limit staging-executor-1",
            "  ./scripts/basilica.sh provision configure --env production",
            "  ./scripts/provision/provision.sh configure --env staging --check"})
public final class ProvisionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
