package dev.basilica.operate;

import dev.basilica.model.Environment;
import dev.basilica.model.ModelException;
import dev.basilica.operate.Operation.Outcome;
import dev.basilica.report.Report;
import dev.basilica.report.ReportBuilder;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.render.Colour;
import dev.basilica.report.render.ReportFiles;
import dev.basilica.report.render.ReportFormat;
import dev.basilica.run.Tool;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code basilica plan} use case: what applying the environment would change, changing nothing.
 * {@code terraform plan} of {@code out/NAME/terraform/} (when there is one) and {@code ansible-playbook site.yml
 * --check --diff}, both results made into one report, printed and written to {@code state/NAME/reports/plan/}.
 */
public final class PlanReport {

    private final Operation op;
    private final Environment environment;

    public PlanReport(Operation op, Environment environment) {
        this.op = op;
        this.environment = environment;
    }

    public Outcome run(boolean withTerraform, boolean withAnsible) throws ModelException, IOException {
        Path out = op.outDir();
        boolean localBackend = environment.terraform() == null
                || environment.terraform().backend().type() == dev.basilica.model.Environment.Backend.Type.LOCAL;
        TerraformPlanRun terraform = new TerraformPlanRun(op.runner(), out.resolve("terraform"), op.stateDir(), localBackend,
                op.timeout(), op.progress()::toolLine);
        withTerraform = withTerraform && terraform.present();
        PlaybookRun check = PlaybookRun.of("site.yml").limit(op.limit()).checkAndDiff();
        if (op.dryRun()) {
            if (withTerraform) printTerraform(out, localBackend);
            if (withAnsible) op.printDryRun(List.of(check));
            return Outcome.OK;
        }
        if (withAnsible && !Files.isDirectory(out.resolve("ansible"))) return op.noOutput();
        Tool tf = null;
        if (withTerraform) {
            tf = op.runner().find(Tool.TERRAFORM).orElse(null);
            if (tf == null) tf = op.require(Tool.TOFU);
            if (tf == null) return Outcome.TOOL_MISSING;
        }
        Tool ansible = null;
        if (withAnsible) {
            ansible = op.require(Tool.ANSIBLE_PLAYBOOK);
            if (ansible == null) return Outcome.TOOL_MISSING;
        }
        op.begin();
        try {
            ReportBuilder builder = ReportBuilder.forModel(environment);
            List<String> failures = new ArrayList<>();
            TreeSet<String> hosts = new TreeSet<>();
            if (withTerraform) {
                op.progress().say("== terraform plan (" + tf.name() + " " + tf.version() + ")");
                TerraformPlanRun.Outcome t = terraform.run(tf);
                if (t.planJson() != null) builder.terraform(t.planJson(), op.display(t.planJson()));
                if (!t.succeeded()) failures.add(t.describe());
            }
            if (ansible != null) {
                op.progress().say("== " + String.join(" ", Playbooks.commandLine("ansible-playbook", check)));
                Playbooks.Outcome a = op.playbooks().run(ansible, check);
                hosts.addAll(a.hosts());
                if (a.saved() != null) builder.ansible(a.saved(), op.display(a.saved()), true);
                if (!a.succeeded()) failures.add(a.describe());
            }
            for (ReportInputException e : builder.errors()) failures.add(e.getMessage());
            Report report = builder.build();
            Path dir = op.stateDir().resolve("reports").resolve("plan");
            ReportFiles.writeDirectory(dir, report);
            op.out().print(ReportFormat.TEXT.render(report, Colour.AUTO.enabled(op.environment())));
            op.out().println("Wrote " + op.display(dir) + "/");
            failures.forEach(f -> op.err().println("basilica: " + f));
            op.out().flush();
            Outcome outcome = failures.isEmpty() && !report.failed() ? Outcome.OK : Outcome.CHECKS_FAILED;
            op.log(List.copyOf(hosts), outcome);
            return outcome;
        } finally {
            op.end();
        }
    }

    private void printTerraform(Path out, boolean localBackend) throws ModelException {
        PrintWriter o = op.out();
        o.println("Would run in " + op.display(out.resolve("terraform")) + "/:");
        // Relative to where the commands run, so that they can be pasted there.
        String work = out.resolve("terraform").toAbsolutePath().relativize(
                TerraformPlanRun.workDir(op.stateDir()).toAbsolutePath()).toString().replace('\\', '/');
        for (List<String> c : TerraformPlanRun.commands("terraform", work, localBackend)) o.println("  " + String.join(" ", c));
        o.println("with environment:");
        new TreeMap<>(TerraformPlanRun.environment(Tool.TERRAFORM.environment(), work)).forEach((k, v) -> o.println("  " + k + "=" + v));
    }
}
