package dev.basilica.cli;

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
}
