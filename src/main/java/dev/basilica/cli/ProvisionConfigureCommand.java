package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.operate.PlaybookRun;
import dev.basilica.plan.ServiceKind;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code provision configure}: the configuration phase, which is {@code generate}; with {@code --apply}
 * the generated configuration is then put on the hosts (configure.yml).
 */
@Command(name = "configure", aliases = "config", mixinStandardHelpOptions = true,
        description = {"Generate the service configurations and units into out/NAME/ (same as 'basilica generate').",
            "With --apply, then put them on the hosts (configure.yml): configs, units, secrets, TLS."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica provision configure --env production", "  basilica provision configure --service validator",
            "  basilica provision configure --env staging --apply"})
public final class ProvisionConfigureCommand extends GenerateCommand {
    private final Context ctx;

    @Spec
    CommandSpec spec;

    @Mixin
    OperateOptions options;

    @Option(names = "--apply", description = "After generating, run configure.yml on the hosts (with --service, only those services' plays).")
    boolean apply;

    public ProvisionConfigureCommand(Context ctx) {
        super(ctx);
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        if (apply && (check || out != null)) {
            ctx.err().println("basilica: --apply runs out/NAME/ansible/configure.yml; it excludes " + (check ? "--check" : "--out"));
            return ExitCode.INVALID_INPUT;
        }
        PlaybookRun run = PlaybookRun.of("configure.yml").limit(options.limit).tags(ServiceKind.ids(services));
        if (apply && options.dryRun) {
            try {
                OperateCommand.operation(ctx, spec, model, options).printDryRun(List.of(run));
            } catch (ModelException e) {
                return ctx.rejected(e, "nothing was run.");
            }
            return ExitCode.OK;
        }
        int code = super.call();
        if (code != ExitCode.OK || !apply) return code;
        try {
            return ExitCode.of(OperateCommand.operation(ctx, spec, model, options).runPlaybooks(List.of(run)));
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was run.");
        }
    }
}
