package dev.basilica.report.render;

import dev.basilica.report.Report;
import java.util.Locale;

/** The forms a report is rendered in. */
public enum ReportFormat {
    TEXT("report.txt"), JSON("report.json"), JUNIT("junit.xml"), MARKDOWN("report.md"), HTML("report.html");

    private final String fileName;

    ReportFormat(String fileName) {
        this.fileName = fileName;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The file name under {@code out/ENV/reports/}. */
    public String fileName() {
        return fileName;
    }

    /** @param colour ANSI colours in the text form; ignored by the others */
    public String render(Report report, boolean colour) {
        return switch (this) {
            case TEXT -> new TextRenderer(colour).render(report);
            case JSON -> ReportJson.write(report);
            case JUNIT -> JunitXmlRenderer.render(report);
            case MARKDOWN -> MarkdownRenderer.render(report);
            case HTML -> HtmlRenderer.render(report);
        };
    }

    /** The format a file name implies: .json, .xml, .md, .html/.htm; text otherwise. */
    public static ReportFormat forFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".json")) return JSON;
        if (n.endsWith(".xml")) return JUNIT;
        if (n.endsWith(".md") || n.endsWith(".markdown")) return MARKDOWN;
        if (n.endsWith(".html") || n.endsWith(".htm")) return HTML;
        return TEXT;
    }
}
