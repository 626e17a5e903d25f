package dev.basilica.report.render;

import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Report;
import dev.basilica.report.Status;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML as CI systems read it (Jenkins, GitLab, GitHub test reporters): {@code <testsuites>} with one
 * {@code <testsuite>} per category and one {@code <testcase>} per check. A failed check is a
 * {@code <failure>} holding the evidence and the fix, a skipped one {@code <skipped>}; JUnit has no
 * warning, so a warning passes and says so in {@code <system-out>}. No timestamps: same report, same file.
 */
public final class JunitXmlRenderer {

    private JunitXmlRenderer() {}

    public static String render(Report report) {
        Map<Category, List<Check>> byCategory = new LinkedHashMap<>();
        for (Check c : report.checks()) byCategory.computeIfAbsent(c.category(), k -> new ArrayList<>()).add(c);
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("testsuites");
            w.writeAttribute("name", "basilica report" + (report.environment() != null ? " " + report.environment() : ""));
            counts(w, report.checks());
            for (var e : byCategory.entrySet()) {
                w.writeCharacters("\n  ");
                w.writeStartElement("testsuite");
                w.writeAttribute("name", e.getKey().id());
                counts(w, e.getValue());
                for (Check c : e.getValue()) testcase(w, c);
                w.writeCharacters("\n  ");
                w.writeEndElement();
            }
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write JUnit XML", e);
        }
        return out.toString();
    }

    private static void counts(XMLStreamWriter w, List<Check> checks) throws XMLStreamException {
        w.writeAttribute("tests", Integer.toString(checks.size()));
        w.writeAttribute("failures", Long.toString(checks.stream().filter(c -> c.status() == Status.FAIL).count()));
        w.writeAttribute("errors", "0");
        w.writeAttribute("skipped", Long.toString(checks.stream().filter(c -> c.status() == Status.SKIP).count()));
        w.writeAttribute("time", "0");
    }

    private static void testcase(XMLStreamWriter w, Check c) throws XMLStreamException {
        w.writeCharacters("\n    ");
        w.writeStartElement("testcase");
        w.writeAttribute("name", Printable.xml(c.id()));
        w.writeAttribute("classname", "basilica." + c.category().id() + "." + (c.host() != null ? c.host() : "environment"));
        w.writeAttribute("time", "0");
        switch (c.status()) {
            case FAIL -> {
                w.writeCharacters("\n      ");
                w.writeStartElement("failure");
                w.writeAttribute("message", Printable.xml(c.title()));
                w.writeAttribute("type", c.category().id());
                w.writeCharacters(Printable.xml(body(c)));
                w.writeEndElement();
                w.writeCharacters("\n    ");
            }
            case SKIP -> {
                w.writeCharacters("\n      ");
                w.writeEmptyElement("skipped");
                w.writeAttribute("message", Printable.xml(c.title()));
                w.writeCharacters("\n    ");
            }
            case WARN, PASS -> {
                w.writeCharacters("\n      ");
                w.writeStartElement("system-out");
                w.writeCharacters(Printable.xml((c.status() == Status.WARN ? "WARNING: " : "") + c.title() + "\n" + body(c)));
                w.writeEndElement();
                w.writeCharacters("\n    ");
            }
        }
        w.writeEndElement();
    }

    private static String body(Check c) {
        StringBuilder b = new StringBuilder();
        for (String e : c.evidence()) b.append(e).append('\n');
        if (c.remediation() != null) b.append("Fix: ").append(c.remediation()).append('\n');
        return b.toString();
    }
}
