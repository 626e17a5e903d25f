package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.operate.Provisioning;
import dev.basilica.plan.FleetPlanner;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code provision validate}: the validation phase. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Validate the fleet with the live checks of 'basilica validate all' (network, services, security, "
            + "workflow, performance), writing the report to state/NAME/reports/validate.*. With --limit, the generated "
            + "validate.yml on those hosts instead: services running and listening, the paths between services, secrets "
            + "root-only, GPUs visible, firewall active, metrics scraped."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica provision validate --env production", "  basilica provision validate --limit executors"})
final class ProvisionValidateCommand extends OperateCommand {
    ProvisionValidateCommand(Context ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws IOException {
        try {
            return ExitCode.of(new Provisioning(operation(), () -> FleetPlanner.plan(model.load(ctx.workspace()))).validate());
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was run.");
        }
    }
}
