package dev.basilica.cli;

/** The exit codes of every command, in one place. */
public final class ExitCode {
    public static final int OK = 0;
    /** Checks ran and some failed (stale output, failed validation). */
    public static final int CHECKS_FAILED = 1;
    /** The model, a file or the command line is invalid. */
    public static final int INVALID_INPUT = 2;
    /** A tool the command needs is not installed. */
    public static final int TOOL_MISSING = 3;
    /** A bug in basilica. */
    public static final int INTERNAL_ERROR = 4;

    private ExitCode() {}
}
