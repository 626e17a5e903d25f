package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import dev.basilica.operate.PlaybookRun;
import dev.basilica.operate.Playbooks;
import dev.basilica.operate.TerraformPlan;
import dev.basilica.report.Report;
import dev.basilica.report.ReportBuilder;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.render.ReportFormat;
import dev.basilica.run.Tool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plan",
        mixinStandardHelpOptions = true,
        description = {"What applying the environment would change, changing nothing: 'terraform plan' of "
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
            Operation op = new Operation(ctx, spec, model, options);
            Path out = op.outDir();
            Path reports = op.stateDir().resolve("reports");
            boolean localBackend = loaded.environment().terraform() == null
                    || loaded.environment().terraform().backend().type() == dev.basilica.model.Environment.Backend.Type.LOCAL;
            TerraformPlan terraform = new TerraformPlan(op.runner(), out.resolve("terraform"), op.stateDir(), localBackend,
                    Duration.ofMinutes(Math.max(1, options.timeoutMinutes)), op.progress()::toolLine);
            boolean withTerraform = !noTerraform && terraform.present();
            PlaybookRun check = PlaybookRun.of("site.yml").limit(options.limit).checkAndDiff();
            if (options.dryRun) {
                if (withTerraform) {
                    ctx.out().println("Would run in " + ctx.workspace().display(out.resolve("terraform")) + "/:");
                    // Relative to where the commands run, so that they can be pasted there.
                    String work = out.resolve("terraform").toAbsolutePath().relativize(
                            TerraformPlan.workDir(op.stateDir()).toAbsolutePath()).toString().replace('\\', '/');
                    for (List<String> c : TerraformPlan.commands("terraform", work, localBackend)) {
                        ctx.out().println("  " + String.join(" ", c));
                    }
                    ctx.out().println("with environment:");
                    new java.util.TreeMap<>(TerraformPlan.environment(Tool.TERRAFORM.environment(), work))
                            .forEach((k, v) -> ctx.out().println("  " + k + "=" + v));
                }
                if (!noAnsible) op.printDryRun(List.of(check));
                return ExitCode.OK;
            }
            if (!noAnsible && !java.nio.file.Files.isDirectory(out.resolve("ansible"))) return op.noOutput();
            Tool tf = null;
            if (withTerraform) {
                tf = op.runner().find(Tool.TERRAFORM).orElse(null);
                if (tf == null) tf = op.require(Tool.TOFU);
                if (tf == null) return ExitCode.TOOL_MISSING;
            }
            Tool ansible = null;
            if (!noAnsible) {
                ansible = op.require(Tool.ANSIBLE_PLAYBOOK);
                if (ansible == null) return ExitCode.TOOL_MISSING;
            }
            op.begin();
            try {
                ReportBuilder builder = ReportBuilder.forModel(loaded.environment());
                List<String> failures = new ArrayList<>();
                TreeSet<String> hosts = new TreeSet<>();
                if (withTerraform) {
                    op.progress().say("== terraform plan (" + tf.name() + " " + tf.version() + ")");
                    TerraformPlan.Outcome t = terraform.run(tf);
                    if (t.planJson() != null) builder.terraform(t.planJson(), ctx.workspace().display(t.planJson()));
                    if (!t.succeeded()) failures.add(t.describe());
                }
                if (ansible != null) {
                    op.progress().say("== " + String.join(" ", Playbooks.commandLine("ansible-playbook", check)));
                    Playbooks.Outcome a = op.playbooks().run(ansible, check);
                    hosts.addAll(a.hosts());
                    if (a.saved() != null) builder.ansible(a.saved(), ctx.workspace().display(a.saved()), true);
                    if (!a.succeeded()) failures.add(a.describe());
                }
                for (ReportInputException e : builder.errors()) failures.add(e.getMessage());
                Report report = builder.build();
                Path dir = reports.resolve("plan");
                for (ReportFormat f : List.of(ReportFormat.JSON, ReportFormat.JUNIT, ReportFormat.MARKDOWN, ReportFormat.HTML)) {
                    AtomicFiles.write(dir.resolve(f.fileName()), f.render(report, false).getBytes(StandardCharsets.UTF_8));
                }
                ctx.out().print(ReportFormat.TEXT.render(report, ReportCommand.colour(ReportCommand.When.AUTO, ctx.environment(),
                        System.console() != null)));
                ctx.out().println("Wrote " + ctx.workspace().display(dir) + "/");
                failures.forEach(f -> ctx.err().println("basilica: " + f));
                ctx.out().flush();
                int code = failures.isEmpty() && !report.failed() ? ExitCode.OK : ExitCode.CHECKS_FAILED;
                op.log(List.copyOf(hosts), code);
                return code;
            } finally {
                op.end();
            }
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was run.");
        }
    }
}
