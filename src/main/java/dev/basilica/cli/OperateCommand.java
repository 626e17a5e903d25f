package dev.basilica.cli;

import dev.basilica.operate.Operation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command that acts on hosts shares: the context, its picocli spec, the model options
 * ({@code --env}, {@code --file}) and the operate options ({@code --limit}, {@code --dry-run},
 * {@code --timeout}). Picocli reads the annotated fields of this superclass for each subclass.
 */
abstract class OperateCommand implements Callable<Integer> {
    final Context ctx;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    OperateOptions options;

    OperateCommand(Context ctx) {
        this.ctx = ctx;
    }

    /** The operation this command runs on the hosts of its environment. */
    Operation operation() {
        return operation(ctx, spec, model, options);
    }

    static Operation operation(Context ctx, CommandSpec spec, ModelOptions model, OperateOptions options) {
        Workspace ws = ctx.workspace();
        var parsed = spec.root().commandLine().getParseResult();
        List<String> args = parsed != null ? parsed.originalArgs() : List.of(spec.qualifiedName());
        return new Operation(new Operation.Settings(
                () -> model.file == null ? model.env : model.load(ws).environment().name(),
                ws::defaultOut, ws::stateDir, ws.home(), ws::display, ctx.environment(), ctx.out(), ctx.err(), args,
                options.limit, options.dryRun, Duration.ofMinutes(Math.max(1, options.timeoutMinutes))));
    }
}
