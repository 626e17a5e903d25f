package dev.basilica.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.report.ansible.AnsibleChecks;
import dev.basilica.report.ansible.AnsibleResultParser;
import dev.basilica.report.ansible.AnsibleRun;
import dev.basilica.report.terraform.TerraformChecks;
import dev.basilica.report.terraform.TerraformPlan;
import dev.basilica.report.terraform.TerraformPlan.Counts;
import dev.basilica.report.terraform.TerraformPlanParser;
import dev.basilica.support.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Real captures from public projects (see fixtures/PROVENANCE.md), read in every way an operator may have
 * saved them: UTF-8 with BOM, UTF-16 LE/BE with BOM, CRLF, and inside a CI wrapper's lines. The encoded and
 * wrapped variants are made here from the real files, not committed.
 */
class ToolOutputCorpusTest {

    private static byte[] bytes(String fixture) throws Exception {
        return Files.readAllBytes(Fixtures.path(fixture));
    }

    /** The same text as Windows PowerShell's {@code >} saves it, and the other forms seen in the wild. */
    private static byte[] encode(String text, String form) {
        String crlf = text.replace("\n", "\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (form) {
            case "utf8" -> out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            case "utf8-bom" -> {
                out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
                out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            }
            case "utf8-crlf" -> out.writeBytes(crlf.getBytes(StandardCharsets.UTF_8));
            case "utf16le-bom-crlf" -> {
                out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE});
                out.writeBytes(crlf.getBytes(StandardCharsets.UTF_16LE));
            }
            case "utf16be-bom" -> {
                out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF});
                out.writeBytes(text.getBytes(StandardCharsets.UTF_16BE));
            }
            case "utf16le-nobom" -> out.writeBytes(text.getBytes(StandardCharsets.UTF_16LE));
            default -> throw new IllegalArgumentException(form);
        }
        return out.toByteArray();
    }

    /**
     * hashicorp/setup-terraform's wrapper (v1): the command line, the tool's stdout, then debug and
     * set-output lines repeating it with %0A / %25 escapes (the framing of the real run logs cited in
     * PROVENANCE.md; the plan in the middle is the real capture).
     */
    /** A workflow command's data escaping, as GitHub's toolkit writes it. */
    private static String escaped(String output) {
        return output.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String wrapped(String plan) {
        String escaped = escaped(plan);
        return "[command]/home/runner/work/_temp/3e1c0a0e/terraform-bin show -json tfplan\n" + plan.stripTrailing()
                + "\n::debug::Terraform exited with code 0.\n::debug::stdout: " + escaped + "\n::debug::stderr: \n"
                + "::debug::exitcode: 0\n::set-output name=stdout::" + escaped + "\n::set-output name=stderr::\n"
                + "::set-output name=exitcode::0\n";
    }

    private static Map<String, Check> byId(List<Check> checks) {
        return checks.stream().collect(Collectors.toMap(Check::id, Function.identity(), (a, b) -> a));
    }

    /** fixture, format_version, create, update, replace, delete, destructive network changes */
    @ParameterizedTest
    @CsvSource({
            "terraform/show-json/tfjson-basic-v0.1-tf0.12.11.json, 0.1, 7, 0, 0, 0",
            "terraform/show-json/tfjson-sensitive-values-v0.2-tf1.1.0-dev.json, 0.2, 7, 0, 0, 0",
            "terraform/show-json/tfjson-basic-v1.0-tf1.1.0-dev.json, 1.0, 7, 0, 0, 0",
            "terraform/show-json/tfjson-basic-v1.1-tf1.2.0-rc1.json, 1.1, 7, 0, 0, 0",
            "terraform/show-json/tfjson-has-checks-v1.2-tf1.5.4.json, 1.2, 2, 0, 0, 0",
            "terraform/show-json/tfjson-action-reason-replace-v1.2-tf1.15.0.json, 1.2, 0, 0, 1, 0",
            "terraform/show-json/tfreport-tofu1.11.5-modules-replace-delete-v1.2.json, 1.2, 3, 0, 2, 2",
            "terraform/show-json/tfreport-null-lifecycle-checks-v1.2-tf1.14.9.json, 1.2, 0, 1, 1, 1",
            "terraform/show-json/tfreport-noop-not-applyable-v1.2-tf1.14.6.json, 1.2, 0, 0, 0, 0",
            "terraform/show-json/checkov-terragoat-aws-sg-vpc-v0.1-tf0.12.23.json, 0.1, 55, 0, 0, 0",
    })
    void everyFormatVersionInEveryEncodingAndWrapper(String fixture, String format, int create, int update, int replace, int delete)
            throws Exception {
        String text = new String(bytes(fixture), StandardCharsets.UTF_8);
        TerraformPlan plan = TerraformPlanParser.parse(text, fixture);
        assertEquals(format, plan.formatVersion());
        Counts n = plan.counts();
        assertEquals(List.of(create, update, replace, delete), List.of(n.create(), n.update(), n.replace(), n.delete()), fixture);
        Check reference = byId(TerraformChecks.read(text, fixture)).get("terraform.plan");
        for (String form : List.of("utf8-bom", "utf8-crlf", "utf16le-bom-crlf", "utf16be-bom", "utf16le-nobom")) {
            ToolText decoded = ToolText.decode(encode(text, form), fixture, true);
            Check c = byId(TerraformChecks.read(decoded, fixture)).get("terraform.plan");
            assertEquals(reference.title(), c.title(), form);
            assertEquals(reference.status(), c.status(), form);
            assertTrue(c.evidence().get(0).startsWith("input: "), form + ": " + c.evidence());
        }
        for (String form : List.of("utf8", "utf16le-bom-crlf")) {
            ToolText decoded = ToolText.decode(encode(wrapped(text), form), fixture, true);
            Check c = byId(TerraformChecks.read(decoded, fixture)).get("terraform.plan");
            assertEquals(reference.title(), c.title(), "wrapped " + form);
            assertTrue(c.evidence().stream().anyMatch(e -> e.startsWith("input: skipped 1 line before the plan and 7 after it (a CI wrapper")),
                    c.evidence().toString());
        }
        // A log whose only copy of the plan is the wrapper's set-output line (or, failing that, its debug echo).
        String setOutput = "::set-output name=stdout::" + escaped(text) + "\n::set-output name=exitcode::0\n";
        String debugOnly = "::debug::Terraform exited with code 0.\n::debug::stdout: " + escaped(text) + "\n::debug::exitcode: 0\n";
        for (String log : List.of(setOutput, debugOnly)) {
            Check c = byId(TerraformChecks.read(ToolText.decode(encode(log, "utf16le-bom-crlf"), fixture, true), fixture)).get("terraform.plan");
            assertEquals(reference.title(), c.title(), log.substring(0, 30));
            assertEquals(reference.status(), c.status());
            assertTrue(c.evidence().stream().anyMatch(e -> e.startsWith("input: taken out of a CI log's '::")), c.evidence().toString());
        }
    }

    @Test
    void theOpenTofuPlanDestroysWhatItsStreamSays() throws Exception {
        String show = "terraform/show-json/tfreport-tofu1.11.5-modules-replace-delete-v1.2.json";
        String log = "terraform/plan-jsonl/tfreport-tofu1.11.5-modules-replace-delete.jsonl";
        Map<String, Check> fromShow = byId(TerraformChecks.read(Fixtures.text(show), show));
        Map<String, Check> fromLog = byId(TerraformChecks.read(ToolText.decode(encode(Fixtures.text(log), "utf16le-bom-crlf"), log, true), log));
        assertEquals(Status.WARN, fromShow.get("terraform.destroys-other").status());
        assertEquals(4, fromShow.get("terraform.destroys-other").evidence().size(), fromShow.get("terraform.destroys-other").evidence().toString());
        Check plan = fromLog.get("terraform.plan-log");
        assertTrue(plan.evidence().contains("OpenTofu 1.11.5, UI messages 1.2"), plan.evidence().toString());
        assertTrue(plan.evidence().get(0).startsWith("input: read as UTF-16LE"), plan.evidence().toString());
        assertTrue(plan.title().contains("5 to add") && plan.title().contains("4 to destroy"), plan.title());
    }

    @Test
    void checksAndCompletenessOfNewerFormats() throws Exception {
        String checks = "terraform/show-json/tfjson-has-checks-v1.2-tf1.5.4.json";
        Check c = byId(TerraformChecks.read(Fixtures.text(checks), checks)).get("terraform.checks");
        assertEquals(Status.PASS, c.status());
        assertEquals(List.of("module.files.local_file.foo: pass"), c.evidence());
        String unknown = "terraform/show-json/tfreport-null-lifecycle-checks-v1.2-tf1.14.9.json";
        Check u = byId(TerraformChecks.read(Fixtures.text(unknown), unknown)).get("terraform.checks");
        assertEquals("1 Terraform check without failure (1 known only at apply)", u.title());
        String noop = "terraform/show-json/tfreport-noop-not-applyable-v1.2-tf1.14.6.json";
        Check p = byId(TerraformChecks.read(Fixtures.text(noop), noop)).get("terraform.plan");
        assertTrue(p.evidence().contains("nothing to apply (applyable: false)"), p.evidence().toString());
        assertEquals(Boolean.TRUE, TerraformPlanParser.parse(Fixtures.text("terraform/show-json/tfjson-action-reason-replace-v1.2-tf1.15.0.json"), "x").complete());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "\u0000\u0001\u0002binary\u0000"})
    void whatIsNoToolOutputIsStillRefused(String content) {
        ReportInputException e = assertThrows(ReportInputException.class, () -> TerraformChecks.read(
                ToolText.decode(content.getBytes(StandardCharsets.ISO_8859_1), "in", true), "in"));
        assertTrue(e.problem().contains("empty") || e.problem().contains("HTML") || e.problem().contains("binary"), e.problem());
    }

    @Test
    void anotherToolsJsonIsNamed() throws Exception {
        String ansible = "ansible/selfservice-localhost-skipped-emptyplay.json";
        ReportInputException e = assertThrows(ReportInputException.class, () -> TerraformChecks.read(Fixtures.text(ansible), ansible));
        assertTrue(e.problem().contains("format_version"), e.problem());
    }

    /** fixture, host, ok, changed, unreachable, failed, skipped, rescued, ignored, tasks status */
    @ParameterizedTest
    @CsvSource({
            "ansible/ansible-core-default-callback-default.txt, testhost, 19, 11, 0, 0, 4, 1, 2, PASS",
            "ansible/ansible-core-default-callback-result_format_yaml.txt, testhost, 19, 11, 0, 0, 4, 1, 2, PASS",
            "ansible/ansible-core-default-callback-include_role_fails.txt, testhost, 0, 0, 0, 1, 0, 0, 0, FAIL",
            "ansible/ansible-core-default-callback-host_pinned.txt, testhost11, 3, 3, 0, 0, 0, 0, 0, PASS",
    })
    void playRecapFallback(String fixture, String host, int ok, int changed, int unreachable, int failed, int skipped, int rescued,
                           int ignored, Status tasks) throws Exception {
        String text = Fixtures.text(fixture);
        for (String form : List.of("utf8", "utf16le-bom-crlf")) {
            AnsibleRun run = AnsibleResultParser.parse(ToolText.decode(encode(text, form), fixture, false), fixture, null);
            assertTrue(run.recapOnly());
            assertEquals(new AnsibleRun.HostStats(ok, changed, failed, unreachable, skipped, rescued, ignored), run.stats().get(host));
            Map<String, Check> checks = byId(AnsibleChecks.of(run));
            assertEquals(tasks, checks.get("ansible." + host + ".tasks").status());
            assertEquals(Status.PASS, checks.get("ansible." + host + ".reachable").status());
            assertTrue(checks.get("ansible.input").evidence().stream().anyMatch(l -> l.startsWith("only the PLAY RECAP was read")));
        }
        if (fixture.contains("host_pinned")) {
            assertEquals(List.of("testhost10", "testhost11", "testhost12"), AnsibleResultParser.parse(text, fixture, null).hosts());
        }
    }

    /** Recaps pasted into public issue threads, each with an unreachable host: the host is reported unreachable, the others not. */
    @ParameterizedTest
    @CsvSource({
            // Ansible before 2.8: four counts per host.
            "ansible/issue-algo-375-unreachable-old-recap.txt, 159.203.143.172, localhost, 20, 3",
            "ansible/issue-ansible-pr17598-unreachable-retry.txt, cantconnect, localhost, 1, 0",
            // The paste lost the line break after the banner's stars: the counts stand on the banner line.
            "ansible/issue-internet-pi-379-recap-line-joined.txt, 192.168.1.15, , 0, 0",
    })
    void pastedRecapsWithUnreachableHosts(String fixture, String unreachable, String other, int otherOk, int otherChanged) throws Exception {
        AnsibleRun run = AnsibleResultParser.parse(Fixtures.text(fixture), fixture, null);
        assertTrue(run.recapOnly());
        assertEquals(new AnsibleRun.HostStats(0, 0, 0, 1, 0, 0, 0), run.stats().get(unreachable));
        Map<String, Check> checks = byId(AnsibleChecks.of(run));
        assertEquals(Status.FAIL, checks.get("ansible." + unreachable + ".reachable").status(), checks.toString());
        if (other != null) {
            assertEquals(new AnsibleRun.HostStats(otherOk, otherChanged, 0, 0, 0, 0, 0), run.stats().get(other));
            assertEquals(Status.PASS, checks.get("ansible." + other + ".reachable").status());
            assertEquals(2, run.stats().size());
        } else {
            assertEquals(1, run.stats().size());
            assertTrue(run.inputNotes().stream().anyMatch(n -> n.contains("PLAY RECAP banner line itself")), run.inputNotes().toString());
        }
    }

    @Test
    void colouredRecapReadsTheSame() throws Exception {
        // Ansible's colours (host and counts in C.COLOR_OK/CHANGED escapes) added to the real recap line.
        String fixture = "ansible/ansible-core-default-callback-include_role_fails.txt";
        String text = Fixtures.text(fixture).replace("testhost                   : ok=0    changed=0    unreachable=0    failed=1",
                "\u001b[0;31mtesthost\u001b[0m                   : ok=0    changed=0    unreachable=0    \u001b[0;31mfailed=1   \u001b[0m");
        AnsibleRun run = AnsibleResultParser.parse(text, fixture, null);
        assertEquals(1, run.stats().get("testhost").failures());
        assertTrue(run.inputNotes().get(0).contains("colour codes removed"));
    }
}
