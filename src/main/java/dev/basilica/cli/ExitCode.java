package dev.basilica.cli;

import dev.basilica.operate.Operation;

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

    /** The exit code of an operation on hosts. */
    public static int of(Operation.Outcome outcome) {
        return switch (outcome) {
            case OK -> OK;
            case CHECKS_FAILED -> CHECKS_FAILED;
            case INVALID_INPUT -> INVALID_INPUT;
            case TOOL_MISSING -> TOOL_MISSING;
        };
    }
}
