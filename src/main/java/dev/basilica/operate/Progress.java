package dev.basilica.operate;

import dev.basilica.report.ansible.AnsibleEventStream;
import java.io.PrintWriter;

/**
 * Prints a long run's progress on stderr, one short line per event: the play (once something ran in it),
 * then per host and task its outcome ({@code ok}, {@code changed}, {@code failed}, {@code unreachable}; skipped tasks are not
 * shown). Colours only when asked (a terminal without {@code NO_COLOR}).
 */
public final class Progress {

    private static final String RESET = "\u001b[0m";

    private final PrintWriter err;
    private final boolean colour;
    /** A play is named when its first shown result arrives, so plays that --tags or --limit empty stay quiet. */
    private String pendingPlay;

    public Progress(PrintWriter err, boolean colour) {
        this.err = err;
        this.colour = colour;
    }

    /** A line of this tool's own (a phase starting, a summary). */
    public synchronized void say(String line) {
        err.println(line);
        err.flush();
    }

    /** An Ansible event. */
    public synchronized void event(AnsibleEventStream.Progress p) {
        switch (p.kind()) {
            case PLAY -> {
                pendingPlay = p.play();
                return;
            }
            case RESULT -> {
                if (p.status().equals("skipped")) return;
                if (pendingPlay != null) {
                    err.println("PLAY " + pendingPlay);
                    pendingPlay = null;
                }
                err.println("  " + paint(p.status()) + " ".repeat(Math.max(1, 12 - p.status().length())) + p.host() + "  " + p.task()
                        + (p.message().isEmpty() || p.status().equals("ok") || p.status().equals("changed") ? "" : ": " + p.message()));
            }
            default -> {
                return;
            }
        }
        err.flush();
    }

    /** Ansible's own stderr (warnings, errors), passed on as it comes. */
    public synchronized void toolLine(String line) {
        err.println(line);
        err.flush();
    }

    private String paint(String status) {
        if (!colour) return status;
        String code = switch (status) {
            case "ok" -> "\u001b[32m";
            case "changed" -> "\u001b[33m";
            case "failed", "unreachable" -> "\u001b[31m";
            default -> "\u001b[36m";
        };
        return code + status + RESET;
    }
}
