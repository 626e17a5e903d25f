package dev.basilica.report.render;

import dev.basilica.report.Check;
import dev.basilica.report.Report;
import dev.basilica.report.Status;
import java.util.List;
import java.util.Locale;

/** A table for the terminal, then the findings that need attention with their evidence, then the counts. */
public final class TextRenderer {

    private static final String RESET = "\u001b[0m";
    private static final int ID_WIDTH_LIMIT = 56;

    private final boolean colour;

    /** @param colour whether to use ANSI colours (the caller decides: a terminal, and no NO_COLOR) */
    public TextRenderer(boolean colour) {
        this.colour = colour;
    }

    public String render(Report report) {
        StringBuilder b = new StringBuilder();
        b.append("basilica report").append(report.environment() != null ? ": " + report.environment() : "").append('\n');
        List<Check> checks = report.checks();
        int hostWidth = Math.max(4, checks.stream().mapToInt(c -> host(c).length()).max().orElse(0));
        int idWidth = Math.min(ID_WIDTH_LIMIT, Math.max(5, checks.stream().mapToInt(c -> c.id().length()).max().orElse(0)));
        int catWidth = Math.max(8, checks.stream().mapToInt(c -> c.category().id().length()).max().orElse(0));
        b.append('\n').append(pad("STATUS", 6)).append("  ").append(pad("CATEGORY", catWidth)).append("  ")
                .append(pad("HOST", hostWidth)).append("  ").append(pad("CHECK", idWidth)).append("  RESULT\n");
        for (Check c : checks) {
            b.append(paint(c.status(), pad(label(c.status()), 6))).append("  ").append(pad(c.category().id(), catWidth)).append("  ")
                    .append(pad(host(c), hostWidth)).append("  ").append(pad(Printable.text(c.id()), idWidth)).append("  ")
                    .append(Printable.text(c.title())).append('\n');
        }
        for (Status s : List.of(Status.FAIL, Status.WARN)) {
            List<Check> these = report.with(s);
            if (these.isEmpty()) continue;
            b.append('\n').append(s == Status.FAIL ? "Failures" : "Warnings").append(":\n");
            for (Check c : these) {
                b.append("  ").append(paint(s, label(s))).append(' ').append(Printable.text(c.id()))
                        .append(c.host() != null ? " (" + c.host() + ")" : "").append('\n');
                b.append("       ").append(Printable.text(c.title())).append('\n');
                for (String e : c.evidence()) {
                    for (String line : Printable.text(e).split("\n")) b.append("       | ").append(line).append('\n');
                }
                if (c.remediation() != null) b.append("       fix: ").append(Printable.text(c.remediation())).append('\n');
            }
        }
        Report.Summary n = report.summary();
        b.append('\n').append(n.total()).append(n.total() == 1 ? " check: " : " checks: ")
                .append(paint(Status.FAIL, n.fail() + " failed")).append(", ")
                .append(paint(Status.WARN, n.warn() + " warning" + (n.warn() == 1 ? "" : "s"))).append(", ")
                .append(paint(Status.PASS, n.pass() + " passed")).append(", ")
                .append(paint(Status.SKIP, n.skip() + " skipped")).append('\n');
        return b.toString();
    }

    private String paint(Status s, String text) {
        if (!colour) return text;
        String code = switch (s) {
            case FAIL -> "\u001b[1;31m";
            case WARN -> "\u001b[33m";
            case PASS -> "\u001b[32m";
            case SKIP -> "\u001b[2m";
        };
        return code + text + RESET;
    }

    private static String label(Status s) {
        return s.name().toUpperCase(Locale.ROOT);
    }

    private static String host(Check c) {
        return c.host() != null ? c.host() : "-";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
