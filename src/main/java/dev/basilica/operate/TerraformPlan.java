package dev.basilica.operate;

import dev.basilica.run.Tool;
import dev.basilica.run.ToolRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code terraform plan} of a generated {@code out/<env>/terraform/}, in automation mode (the tool's
 * environment: {@code TF_IN_AUTOMATION}, {@code CHECKPOINT_DISABLE}, no input, {@code -no-color}):
 * {@code init}, {@code plan -out}, then {@code show -json} of the saved plan into
 * {@code out/<env>/reports/terraform-plan.json} for the report's Terraform parser.
 */
public final class TerraformPlan {

    /** The saved plan, beside the configuration (a {@code .tfplan}, which the output writer preserves). */
    public static final String PLAN_FILE = "basilica.tfplan";

    private final ToolRunner runner;
    private final Path dir;
    private final Path reports;
    private final Duration timeout;
    private final Consumer<String> progress;

    public TerraformPlan(ToolRunner runner, Path dir, Path reports, Duration timeout, Consumer<String> progress) {
        this.runner = runner;
        this.dir = dir;
        this.reports = reports;
        this.timeout = timeout;
        this.progress = progress;
    }

    /** Whether the environment has Terraform output (a model with a cloud provider). */
    public boolean present() throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".tf"));
        }
    }

    /** The commands, in order, after the program name {@code program}. */
    public static List<List<String>> commands(String program) {
        return List.of(
                List.of(program, "init", "-input=false", "-no-color"),
                List.of(program, "plan", "-input=false", "-no-color", "-lock-timeout=60s", "-out=" + PLAN_FILE),
                List.of(program, "show", "-json", "-no-color", PLAN_FILE));
    }

    /** How it ended; {@code planJson} is null when no plan was made. */
    public record Outcome(String step, int exitCode, boolean timedOut, Path planJson) {
        public boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }

        public String describe() {
            if (succeeded()) return "terraform plan succeeded";
            return "terraform " + step + (timedOut ? " ran past its time limit" : " failed (exit " + exitCode + ")");
        }
    }

    public Outcome run(Tool terraform) throws IOException {
        List<List<String>> cmds = commands(terraform.path().toString());
        String[] steps = {"init", "plan", "show"};
        ToolRunner.Result last = null;
        for (int i = 0; i < cmds.size(); i++) {
            boolean show = i == cmds.size() - 1;
            ToolRunner.Invocation inv = new ToolRunner.Invocation(new ArrayList<>(cmds.get(i)), dir, timeout, terraform.environment(),
                    show ? l -> { } : progress, progress);
            last = runner.run(inv);
            if (!last.succeeded()) return new Outcome(steps[i], last.exitCode(), last.timedOut(), null);
        }
        Path json = reports.resolve("terraform-plan.json");
        Playbooks.writeAtomically(json, last.stdout());
        return new Outcome("show", 0, false, json);
    }
}
