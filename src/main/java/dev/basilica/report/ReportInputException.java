package dev.basilica.report;

/**
 * An input a parser cannot read: names the file and, where known, the line and column, and says what
 * was expected. Messages never quote values from the input beyond a short token, so a secret in a
 * malformed plan does not end up in a CI log.
 */
public final class ReportInputException extends Exception {

    private final String source;
    private final int line;
    private final int column;
    private final String problem;

    public ReportInputException(String source, int line, int column, String problem) {
        super(position(source, line, column) + ": " + problem);
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    public ReportInputException(String source, String problem) {
        this(source, 0, 0, problem);
    }

    private static String position(String source, int line, int column) {
        if (line <= 0) return source;
        return column > 0 ? source + ":" + line + ":" + column : source + ":" + line;
    }

    public String source() {
        return source;
    }

    /** 1-based; 0 when unknown. */
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
