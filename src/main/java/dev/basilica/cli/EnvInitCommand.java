package dev.basilica.cli;

import dev.basilica.output.AtomicFiles;
import dev.basilica.model.EnvironmentSchema;
import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import dev.basilica.model.Tier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Write environments/NAME.yaml from a commented template, valid as written, to edit.",
            "Refuses to overwrite an existing file unless --force is given."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica env init lab", "  basilica env init production --tier production"})
public final class EnvInitCommand implements Callable<Integer> {
    private final Context ctx;

    @Parameters(paramLabel = "NAME", description = "Environment name (lower-case letters, digits, '-').")
    String name;

    @Option(names = "--tier", paramLabel = "TIER",
            description = "development, staging or production (default: NAME when it is one of those, else development).")
    Tier tier;

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    public EnvInitCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        if (!dev.basilica.model.Format.NAME.accepts(name)) {
            ctx.err().println("basilica: '" + name + "' is not a valid environment name: expected "
                    + dev.basilica.model.Format.NAME.description());
            return ExitCode.INVALID_INPUT;
        }
        Tier t = tier;
        if (t == null) {
            t = Tier.DEVELOPMENT;
            for (Tier candidate : Tier.values()) {
                if (candidate.id().equals(name)) t = candidate;
            }
        }
        Path target = ctx.workspace().modelFile(name);
        if (Files.exists(target) && !force) {
            ctx.err().println("basilica: " + ctx.workspace().display(target) + " already exists; use --force to overwrite it");
            return ExitCode.INVALID_INPUT;
        }
        String text;
        try (InputStream in = EnvInitCommand.class.getResourceAsStream("/templates/environment.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        text = text.replace("@NAME@", name).replace("@TIER@", t.id()).replace("@APIVERSION@", EnvironmentSchema.API_VERSION);
        try {
            ModelLoader.parse(text, ctx.workspace().display(target));
        } catch (ModelException e) {
            throw new IllegalStateException("the init template is invalid: " + e.getMessage(), e);
        }
        AtomicFiles.write(target, text.getBytes(StandardCharsets.UTF_8));
        ctx.out().println("Wrote " + ctx.workspace().display(target) + " (" + t.id() + "). Edit the hosts, then run "
                + "'basilica env check --env " + name + "'.");
        return ExitCode.OK;
    }
}
