package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.operate.TerraformApply;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "apply",
        mixinStandardHelpOptions = true,
        description = {"Applies the Terraform plan that 'basilica plan' saved (state/NAME/terraform/basilica.tfplan) and "
                + "nothing else: it refuses, changing nothing, when there is no saved plan, when the plan is stale (a file "
                + "of out/NAME/terraform/ or the state changed since it was made), or when the plan deletes or replaces a "
                + "firewall or network and --allow-destroy is not given. Terraform holds the state lock while it applies "
                + "and waits up to --lock-timeout for another run to let go of it. Progress streams as it runs; the result "
                + "is written to state/NAME/reports/apply/ (the output of terraform to reports/terraform-apply.log) and "
                + "to the operation log. Exit 1 when it refused or the apply failed."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica plan --env production --no-ansible   save a plan, and review it",
                "  basilica apply --env production               apply exactly that plan",
                "  basilica apply --env production --allow-destroy",
                "                                                a reviewed plan that replaces a firewall",
                "  basilica apply --env production --dry-run     print the commands, run nothing"})
public final class ApplyCommand extends OperateCommand {
    @Mixin
    TerraformApplyOptions apply;

    public ApplyCommand(Context ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws IOException {
        if (options.limit != null) {
            ctx.err().println("basilica: apply changes the whole Terraform state; --limit does not apply to it");
            ctx.err().flush();
            return ExitCode.INVALID_INPUT;
        }
        try {
            return ExitCode.of(new TerraformApply(operation()).run(apply.allowDestroy, apply.lockTimeout()));
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was applied.");
        }
    }
}
