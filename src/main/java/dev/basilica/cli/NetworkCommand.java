package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.operate.PlaybookRun;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "network",
        mixinStandardHelpOptions = true,
        description = {"Set up and test the SSH, keys, firewall and connectivity of an environment's hosts with the generated Ansible (the "
                + "parts of servers.yml, known-hosts.yml, rotate-ssh-key.yml and validate.yml that concern the "
                + "network)."},
        subcommands = {NetworkCommand.Setup.class, NetworkCommand.SshCmd.class, NetworkKeysCommand.class,
            NetworkCommand.Firewall.class, NetworkCommand.Test.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./scripts/provision/network.sh setup --env production",
            "  ./scripts/provision/network.sh keys --env production",
            "  ./scripts/provision/network.sh test --env production",
            "  ./scripts/provision/network.sh firewall --env production"})
public final class NetworkCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A network command: a fixed list of playbook runs. */
    abstract static class Action extends OperateCommand {
        Action(Context ctx) {
            super(ctx);
        }

        abstract List<PlaybookRun> runs();

        @Override
        public Integer call() throws IOException {
            List<PlaybookRun> runs;
            try {
                runs = runs();
            } catch (IllegalArgumentException e) {
                ctx.err().println("basilica: " + e.getMessage());
                return ExitCode.INVALID_INPUT;
            }
            try {
                return ExitCode.of(operation().runPlaybooks(runs));
            } catch (ModelException e) {
                return ctx.rejected(e, "nothing was run.");
            }
        }

        PlaybookRun servers(String... tags) {
            return PlaybookRun.of("servers.yml").limit(options.limit).tags(List.of(tags));
        }

        PlaybookRun firstContact() {
            return PlaybookRun.of("known-hosts.yml").limit(options.limit);
        }
    }

    @Command(name = "setup", mixinStandardHelpOptions = true,
            description = {"Set up the network side of the hosts: record new hosts' SSH keys (known-hosts.yml), then sshd "
                + "hardening, the services' SSH keys and the firewall (servers.yml --tags "
                + "ssh_hardening,service_ssh,firewall)."},
            footerHeading = "%nExamples:%n",
            footer = {"  ./scripts/provision/network.sh setup --env production"})
    static final class Setup extends Action {
        Setup(Context ctx) {
            super(ctx);
        }

        @Override
        List<PlaybookRun> runs() {
            return List.of(firstContact(), servers("ssh_hardening", "service_ssh", "firewall"));
        }
    }

    @Command(name = "ssh", mixinStandardHelpOptions = true,
            description = {"Set up SSH connectivity: record new hosts' keys in state/NAME/known_hosts (known-hosts.yml), then harden "
                + "sshd and set up the services' SSH between miners, executors and validators (servers.yml --tags "
                + "ssh_hardening,service_ssh)."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica network ssh --env staging --limit staging-executor-3"})
    static final class SshCmd extends Action {
        SshCmd(Context ctx) {
            super(ctx);
        }

        @Override
        List<PlaybookRun> runs() {
            return List.of(firstContact(), servers("ssh_hardening", "service_ssh"));
        }
    }

    @Command(name = "firewall", mixinStandardHelpOptions = true,
            description = {"Enforce the firewall from the model's firewall plan (servers.yml --tags firewall): SSH allowed "
                + "first, then the modelled rules, then default deny; Docker's ports included."},
            footerHeading = "%nExamples:%n",
            footer = {"  ./scripts/provision/network.sh firewall --env production"})
    static final class Firewall extends Action {
        Firewall(Context ctx) {
            super(ctx);
        }

        @Override
        List<PlaybookRun> runs() {
            return List.of(servers("firewall"));
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Test connectivity: every host reachable over SSH with its pinned key, the miners reach their "
                + "executors and the validators reach miners and executors, and the firewall is active "
                + "(validate.yml --tags validate_network,validate_firewall)."},
            footerHeading = "%nExamples:%n",
            footer = {"  ./scripts/provision/network.sh test --env production"})
    static final class Test extends Action {
        Test(Context ctx) {
            super(ctx);
        }

        @Override
        List<PlaybookRun> runs() {
            return List.of(PlaybookRun.of("validate.yml").limit(options.limit).tags(List.of("validate_network", "validate_firewall")));
        }
    }
}
