package dev.basilica.run;

/** A tool a command needs is not installed (exit code 3), with how to install it. */
public final class ToolMissingException extends Exception {

    private final String tool;
    private final String installHint;

    public ToolMissingException(String tool, String installHint) {
        super(tool + " is not installed (not found on PATH); " + installHint);
        this.tool = tool;
        this.installHint = installHint;
    }

    public String tool() {
        return tool;
    }

    public String installHint() {
        return installHint;
    }
}
