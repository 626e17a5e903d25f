package dev.basilica.model;

import java.util.List;
import java.util.stream.Collectors;

/** A model that cannot be used: carries every error found, sorted by position. */
public final class ModelException extends Exception {

    private final List<Diagnostic> diagnostics;

    public ModelException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().filter(Diagnostic::isError).map(Diagnostic::format)
                .collect(Collectors.joining("\n")));
        this.diagnostics = diagnostics.stream().sorted().toList();
    }

    /** Errors and the warnings found beside them. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    public long errorCount() {
        return diagnostics.stream().filter(Diagnostic::isError).count();
    }
}
