package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import dev.basilica.operate.PlanReport;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plan",
        mixinStandardHelpOptions = true,
        description = {"Show what applying the environment would change, changing nothing: 'terraform plan' of "
                + "out/NAME/terraform/ (when the model has a cloud provider; terraform or tofu, in automation "
                + "mode) and 'ansible-playbook site.yml --check --diff'. Both results become one report: printed "
                + "as a table and written to state/NAME/reports/plan/ (JSON, JUnit XML, Markdown, HTML); the raw "
                + "results are kept beside it (terraform-plan.json, ansible-site-check.json). Exit 1 when a check "
                + "of the report fails (e.g. a destructive firewall change) or a run failed."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica plan --env staging", "  basilica plan --env production --no-ansible", "  basilica plan --dry-run"})
public final class PlanCommand extends OperateCommand {
    @Option(names = "--no-terraform", description = "Leave Terraform out.")
    boolean noTerraform;

    @Option(names = "--no-ansible", description = "Leave Ansible's check mode out.")
    boolean noAnsible;

    public PlanCommand(Context ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws IOException {
        ModelLoader.Loaded loaded;
        try {
            loaded = model.load(ctx.workspace());
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was run.");
        }
        try {
            return ExitCode.of(new PlanReport(operation(), loaded.environment()).run(!noTerraform, !noAnsible));
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was run.");
        }
    }
}
