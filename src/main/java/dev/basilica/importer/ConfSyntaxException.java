package dev.basilica.importer;

/** A {@code .conf} file that is not the plain bash assignment subset env import reads. */
public final class ConfSyntaxException extends Exception {

    private final String file;
    private final int line;
    private final int column;
    private final String problem;

    public ConfSyntaxException(String file, int line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String problem() {
        return problem;
    }
}
