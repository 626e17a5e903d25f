package dev.basilica.model;

/** A place in a model file, 1-based, as editors and compilers print it. */
public record SourcePosition(String file, int line, int column) {

    public static SourcePosition unknown(String file) {
        return new SourcePosition(file, 0, 0);
    }

    @Override
    public String toString() {
        // A file name is input too: one with a control character in it must not reach a terminal raw.
        String shown = DisplayText.escapeControls(file);
        return line > 0 ? shown + ":" + line + ":" + column : shown;
    }
}
