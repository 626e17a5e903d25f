package dev.basilica.cli;

import dev.basilica.output.AtomicFiles;
import dev.basilica.model.JsonSchemaWriter;
import dev.basilica.model.ModelReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "schema",
        mixinStandardHelpOptions = true,
        description = "Print the environment model's schema: as JSON Schema (for editor completion: the example "
            + "models point at schema/environment.schema.json through a yaml-language-server comment), or as the "
            + "Markdown reference of every field that docs/model.md carries.",
        footerHeading = "%nExamples:%n",
        footer = {"  basilica schema > schema/environment.schema.json",
            "  basilica schema --output schema/environment.schema.json",
            "  basilica schema --format markdown",
            "  basilica schema --format markdown --output docs/model.md"})
public final class SchemaCommand implements Callable<Integer> {

    private final Context ctx;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write to FILE instead of standard output. With --format markdown and a FILE that has the "
                + "generated-reference marker lines, only the text between them is replaced.")
    String output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "json (JSON Schema) or markdown (the model reference) (default: ${DEFAULT-VALUE}).")
    String format;

    public SchemaCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        String text;
        switch (format) {
            case "json" -> text = JsonSchemaWriter.render();
            case "markdown" -> text = ModelReference.render();
            default -> {
                ctx.err().println("basilica: unknown format '" + format + "' for --format; expected json or markdown"
                        + dev.basilica.model.Suggestions.didYouMean(format, java.util.List.of("json", "markdown")));
                return ExitCode.INVALID_INPUT;
            }
        }
        if (output == null) {
            ctx.out().print(text);
            ctx.out().flush();
            return ExitCode.OK;
        }
        Path p = ctx.workspace().userPath(output);
        if (format.equals("markdown") && Files.exists(p)) {
            // Keep the handwritten part of an existing document; refuse to overwrite one without markers.
            var spliced = ModelReference.splice(Files.readString(p, StandardCharsets.UTF_8));
            if (spliced.isEmpty()) {
                ctx.err().println("basilica: " + output + " has no '" + ModelReference.BEGIN + "' / '" + ModelReference.END
                        + "' lines; add them where the reference belongs, or write to a new file");
                return ExitCode.INVALID_INPUT;
            }
            text = spliced.get();
        }
        AtomicFiles.write(p, text.getBytes(StandardCharsets.UTF_8));
        ctx.out().println("Wrote " + output);
        return ExitCode.OK;
    }
}
