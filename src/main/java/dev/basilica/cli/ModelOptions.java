package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --env NAME} or {@code --file PATH}: which model a command reads. */
public final class ModelOptions {

    @Option(names = {"-e", "--env"}, paramLabel = "NAME",
            description = "Environment to use: reads environments/NAME.yaml (default: ${DEFAULT-VALUE}).",
            defaultValue = "development")
    String env;

    @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "Read this model file instead of environments/NAME.yaml.")
    String file;

    /** The model options of a command that has its own {@code --env} and {@code --file}. */
    static ModelOptions of(String env, String file) {
        ModelOptions m = new ModelOptions();
        m.env = env;
        m.file = file;
        return m;
    }

    public ModelLoader.Loaded load(Workspace ws) throws ModelException {
        Path p = path(ws);
        if (file == null && !Files.exists(p)) {
            Path example = p.resolveSibling(env + ".yaml.example");
            String hint = Files.exists(example)
                    ? "copy " + ws.display(example) + " to " + ws.display(p) + " and edit it"
                    : "create it with 'basilica env init " + env + "', or pass --file PATH";
            throw new ModelException(java.util.List.of(dev.basilica.model.Diagnostic.error(
                    dev.basilica.model.SourcePosition.unknown(ws.display(p)), "no such environment '" + env + "': " + hint)));
        }
        return ModelLoader.load(p, ws.display(p));
    }

    public Path path(Workspace ws) {
        return file != null ? ws.userPath(file) : ws.modelFile(env);
    }
}
