package dev.basilica.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "completion",
        mixinStandardHelpOptions = true,
        description = {"Print a bash/zsh completion script for basilica (generated from the command tree).",
            "scripts/completion/basilica.bash in the repository is this output."},
        footerHeading = "%nExamples:%n",
        footer = {"  source <(basilica completion)", "  basilica completion > /etc/bash_completion.d/basilica"})
public final class CompletionCommand implements Callable<Integer> {

    private final Context ctx;

    @Spec
    CommandSpec spec;

    public CompletionCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ctx.out().print(AutoComplete.bash("basilica", spec.root().commandLine()));
        ctx.out().flush();
        return ExitCode.OK;
    }
}
