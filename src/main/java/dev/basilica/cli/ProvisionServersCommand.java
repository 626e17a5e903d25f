package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.operate.PlaybookRun;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code provision servers}: servers.yml. */
@Command(name = "servers", mixinStandardHelpOptions = true,
        description = {"Set up the servers (servers.yml): apt sources, base packages, users and directories, SSH "
            + "hardening and the services' keys, NVIDIA driver and toolkit, Docker, Rust, monitoring agents, "
            + "and last the firewall."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica provision servers --env production", "  basilica provision servers --env staging --first-contact --limit staging-executor-3"})
final class ProvisionServersCommand extends OperateCommand {
    @Option(names = "--first-contact",
            description = "Run known-hosts.yml first: record new hosts' SSH keys (trust on first use).")
    boolean firstContact;

    ProvisionServersCommand(Context ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws IOException {
        List<PlaybookRun> runs = new ArrayList<>();
        if (firstContact) runs.add(PlaybookRun.of("known-hosts.yml").limit(options.limit));
        runs.add(PlaybookRun.of("servers.yml").limit(options.limit));
        try {
            return ExitCode.of(operation().runPlaybooks(runs));
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was run.");
        }
    }
}
