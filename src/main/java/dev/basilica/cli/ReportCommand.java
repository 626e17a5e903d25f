package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.report.Report;
import dev.basilica.report.ReportBuilder;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.render.Colour;
import dev.basilica.report.render.ReportFiles;
import dev.basilica.report.render.ReportFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Turn what terraform, ansible-playbook and nvidia-smi printed into a validation report for people and CI.",
            "Inputs are recognised by content: 'terraform show -json PLANFILE' or 'terraform plan -json' output, "
                + "Ansible's JSON callback output, and per host nvidia-smi output in any form ('-q -x' XML best). With --env "
                + "the GPUs are compared with the model's hosts[].gpus. Without --format or --output it prints a table "
                + "and, with --env, writes every format to state/NAME/reports/."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  terraform show -json tfplan > plan.json",
            "  basilica report --terraform-plan plan.json",
            "  basilica report --env staging --terraform-plan plan.json \\",
            "      --format junit --output report.xml",
            "  basilica report --terraform-plan plan.json --format markdown > comment.md",
            "  ANSIBLE_STDOUT_CALLBACK=ansible.posix.json \\",
            "      ansible-playbook -i inventory site.yml --check > converge.json",
            "  basilica report --env staging --ansible-result converge.json \\",
            "      --gpu staging-gpu-1=gpu1.xml",
            "",
            "Exit codes: 0 every check passed (warnings allowed), 1 a check failed,",
            "2 invalid input."})
public final class ReportCommand implements Callable<Integer> {

    private final Context ctx;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME",
            description = "Compare with environments/NAME.yaml, and write to state/NAME/reports/ by default.")
    String env;

    @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "Compare with this model file instead of --env.")
    String file;

    @Option(names = "--terraform-plan", paramLabel = "FILE",
            description = "Output of 'terraform show -json PLANFILE' or of 'terraform plan -json' (repeatable).")
    List<String> terraformPlans = new ArrayList<>();

    @Option(names = "--ansible-result", paramLabel = "FILE",
            description = "Output of ansible-playbook with ANSIBLE_STDOUT_CALLBACK=ansible.posix.json (repeatable).")
    List<String> ansibleResults = new ArrayList<>();

    @Option(names = "--ansible-check-mode", negatable = true,
            description = "The Ansible run was (or was not) --check; by default this is recognised from the results.")
    Boolean ansibleCheckMode;

    @Option(names = "--gpu", paramLabel = "HOST=FILE",
            description = "A host's nvidia-smi output: '-q -x' XML (best), '-q', the table, '-L' or a --query-gpu CSV, or its error text (repeatable).")
    List<String> gpus = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "text, json, junit, markdown or html. Printed on stdout unless --output is given.")
    ReportFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE (atomically), in --format or the format its extension names.")
    String output;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colours in the text report: auto (a terminal and no NO_COLOR), always, never.")
    Colour color;

    public ReportCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        if (terraformPlans.isEmpty() && ansibleResults.isEmpty() && gpus.isEmpty()) {
            ctx.err().println("basilica: nothing to report; pass --terraform-plan, --ansible-result or --gpu HOST=FILE");
            ctx.err().println("Try 'basilica report --help' for usage.");
            return ExitCode.INVALID_INPUT;
        }
        Workspace ws = ctx.workspace();
        ReportBuilder builder;
        if (env != null || file != null) {
            try {
                builder = ReportBuilder.forModel(ModelOptions.of(env != null ? env : "development", file).load(ws).environment());
            } catch (ModelException e) {
                return ctx.rejected(e, "no report was made.");
            }
        } else {
            builder = ReportBuilder.withoutModel();
        }
        List<String> usage = new ArrayList<>();
        for (String t : terraformPlans) builder.terraform(ws.userPath(t), t);
        for (String a : ansibleResults) builder.ansible(ws.userPath(a), a, ansibleCheckMode);
        for (String g : gpus) {
            int eq = g.indexOf('=');
            if (eq <= 0 || eq == g.length() - 1) {
                usage.add("basilica: --gpu takes HOST=FILE, not '" + g + "'");
                continue;
            }
            builder.gpu(g.substring(0, eq), ws.userPath(g.substring(eq + 1)), g.substring(eq + 1));
        }
        List<ReportInputException> errors = builder.errors();
        if (!usage.isEmpty() || !errors.isEmpty()) {
            usage.forEach(ctx.err()::println);
            errors.forEach(e -> ctx.err().println(e.getMessage()));
            int n = usage.size() + errors.size();
            ctx.err().println(n + (n == 1 ? " input error" : " input errors") + "; no report was made.");
            ctx.err().flush();
            return ExitCode.INVALID_INPUT;
        }
        Report report = builder.build();
        int code = report.failed() ? ExitCode.CHECKS_FAILED : ExitCode.OK;
        if (output != null) {
            ReportFormat f = format != null ? format : ReportFormat.forFileName(output);
            ReportFiles.write(ws.userPath(output), f, report);
            ctx.out().println("Wrote " + output + " (" + f.id() + "): " + counts(report));
        } else if (format != null) {
            ctx.out().print(format.render(report, format == ReportFormat.TEXT && color.enabled(ctx.environment())));
        } else {
            ctx.out().print(ReportFormat.TEXT.render(report, color.enabled(ctx.environment())));
            if (report.environment() != null) {
                Path dir = ws.stateDir(report.environment()).resolve("reports");
                List<String> written = ReportFiles.writeDirectory(dir, report);
                ctx.out().println("Wrote " + ws.display(dir) + "/: " + String.join(", ", written));
            }
        }
        ctx.out().flush();
        return code;
    }

    private static String counts(Report r) {
        Report.Summary n = r.summary();
        return n.fail() + " failed, " + n.warn() + " warnings, " + n.pass() + " passed, " + n.skip() + " skipped";
    }
}
