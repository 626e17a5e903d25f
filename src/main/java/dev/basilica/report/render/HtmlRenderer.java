package dev.basilica.report.render;

import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Report;
import dev.basilica.report.Status;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML page: no scripts, stylesheets, fonts or images from elsewhere. A grid of hosts
 * by category shows where the problems are; below it every check, failures first, with its evidence.
 * Everything from the report is escaped.
 */
public final class HtmlRenderer {

    /** The row for checks about the whole environment rather than one host. */
    static final String ENVIRONMENT_ROW = "(environment)";

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1f2328;background:#fff}
            h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
            table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
            thead th{background:#f6f8fa}
            .fail{background:#ffebe9;color:#82071e}.warn{background:#fff8c5;color:#6a4a00}.pass{background:#dafbe1;color:#116329}
            .skip{background:#f6f8fa;color:#59636e}.none{color:#8c959f}
            .badge{font-weight:600;text-transform:uppercase;font-size:.8rem}
            pre{margin:0;white-space:pre-wrap;font-size:.85rem}code{font-size:.85rem}
            .summary span{margin-right:1rem}
            """;

    private HtmlRenderer() {}

    public static String render(Report report) {
        StringBuilder b = new StringBuilder();
        String title = "basilica report" + (report.environment() != null ? ": " + report.environment() : "");
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        b.append("<h1>").append(esc(title)).append("</h1>\n");
        Report.Summary n = report.summary();
        b.append("<p class=\"summary\">");
        for (Status s : Status.values()) {
            b.append("<span class=\"badge ").append(s.id()).append("\">").append(n.count(s)).append(' ').append(s.id()).append("</span>");
        }
        b.append("<span>").append(n.total()).append(" checks</span></p>\n");
        if (!report.sources().isEmpty()) {
            b.append("<p>From: ");
            List<String> shown = report.sources().stream().map(HtmlRenderer::esc).toList();
            b.append(String.join("; ", shown)).append("</p>\n");
        }
        grid(b, report);
        b.append("<h2>Checks</h2>\n<table class=\"checks\">\n<thead><tr><th>Status</th><th>Category</th><th>Host</th><th>Check</th>"
                + "<th>Finding</th><th>Evidence</th><th>Fix</th></tr></thead>\n<tbody>\n");
        for (Status s : Status.values()) {
            for (Check c : report.with(s)) {
                b.append("<tr id=\"").append(esc(anchor(c))).append("\"><td class=\"badge ").append(s.id()).append("\">").append(s.id())
                        .append("</td><td>").append(c.category().id()).append("</td><td>").append(esc(host(c))).append("</td><td><code>")
                        .append(esc(c.id())).append("</code></td><td>").append(esc(c.title())).append("</td><td>");
                if (!c.evidence().isEmpty()) b.append("<pre>").append(esc(String.join("\n", c.evidence()))).append("</pre>");
                b.append("</td><td>").append(c.remediation() != null ? esc(c.remediation()) : "").append("</td></tr>\n");
            }
        }
        b.append("</tbody>\n</table>\n</body>\n</html>\n");
        return b.toString();
    }

    /** Hosts by categories; each cell has the worst status of its checks and links to them. */
    private static void grid(StringBuilder b, Report report) {
        List<Category> categories = report.checks().stream().map(Check::category).distinct().sorted().toList();
        if (categories.isEmpty()) return;
        Map<String, Map<Category, List<Check>>> rows = new LinkedHashMap<>();
        boolean environmentChecks = report.checks().stream().anyMatch(c -> c.host() == null);
        if (environmentChecks) rows.put(ENVIRONMENT_ROW, new EnumMap<>(Category.class));
        for (String h : report.hosts()) rows.put(h, new EnumMap<>(Category.class));
        for (Check c : report.checks()) {
            rows.get(host(c)).computeIfAbsent(c.category(), k -> new ArrayList<>()).add(c);
        }
        b.append("<h2>Hosts</h2>\n<table class=\"grid\">\n<thead><tr><th>Host</th>");
        for (Category c : categories) b.append("<th>").append(c.id()).append("</th>");
        b.append("</tr></thead>\n<tbody>\n");
        for (var row : rows.entrySet()) {
            b.append("<tr><th>").append(esc(row.getKey())).append("</th>");
            for (Category cat : categories) {
                List<Check> checks = row.getValue().getOrDefault(cat, List.of());
                if (checks.isEmpty()) {
                    b.append("<td class=\"none\">&ndash;</td>");
                    continue;
                }
                Status worst = checks.stream().map(Check::status).min(Enum::compareTo).orElseThrow();
                b.append("<td class=\"").append(worst.id()).append("\">");
                List<String> links = new ArrayList<>();
                for (Check c : checks) {
                    links.add("<a href=\"#" + esc(anchor(c)) + "\" title=\"" + esc(c.id() + ": " + c.title()) + "\">" + c.status().id() + "</a>");
                }
                b.append(String.join(" ", links)).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    private static String anchor(Check c) {
        return "check-" + c.id().replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static String host(Check c) {
        return c.host() != null ? c.host() : ENVIRONMENT_ROW;
    }

    private static String esc(String s) {
        return Html.escape(Printable.text(s));
    }
}
