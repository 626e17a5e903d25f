package dev.basilica.cli;

import dev.basilica.model.JsonSchemaWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "schema",
        mixinStandardHelpOptions = true,
        description = {"Print the JSON Schema of the environment model (for editor completion: the example",
            "models point at schema/environment.schema.json through a yaml-language-server comment)."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica schema > schema/environment.schema.json", "  basilica schema --output schema/environment.schema.json"})
public final class SchemaCommand implements Callable<Integer> {

    private final Context ctx;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    String output;

    public SchemaCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        String schema = JsonSchemaWriter.render();
        if (output == null) {
            ctx.out().print(schema);
            ctx.out().flush();
        } else {
            Path p = ctx.workspace().userPath(output);
            AtomicFiles.write(p, schema.getBytes(StandardCharsets.UTF_8));
            ctx.out().println("Wrote " + output);
        }
        return ExitCode.OK;
    }
}
