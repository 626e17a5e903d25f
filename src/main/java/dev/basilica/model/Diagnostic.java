package dev.basilica.model;

/**
 * One problem found in a model: where it is and what is wrong. Errors stop generation; warnings are
 * printed and generation goes on.
 */
public record Diagnostic(Severity severity, SourcePosition position, String message) implements Comparable<Diagnostic> {

    public enum Severity { ERROR, WARNING }

    public static Diagnostic error(SourcePosition position, String message) {
        return new Diagnostic(Severity.ERROR, position, message);
    }

    public static Diagnostic warning(SourcePosition position, String message) {
        return new Diagnostic(Severity.WARNING, position, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line:col: message}, with "warning: " in front of warnings' messages. */
    public String format() {
        return position + ": " + (isError() ? "" : "warning: ") + message;
    }

    @Override
    public int compareTo(Diagnostic o) {
        int c = position.file().compareTo(o.position.file());
        if (c != 0) return c;
        c = Integer.compare(position.line(), o.position.line());
        if (c != 0) return c;
        c = Integer.compare(position.column(), o.position.column());
        return c != 0 ? c : message.compareTo(o.message);
    }
}
