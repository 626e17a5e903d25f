package dev.basilica.report.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Report;
import dev.basilica.report.Status;
import dev.basilica.support.Repo;
import java.io.StringReader;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class RenderersTest {

    /** Evidence as hostile as tool output gets: markup, table syntax, terminal escapes, control characters. */
    private static final String HOSTILE = "<script>alert('x')</script> | a & b `tick` \u001b[31mred\u001b[0m \u0001bell **bold** [l](http://e.x)";

    static Report report() {
        return Report.of("staging", List.of("terraform: plan.json", "gpu staging-gpu-1: gpu1.xml"), List.of(
                Check.of("gpu.staging-gpu-1.count", "staging-gpu-1", Category.GPU, Status.FAIL, "7 of 8 H100",
                        List.of("H100: model 8, nvidia-smi 7", HOSTILE), "Check 'nvidia-smi -L' & dmesg"),
                Check.of("gpu.staging-gpu-1.ecc", "staging-gpu-1", Category.GPU, Status.WARN, "ECC disabled on 1 GPU",
                        List.of("ECC disabled: GPU 3"), "Enable ECC"),
                Check.of("gpu.staging-gpu-1.nvidia-smi", "staging-gpu-1", Category.GPU, Status.PASS, "nvidia-smi lists 7 GPUs",
                        List.of(), null),
                Check.of("terraform.plan", null, Category.TERRAFORM, Status.PASS, "Plan: 1 to create", List.of("create a.b"), null),
                Check.of("terraform.destroys.aws_security_group.executor", null, Category.TERRAFORM, Status.FAIL,
                        "Plan replaces firewall resource aws_security_group.executor (deletes it first)",
                        List.of("replace aws_security_group.executor", "name: a -> b (forces replacement)"), "Use create_before_destroy"),
                Check.of("ansible.staging-miner.tasks", "staging-miner", Category.ANSIBLE, Status.SKIP, "No task ran on this host",
                        List.of(), null)));
    }

    @Test
    void jsonRoundTripsTheWholeModel() throws Exception {
        Report r = report();
        String json = ReportJson.write(r);
        assertEquals(r, ReportJson.read(json));
        assertTrue(json.contains("\"status\" : \"fail\""), json);
        assertTrue(json.contains("\"summary\" : {\n    \"total\" : 6,\n    \"pass\" : 2,\n    \"fail\" : 2,\n    \"warn\" : 1,\n    \"skip\" : 1"), json);
    }

    @Test
    void junitXmlParsesHasTheCountsAndFitsTheSchemaCiSystemsRead() throws Exception {
        String xml = JunitXmlRenderer.render(report());
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        Element root = doc.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        assertEquals("6", root.getAttribute("tests"));
        assertEquals("2", root.getAttribute("failures"));
        assertEquals("1", root.getAttribute("skipped"));
        NodeList suites = root.getElementsByTagName("testsuite");
        assertEquals(3, suites.getLength(), "one testsuite per category that has checks");
        Element gpu = null;
        for (int i = 0; i < suites.getLength(); i++) {
            Element s = (Element) suites.item(i);
            if (s.getAttribute("name").equals("gpu")) gpu = s;
        }
        assertEquals("3", gpu.getAttribute("tests"));
        assertEquals("1", gpu.getAttribute("failures"));
        assertEquals(3, gpu.getElementsByTagName("testcase").getLength());
        assertEquals(6, root.getElementsByTagName("testcase").getLength());
        Element failure = (Element) gpu.getElementsByTagName("failure").item(0);
        assertEquals("7 of 8 H100", failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("<script>alert('x')</script> | a & b"), failure.getTextContent());
        assertFalse(failure.getTextContent().contains("\u001b"), "terminal escapes are removed");
        assertTrue(failure.getTextContent().contains("Fix: Check 'nvidia-smi -L' & dmesg"));
        assertEquals(1, root.getElementsByTagName("skipped").getLength());

        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        sf.newSchema(Repo.path("src/test/resources/junit/junit-report-shape.xsd").toFile())
                .newValidator().validate(new StreamSource(new StringReader(xml)));
    }

    @Test
    void junitXmlDropsCharactersXmlCannotHold() throws Exception {
        Report r = Report.of(null, List.of(), List.of(Check.of("x", null, Category.ANSIBLE, Status.FAIL, "lone \uD800 surrogate \uFFFF",
                List.of("nul \u0000 and form feed \u000c"), null)));
        String xml = JunitXmlRenderer.render(r);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        String text = doc.getDocumentElement().getTextContent() + " " + xml;
        for (String dropped : List.of("\uD800", "\uFFFF", "\u0000", "\u000c")) {
            assertFalse(text.contains(dropped), () -> "U+" + Integer.toHexString(dropped.charAt(0)) + " kept in\n" + xml);
        }
        for (String kept : List.of("lone", "surrogate", "nul", "and form feed")) {
            assertTrue(text.contains(kept), () -> "'" + kept + "' lost from\n" + xml);
        }
    }

    @Test
    void htmlEscapesEverythingAndLoadsNothing() {
        String html = HtmlRenderer.render(report());
        assertFalse(html.contains("<script"), "no script at all, and evidence cannot add one");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; | a &amp; b"), html);
        assertFalse(html.contains("\u001b"));
        assertFalse(html.contains("\u0001"));
        for (String external : List.of("src=", "href=\"http", "@import", "url(", "<link")) {
            assertFalse(html.contains(external), "no external asset: " + external);
        }
        // The grid: a row per host and one for the environment, a column per category present.
        assertTrue(html.contains("<thead><tr><th>Host</th><th>terraform</th><th>ansible</th><th>gpu</th></tr></thead>"), html);
        assertTrue(html.contains("<tr><th>(environment)</th><td class=\"fail\">"), html);
        assertTrue(html.contains("<tr><th>staging-gpu-1</th><td class=\"none\">&ndash;</td><td class=\"none\">&ndash;</td><td class=\"fail\">"), html);
        assertTrue(html.contains("<tr><th>staging-miner</th><td class=\"none\">&ndash;</td><td class=\"skip\">"), html);
        assertTrue(html.indexOf(">fail</td>") < html.indexOf(">warn</td>") && html.indexOf(">warn</td>") < html.indexOf(">pass</td>"),
                "failures first");
    }

    @Test
    void markdownListsFailuresFirstAndEscapesToolOutput() {
        String md = MarkdownRenderer.render(report());
        int failures = md.indexOf("#### Failures");
        int warnings = md.indexOf("#### Warnings");
        int rest = md.indexOf("Passed and skipped (3)");
        assertTrue(failures > 0 && failures < warnings && warnings < rest, md);
        String firstRow = md.substring(failures).lines().skip(4).findFirst().orElseThrow();
        assertTrue(firstRow.startsWith("| <code>terraform.destroys.aws_security_group.executor</code> |"), firstRow);
        assertTrue(md.contains("**2 failed** (6 checks)"), md);
        assertTrue(md.contains("| :x: fail | 2 |"), md);
        assertFalse(md.contains("<script>"), md);
        String hostile = md.lines().filter(l -> l.contains("alert")).findFirst().orElseThrow();
        assertEquals("- &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &#124; a &amp; b \\`tick\\` \uFFFD\\[31mred\uFFFD\\[0m \uFFFDbell"
                + " \\*\\*bold\\*\\* \\[l\\](http://e.x)", hostile);
        // Every table row has as many cells as its header.
        for (String line : md.lines().filter(l -> l.startsWith("| ")).toList()) {
            long cells = line.chars().filter(c -> c == '|').count();
            assertTrue(cells == 3 || cells == 4 || cells == 5, line);
        }
    }

    @Test
    void textHasATableAndColoursOnlyWhenAsked() {
        String plain = new TextRenderer(false).render(report());
        assertFalse(plain.contains("\u001b"), "no colour and no escape from the evidence either");
        assertTrue(plain.contains("STATUS  CATEGORY   HOST           CHECK"), plain);
        assertTrue(plain.contains("6 checks: 2 failed, 1 warning, 2 passed, 1 skipped"), plain);
        assertTrue(plain.indexOf("Failures:") < plain.indexOf("Warnings:"));
        String coloured = new TextRenderer(true).render(report());
        assertTrue(coloured.contains("\u001b[1;31mFAIL  \u001b[0m"), coloured);
        assertTrue(coloured.contains("\u001b[32mPASS  \u001b[0m"), coloured);
        assertFalse(coloured.contains("\u001b[31mred"), "evidence cannot colour the terminal");
    }

    @Test
    void formatFromAFileName() {
        assertEquals(ReportFormat.JUNIT, ReportFormat.forFileName("out/junit.XML"));
        assertEquals(ReportFormat.MARKDOWN, ReportFormat.forFileName("comment.md"));
        assertEquals(ReportFormat.HTML, ReportFormat.forFileName("r.html"));
        assertEquals(ReportFormat.JSON, ReportFormat.forFileName("r.json"));
        assertEquals(ReportFormat.TEXT, ReportFormat.forFileName("r.log"));
    }
}
