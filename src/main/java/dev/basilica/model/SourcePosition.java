package dev.basilica.model;

/** A place in a model file, 1-based, as editors and compilers print it. */
public record SourcePosition(String file, int line, int column) {

    public static SourcePosition unknown(String file) {
        return new SourcePosition(file, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
