package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.operate.Operation;
import dev.basilica.operate.Provisioning;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.run.Tool;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code provision all}: generate, then terraform (cloud models), servers, configure, deploy, start and validate. */
@Command(name = "all", mixinStandardHelpOptions = true,
        description = {"Runs every phase in order: it generates out/NAME/ (unless --no-generate), then for a model with a cloud "
            + "provider runs the terraform phase, then servers.yml, configure.yml, deploy.yml, start.yml and the validation "
            + "(the live checks of 'basilica validate all'; validate.yml with --limit). It stops at the first phase that fails "
            + "and prints which phases were done, failed, skipped or not run.",
            "The terraform phase comes before the hosts are touched, so that the cloud firewalls let SSH and the services "
            + "through when the playbooks and the validation need them. It applies only what the operator has seen: the plan "
            + "that 'basilica plan' saved, refused as 'basilica apply' refuses it (stale, or deleting a firewall or network "
            + "without --allow-destroy). Without a saved plan it checks with 'terraform plan -detailed-exitcode' that there "
            + "is nothing to change, and fails, before any host is touched, when there is. With --limit the phase is "
            + "skipped, because the Terraform state covers the whole fleet; --no-terraform skips it too."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica provision all --env production", "  basilica provision all --env staging --first-contact",
            "  basilica plan --env production && basilica provision all --env production",
            "                                 review the Terraform plan, then apply it and provision",
            "  basilica provision all --dry-run"})
final class ProvisionAllCommand extends OperateCommand {
    @Option(names = "--no-generate", description = "Use out/NAME/ as it is instead of generating it first.")
    boolean noGenerate;

    @Option(names = "--first-contact",
            description = "Run known-hosts.yml before servers.yml on the hosts whose SSH key is not recorded yet: "
                    + "record their keys (trust on first use). A recorded key is never replaced.")
    boolean firstContact;

    @Option(names = "--only-limit",
            description = "With --limit: converge only those hosts, not also the hosts a change since the last applied "
                    + "configuration affects (such as an added executor's miner and the monitoring host).")
    boolean onlyLimit;

    @Option(names = "--changed",
            description = "Converge only the hosts whose generated files changed since this machine last applied them, and "
                    + "hosts it never provisioned: the one command after adding, removing or moving an executor.")
    boolean changed;

    @Option(names = "--no-terraform",
            description = "Skip the terraform phase: leave the cloud firewalls and networks as they are.")
    boolean noTerraform;

    @Mixin
    TerraformApplyOptions apply;

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
            var terraform = new Provisioning.TerraformOptions(!noTerraform, apply.allowDestroy, apply.lockTimeout());
            if (options.dryRun) return ExitCode.of(provisioning.printAll(!noGenerate, firstContact, reach, terraform));
            Tool ansible = op.require(Tool.ANSIBLE_PLAYBOOK);
            if (ansible == null) return ExitCode.TOOL_MISSING;
            if (!noGenerate) {
                int code = GenerateCommand.generate(ctx, model);
                if (code != ExitCode.OK) return code;
            } else if (!op.generated()) {
                return ExitCode.of(op.noOutput());
            }
            return ExitCode.of(provisioning.all(ansible, firstContact, reach, terraform));
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was run.");
        }
    }
}
