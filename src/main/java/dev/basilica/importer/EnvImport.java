package dev.basilica.importer;

import dev.basilica.model.Diagnostic;
import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import dev.basilica.output.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code env import} use case: read the {@code .conf} files, convert them, check the model and write it
 * (or print it), saying what could not be carried over and whether the model is valid yet.
 */
public final class EnvImport {

    /**
     * @param servers      a servers.conf (null: none)
     * @param target       where the model goes (null: printed on stdout)
     * @param checkCommand what to run next, as the closing line says
     */
    public record Request(Path conf, Path servers, Path target, ConfImporter.Options options, String checkCommand) {}

    /** How an import ended. */
    public enum Result { VALID, NOT_VALID_YET, UNREADABLE }

    private final Function<Path, String> display;
    private final PrintWriter out;
    private final PrintWriter err;

    /** @param display how messages name a file */
    public EnvImport(Function<Path, String> display, PrintWriter out, PrintWriter err) {
        this.display = display;
        this.out = out;
        this.err = err;
    }

    public Result run(Request r) throws IOException {
        boolean stdout = r.target() == null;
        ConfFile conf;
        ConfFile serverFile = null;
        try {
            conf = ConfFiles.read(r.conf(), display.apply(r.conf()));
            if (r.servers() != null) serverFile = ConfFiles.read(r.servers(), display.apply(r.servers()));
        } catch (ConfFiles.Unreadable e) {
            err.println(e.getMessage());
            err.flush();
            return Result.UNREADABLE;
        }

        ImportResult result = ConfImporter.convert(conf, serverFile, r.options());
        report("Could not map", result.unmapped(), "key");
        report("Needs attention:", result.attention(), null);

        String shown = stdout ? "<stdout>" : display.apply(r.target());
        List<Diagnostic> diagnostics;
        boolean valid;
        try {
            diagnostics = ModelLoader.parse(result.yaml(), shown).warnings();
            valid = true;
        } catch (ModelException e) {
            diagnostics = e.diagnostics();
            valid = false;
        }
        diagnostics.forEach(d -> err.println(d.format()));
        err.flush();

        if (stdout) {
            out.print(result.yaml());
            out.flush();
        } else {
            AtomicFiles.write(r.target(), result.yaml().getBytes(StandardCharsets.UTF_8));
        }
        String summary = " (" + result.tier().id() + ", " + result.hosts() + " host" + (result.hosts() == 1 ? "" : "s") + ")";
        String what = stdout ? "The model" + summary : "Wrote " + shown + summary + ";";
        if (valid) {
            err.println(what + (stdout ? " is valid." : " it is valid.") + " Review it against the hosts, then run '"
                    + r.checkCommand() + "'.");
            err.flush();
            return Result.VALID;
        }
        long errors = diagnostics.stream().filter(Diagnostic::isError).count();
        err.println(what + (stdout ? "" : " it") + " does not validate yet: " + errors + (errors == 1 ? " error" : " errors")
                + " above" + (result.todos() > 0 ? ", " + result.todos() + " TODO line" + (result.todos() == 1 ? "" : "s")
                + " to fill in" : "") + ". Edit it, then run '" + r.checkCommand() + "'.");
        err.flush();
        return Result.NOT_VALID_YET;
    }

    private void report(String heading, List<Finding> findings, String noun) {
        if (findings.isEmpty()) return;
        err.println(noun == null ? heading
                : heading + " " + findings.size() + " " + noun + (findings.size() == 1 ? "" : "s") + " (not carried over):");
        for (Finding f : findings) err.println("  " + f.format());
        err.flush();
    }
}
