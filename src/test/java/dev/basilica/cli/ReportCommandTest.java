package dev.basilica.cli;

import dev.basilica.report.render.Colour;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.report.Check;
import dev.basilica.report.Report;
import dev.basilica.report.Status;
import dev.basilica.report.render.ReportJson;
import dev.basilica.support.CliRun;
import dev.basilica.support.Fixtures;
import dev.basilica.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

    @TempDir
    Path home;

    private String awsPlan;
    private String h200;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(home.resolve("environments"));
        try (Stream<Path> s = Files.list(Repo.path("environments"))) {
            for (Path p : s.toList()) Files.copy(p, home.resolve("environments").resolve(p.getFileName()));
        }
        awsPlan = copy("terraform/show-json/basilica-aws-firewall-replace-v1.2-tf1.11.4.json", "plan.json");
        h200 = copy("nvidia-smi/h200-sxm-driver580-q.xml", "gpu.xml");
    }

    private String copy(String fixture, String name) throws IOException {
        Files.copy(Fixtures.path(fixture), home.resolve(name));
        return name;
    }

    @Test
    void helpShowsOptionsAndExamples() {
        CliRun help = CliRun.run(home, "report", "--help");
        assertEquals(0, help.exitCode(), help.toString());
        for (String s : List.of("--terraform-plan", "--ansible-result", "--gpu", "--format", "--output", "--env", "Examples:",
                "--format junit --output report.xml")) {
            assertTrue(help.out().contains(s), s + " missing from\n" + help.out());
        }
        assertTrue(CliRun.run(home, "--help").out().contains("report"));
    }

    @Test
    void jsonOnStdoutIsTheWholeReportAndFailuresExitOne() throws Exception {
        CliRun run = CliRun.run(home, "report", "--terraform-plan", awsPlan, "--format", "json");
        assertEquals(ExitCode.CHECKS_FAILED, run.exitCode(), run.toString());
        Report report = ReportJson.read(run.out());
        assertEquals(List.of("terraform: plan.json"), report.sources());
        assertEquals(3, report.summary().fail());
        assertTrue(report.checks().stream().anyMatch(c -> c.id().equals("terraform.destroys.aws_security_group.executor")));
        assertFalse(Files.exists(home.resolve("out")), "stdout format: nothing written");
    }

    @Test
    void allPassingExitsZero() {
        CliRun run = CliRun.run(home, "report", "--gpu", "gpu-1=" + h200, "--format", "text");
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("gpu.gpu-1.nvidia-smi"), run.out());
        assertFalse(run.out().contains("\u001b"), "not a terminal: no colour");
    }

    @Test
    void withAnEnvironmentGpusAreComparedAndEveryFormatIsWrittenUnderReports() throws IOException {
        assertEquals(0, CliRun.run(home, "generate", "--env", "staging").exitCode());
        CliRun run = CliRun.run(home, "report", "--env", "staging", "--gpu", "staging-gpu-2=" + h200, "--terraform-plan", awsPlan);
        assertEquals(ExitCode.CHECKS_FAILED, run.exitCode(), run.toString());
        assertTrue(run.out().contains("gpu.staging-gpu-2.count") && run.out().contains("1 of 8 H200"), run.out());
        assertTrue(run.out().contains("gpu.staging-gpu-1.nvidia-smi") && run.out().contains("No nvidia-smi output given"), run.out());
        assertTrue(run.out().contains("Wrote state/staging/reports/: report.json, junit.xml, report.md, report.html"), run.out());
        Path reports = home.resolve("state/staging/reports");
        for (String f : List.of("report.json", "junit.xml", "report.md", "report.html")) {
            assertTrue(Files.size(reports.resolve(f)) > 0, f);
        }
        try (Stream<Path> s = Files.list(reports)) {
            assertEquals(4, s.count(), "no temporary files left behind");
        }
        CliRun check = CliRun.run(home, "generate", "--env", "staging", "--check");
        assertEquals(0, check.exitCode(), "state/ is not part of the generated tree:\n" + check);
        CliRun again = CliRun.run(home, "generate", "--env", "staging");
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(Files.exists(reports.resolve("report.json")), "generate never touches state/");
    }

    @Test
    void anUnknownHostIsAnInputError() {
        CliRun run = CliRun.run(home, "report", "--env", "staging", "--gpu", "staging-gpu-3=" + h200);
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--gpu staging-gpu-3=gpu.xml: no host 'staging-gpu-3' in environment 'staging'; did you mean"),
                run.err());
        assertEquals("", run.out());
    }

    @Test
    void everyBadInputIsNamedAtOnce() throws IOException {
        String plan = Fixtures.text("terraform/show-json/tfplanformat-sensitive-replace-v1.2-tf1.7.5.json");
        Files.writeString(home.resolve("cut.json"), plan.substring(0, plan.length() / 2));
        Files.writeString(home.resolve("empty.csv"), "");
        CliRun run = CliRun.run(home, "report", "--terraform-plan", "cut.json", "--gpu", "a=empty.csv", "--gpu", "nofile",
                "--ansible-result", "missing.json");
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("cut.json:"), run.err());
        assertTrue(run.err().contains("(truncated?)"), run.err());
        assertTrue(run.err().contains("empty.csv: empty file"), run.err());
        assertTrue(run.err().contains("--gpu takes HOST=FILE, not 'nofile'"), run.err());
        assertTrue(run.err().contains("missing.json: no such file"), run.err());
        assertTrue(run.err().contains("4 input errors; no report was made."), run.err());
        assertFalse(run.err().contains("hxk5iA=="), "no secret from the input in an error");
    }

    @Test
    void outputFileInTheFormatItsNameSays() throws Exception {
        CliRun run = CliRun.run(home, "report", "--terraform-plan", awsPlan, "--output", "reports/junit.xml");
        assertEquals(ExitCode.CHECKS_FAILED, run.exitCode(), run.toString());
        String xml = Files.readString(home.resolve("reports/junit.xml"));
        assertTrue(xml.startsWith("<?xml") && xml.contains("<testsuite name=\"terraform\" tests=\"4\" failures=\"3\""), xml);
        assertTrue(run.out().startsWith("Wrote reports/junit.xml (junit): 3 failed"), run.out());
        try (Stream<Path> s = Files.list(home.resolve("reports"))) {
            assertEquals(1, s.count());
        }
        CliRun md = CliRun.run(home, "report", "--terraform-plan", awsPlan, "--format", "markdown", "--output", "comment.txt");
        assertTrue(Files.readString(home.resolve("comment.txt")).startsWith("### basilica report"), "--format wins over the extension");
        assertEquals(ExitCode.CHECKS_FAILED, md.exitCode());
    }

    @Test
    void ansibleCheckModeCanBeStated() throws IOException {
        String apt = copy("ansible/basilica-check-mode-apt-repository.json", "check.json");
        CliRun guessed = CliRun.run(home, "report", "--ansible-result", apt, "--format", "json");
        assertEquals(ExitCode.CHECKS_FAILED, guessed.exitCode(), guessed.toString());
        CliRun told = CliRun.run(home, "report", "--ansible-result", apt, "--ansible-check-mode", "--format", "json");
        assertEquals(ExitCode.OK, told.exitCode(), told.toString());
        assertTrue(told.out().contains("\"id\" : \"ansible.gpu-1.unpredictable\""), told.out());
    }

    @Test
    void nothingToReportIsAnInputError() {
        CliRun run = CliRun.run(home, "report");
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode());
        assertTrue(run.err().contains("nothing to report"), run.err());
        assertEquals(ExitCode.INVALID_INPUT, CliRun.run(home, "report", "--gpu", "a=" + h200, "--format", "yaml").exitCode());
        assertEquals(ExitCode.INVALID_INPUT, CliRun.run(home, "report", "--gpu", "a=" + h200, "--color", "sometimes").exitCode());
    }

    @Test
    void coloursFollowTheFlagNoColorAndTheTerminal() {
        assertTrue(Colour.AUTO.enabled(Map.of(), true));
        assertFalse(Colour.AUTO.enabled(Map.of("NO_COLOR", "1"), true));
        assertTrue(Colour.AUTO.enabled(Map.of("NO_COLOR", ""), true), "an empty NO_COLOR does not count");
        assertFalse(Colour.AUTO.enabled(Map.of(), false), "not a terminal");
        assertTrue(Colour.ALWAYS.enabled(Map.of("NO_COLOR", "1"), false), "the command line overrides NO_COLOR");
        assertFalse(Colour.NEVER.enabled(Map.of(), true));
        CliRun always = CliRun.run(home, home, Map.of("NO_COLOR", "1"), "report", "--gpu", "a=" + h200, "--color", "always");
        assertTrue(always.out().contains("\u001b[32mPASS"), always.out());
        CliRun auto = CliRun.run(home, home, Map.of("NO_COLOR", "1"), "report", "--gpu", "a=" + h200);
        assertFalse(auto.out().contains("\u001b"), auto.out());
    }

    @Test
    void aReportWithoutGpuInputsAddsNoGpuChecks() throws Exception {
        CliRun run = CliRun.run(home, "report", "--env", "staging", "--terraform-plan", awsPlan, "--format", "json");
        Report r = ReportJson.read(run.out());
        assertEquals("staging", r.environment());
        assertTrue(r.checks().stream().map(Check::id).noneMatch(id -> id.startsWith("gpu.")));
        assertTrue(r.checks().stream().filter(c -> c.status() == Status.FAIL).allMatch(c -> c.id().startsWith("terraform.destroys.")));
    }

    @Test
    void aBinaryPlanFileIsNamedWithTheCommandThatConvertsIt() throws IOException {
        Files.write(home.resolve("tfplan"), new byte[] {'P', 'K', 3, 4, 20, 0, 8, 0, (byte) 0xff, (byte) 0xfe});
        CliRun run = CliRun.run(home, "report", "--terraform-plan", "tfplan", "--gpu", "a=tfplan");
        assertEquals(ExitCode.INVALID_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("tfplan: this is a binary plan file; convert it with 'terraform show -json tfplan > plan.json'"),
                run.err());
        assertTrue(run.err().contains("tfplan: a zip archive, not text output"), run.err());
    }
}
