package dev.basilica.cli;

import dev.basilica.model.Diagnostic;
import dev.basilica.model.ModelException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** What every command gets: where the project is, where to print, and the process environment. */
public record Context(Workspace workspace, PrintWriter out, PrintWriter err, Map<String, String> environment) {

    public void printDiagnostics(List<Diagnostic> diagnostics) {
        diagnostics.forEach(d -> err.println(d.format()));
        err.flush();
    }

    /** Prints every problem of a rejected model and returns the exit code for invalid input. */
    public int rejected(ModelException e, String consequence) {
        printDiagnostics(e.diagnostics());
        long n = e.errorCount();
        err.println(n + (n == 1 ? " error" : " errors") + " in the model; " + consequence);
        err.flush();
        return ExitCode.INVALID_INPUT;
    }
}
