package dev.basilica.report.render;

import dev.basilica.report.Check;
import dev.basilica.report.Report;
import dev.basilica.report.Status;
import java.util.List;

/**
 * A pull-request comment: the counts, then failures, then warnings, each with evidence and the fix; what
 * passed or was skipped is folded away. Every piece of tool output is escaped, so it cannot inject
 * markup or HTML into the comment.
 */
public final class MarkdownRenderer {

    /** Evidence lines per check in a comment; the full evidence is in the other formats. */
    static final int EVIDENCE_LINES = 20;

    private MarkdownRenderer() {}

    public static String render(Report report) {
        StringBuilder b = new StringBuilder();
        Report.Summary n = report.summary();
        b.append("### basilica report").append(report.environment() != null ? ": " + escape(report.environment()) : "").append("\n\n");
        b.append(report.failed() ? "**" + n.fail() + " failed**" : "All checks passed").append(" (").append(n.total())
                .append(n.total() == 1 ? " check" : " checks").append(")\n\n");
        b.append("| Status | Checks |\n|---|---:|\n");
        for (Status s : Status.values()) b.append("| ").append(badge(s)).append(" | ").append(n.count(s)).append(" |\n");
        for (Status s : List.of(Status.FAIL, Status.WARN)) {
            List<Check> these = report.with(s);
            if (these.isEmpty()) continue;
            b.append("\n#### ").append(s == Status.FAIL ? "Failures" : "Warnings").append("\n\n");
            b.append("| Check | Host | Finding |\n|---|---|---|\n");
            for (Check c : these) row(b, c);
            b.append('\n');
            for (Check c : these) details(b, c);
        }
        List<Check> rest = report.checks().stream().filter(c -> c.status() == Status.PASS || c.status() == Status.SKIP).toList();
        if (!rest.isEmpty()) {
            b.append("\n<details><summary>Passed and skipped (").append(rest.size()).append(")</summary>\n\n");
            b.append("| Status | Check | Host | Finding |\n|---|---|---|---|\n");
            for (Check c : rest) {
                b.append("| ").append(badge(c.status())).append(" ");
                row(b, c);
            }
            b.append("\n</details>\n");
        }
        return b.toString();
    }

    private static void row(StringBuilder b, Check c) {
        b.append("| ").append(code(c.id())).append(" | ").append(c.host() != null ? escape(c.host()) : "").append(" | ")
                .append(escape(c.title())).append(" |\n");
    }

    private static void details(StringBuilder b, Check c) {
        if (c.evidence().isEmpty() && c.remediation() == null) return;
        b.append("<details><summary>").append(code(c.id())).append("</summary>\n\n");
        int shown = 0;
        for (String e : c.evidence()) {
            if (shown++ == EVIDENCE_LINES) {
                b.append("- ... ").append(c.evidence().size() - EVIDENCE_LINES).append(" more lines\n");
                break;
            }
            b.append("- ").append(escape(e.strip())).append('\n');
        }
        if (c.remediation() != null) b.append("\n**Fix:** ").append(escape(c.remediation())).append('\n');
        b.append("\n</details>\n\n");
    }

    private static String badge(Status s) {
        return switch (s) {
            case FAIL -> ":x: fail";
            case WARN -> ":warning: warn";
            case PASS -> ":white_check_mark: pass";
            case SKIP -> ":fast_forward: skip";
        };
    }

    /** An id as code, shown literally; as HTML so it works inside summary tags and table cells alike. */
    static String code(String id) {
        return "<code>" + Html.escape(Printable.text(id)).replace("|", "&#124;") + "</code>";
    }

    /** Text that Markdown and the HTML GitHub allows in comments both show literally, on one line. */
    static String escape(String s) {
        String t = Printable.text(s);
        StringBuilder b = new StringBuilder(t.length() + 16);
        for (char c : t.toCharArray()) {
            switch (c) {
                case '\\', '`', '*', '_', '[', ']', '#', '~', '!' -> b.append('\\').append(c);
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                case '|' -> b.append("&#124;");
                case '\n' -> b.append("<br>");
                case '\t' -> b.append(' ');
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
