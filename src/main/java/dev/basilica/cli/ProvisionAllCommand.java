package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.operate.Operation;
import dev.basilica.operate.Provisioning;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.run.Tool;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code provision all}: generate, then servers, configure, deploy, start and validate. */
@Command(name = "all", mixinStandardHelpOptions = true,
        description = {"Run every phase in order: generate out/NAME/ (unless --no-generate), servers.yml, configure.yml, "
            + "deploy.yml, start.yml, then validation (the live checks of 'basilica validate all'; validate.yml with --limit). Stops at the first phase that fails and "
            + "prints which phases were done, failed or not run. Terraform is not applied here: review it with "
            + "'basilica plan' and apply it yourself."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica provision all --env production", "  basilica provision all --env staging --first-contact",
            "  basilica provision all --dry-run"})
final class ProvisionAllCommand extends OperateCommand {
    @Option(names = "--no-generate", description = "Use out/NAME/ as it is instead of generating it first.")
    boolean noGenerate;

    @Option(names = "--first-contact",
            description = "Run known-hosts.yml first: record new hosts' SSH keys (trust on first use).")
    boolean firstContact;

    @Option(names = "--only-limit",
            description = "With --limit: converge only those hosts, not also the hosts a change since the last applied "
                    + "configuration affects (such as an added executor's miner and the monitoring host).")
    boolean onlyLimit;

    @Option(names = "--changed",
            description = "Converge only the hosts whose generated files changed since this machine last applied them, and "
                    + "hosts it never provisioned: the one command after adding, removing or moving an executor.")
    boolean changed;

    ProvisionAllCommand(Context ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws IOException {
        try {
            Operation op = operation();
            if (onlyLimit && changed) {
                ctx.err().println("basilica: --only-limit and --changed contradict each other; give one");
                ctx.err().flush();
                return ExitCode.INVALID_INPUT;
            }
            Provisioning.Reach reach = onlyLimit ? Provisioning.Reach.ONLY_LIMIT
                    : changed ? Provisioning.Reach.CHANGED : Provisioning.Reach.AFFECTED;
            Provisioning provisioning = new Provisioning(op, () -> FleetPlanner.plan(model.load(ctx.workspace())));
            if (options.dryRun) return ExitCode.of(provisioning.printAll(!noGenerate, firstContact, reach));
            Tool ansible = op.require(Tool.ANSIBLE_PLAYBOOK);
            if (ansible == null) return ExitCode.TOOL_MISSING;
            if (!noGenerate) {
                int code = GenerateCommand.generate(ctx, model);
                if (code != ExitCode.OK) return code;
            } else if (!op.generated()) {
                return ExitCode.of(op.noOutput());
            }
            return ExitCode.of(provisioning.all(ansible, firstContact, reach));
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was run.");
        }
    }
}
