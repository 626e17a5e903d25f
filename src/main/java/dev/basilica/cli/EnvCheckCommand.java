package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a model and report every problem at once as FILE:LINE:COL: message.",
            "Exit 0 when it is valid (warnings allowed), 2 when it has errors."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica env check", "  basilica env check --file environments/production.yaml.example"})
public class EnvCheckCommand implements Callable<Integer> {
    private final Context ctx;

    @Mixin
    ModelOptions model;

    public EnvCheckCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        try {
            ModelLoader.Loaded loaded = model.load(ctx.workspace());
            ctx.printDiagnostics(loaded.warnings());
            var env = loaded.environment();
            ctx.out().println(loaded.displayPath() + ": valid (" + env.tier().id() + ", " + env.hosts().size() + " host"
                    + (env.hosts().size() == 1 ? "" : "s") + ", " + loaded.warnings().size() + " warning"
                    + (loaded.warnings().size() == 1 ? "" : "s") + ")");
            return ExitCode.OK;
        } catch (ModelException e) {
            return ctx.rejected(e, "fix them and run again.");
        }
    }
}
