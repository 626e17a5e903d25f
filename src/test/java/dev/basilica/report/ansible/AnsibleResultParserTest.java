package dev.basilica.report.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.report.Check;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.Status;
import dev.basilica.report.ansible.AnsibleRun.HostStats;
import dev.basilica.report.ansible.AnsibleRun.Outcome;
import dev.basilica.report.ansible.AnsibleRun.TaskResult;
import dev.basilica.support.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AnsibleResultParserTest {

    private static final String LINEAR = "ansible/basilica-linear-unreachable-ignored-retry.txt";
    private static final String FREE = "ansible/basilica-free-strategy.txt";
    private static final String CHECK = "ansible/basilica-check-mode.txt";
    private static final String APT = "ansible/basilica-check-mode-apt-repository.json";
    private static final String SELF_SERVICE = "ansible/selfservice-localhost-skipped-emptyplay.json";

    private static AnsibleRun parse(String fixture, Boolean checkMode) throws ReportInputException {
        return AnsibleResultParser.parse(Fixtures.text(fixture), fixture, checkMode);
    }

    private static List<String> outcomes(AnsibleRun run, String host) {
        return run.results(host).stream().map(r -> r.outcome() + " " + r.task()).toList();
    }

    private static Map<String, Check> byId(List<Check> checks) {
        return checks.stream().collect(Collectors.toMap(Check::id, Function.identity()));
    }

    @Test
    void linearRunWithTextAroundTheJsonAnIgnoredErrorAFailureAndAnUnreachableHost() throws Exception {
        AnsibleRun run = parse(LINEAR, null);
        assertEquals(List.of("[WARNING]: Could not match supplied host pattern, ignoring: validators",
                "\tto retry, use: --limit @/srv/ci/retry/converge.retry"), run.preamble());
        assertEquals(List.of("[WARNING]: Could not match supplied host pattern, ignoring: validators"), run.warnings());
        assertFalse(run.checkMode());
        assertEquals(List.of("gpu-1", "gpu-2", "gpu-down"), run.hosts());
        assertEquals(new HostStats(3, 2, 1, 0, 1, 0, 1), run.stats().get("gpu-2"));
        assertEquals(List.of("CHANGED Create the basilica directory", "CHANGED Install the executor config",
                "SKIPPED Only on GPU hosts with MIG", "IGNORED Probe for an optional tool", "FAILED Check the driver is loaded"),
                outcomes(run, "gpu-2"));
        assertEquals(List.of("CHANGED Create the basilica directory", "CHANGED Install the executor config",
                "SKIPPED Only on GPU hosts with MIG", "IGNORED Probe for an optional tool", "OK Check the driver is loaded",
                "OK Report"), outcomes(run, "gpu-1"));
        assertEquals(List.of("UNREACHABLE Create the basilica directory"), outcomes(run, "gpu-down"));
        TaskResult failed = run.results("gpu-2").get(4);
        assertEquals("non-zero return code", failed.message());
        assertEquals(1, failed.rc());
        assertEquals("command", failed.action());

        Map<String, Check> checks = byId(AnsibleChecks.of(run));
        assertEquals(Status.WARN, checks.get("ansible.warnings").status());
        assertEquals(Status.PASS, checks.get("ansible.gpu-1.tasks").status());
        assertEquals("6 tasks ran without failing, 2 changed", checks.get("ansible.gpu-1.tasks").title());
        assertTrue(checks.get("ansible.gpu-1.tasks").evidence().get(0).startsWith("tolerated failure (ignore_errors or rescue)"));
        Check gpu2 = checks.get("ansible.gpu-2.tasks");
        assertEquals(Status.FAIL, gpu2.status());
        assertEquals("Prepare executor hosts / Check the driver is loaded: non-zero return code (rc 1)", gpu2.evidence().get(0));
        Check down = checks.get("ansible.gpu-down.reachable");
        assertEquals(Status.FAIL, down.status());
        assertTrue(down.evidence().get(0).contains("Connection refused"), down.evidence().toString());
        assertEquals(Status.SKIP, checks.get("ansible.gpu-down.tasks").status());
        assertFalse(checks.containsKey("ansible.gpu-1.would-change"), "no check-mode checks for a real run");
    }

    @Test
    void freeStrategyDuplicatesAreMergedIntoOneTaskPerId() throws Exception {
        AnsibleRun free = parse(FREE, null);
        AnsibleRun linear = parse(LINEAR, null);
        var tasks = free.plays().get(0).tasks();
        assertEquals(6, tasks.size(), tasks.stream().map(AnsibleRun.Task::name).toList().toString());
        assertEquals(List.of("gpu-1", "gpu-2", "gpu-down"), List.copyOf(tasks.get(0).results().keySet()));
        for (String host : List.of("gpu-1", "gpu-2", "gpu-down")) {
            assertEquals(outcomes(linear, host), outcomes(free, host), host);
        }
        assertEquals(AnsibleChecks.of(linear).stream().map(c -> c.id() + " " + c.status()).toList(),
                AnsibleChecks.of(free).stream().map(c -> c.id() + " " + c.status()).toList());
    }

    @Test
    void checkModeSeparatesWouldChangeFromUnpredictableFromRealFailures() throws Exception {
        AnsibleRun run = parse(CHECK, null);
        assertTrue(run.checkMode(), "recognised from 'Command would have run if not in check mode'");
        assertEquals(List.of("CHANGED Create the unit directory", "CHANGED Install the unit file",
                "UNPREDICTABLE Limit the executor's memory"), outcomes(run, "gpu-1"));
        assertEquals("Install the unit file", run.results("gpu-1").get(2).dependsOn());
        assertEquals(List.of("CHANGED Create the unit directory", "SKIPPED Install the unit file",
                "SKIPPED Limit the executor's memory", "NOT_PREDICTED Load the module", "FAILED Read a file that is not there"),
                outcomes(run, "gpu-2"));

        Map<String, Check> checks = byId(AnsibleChecks.of(run));
        assertEquals(Status.PASS, checks.get("ansible.gpu-1.tasks").status(), "a simulated dependency is not a failure");
        assertEquals(Status.WARN, checks.get("ansible.gpu-1.unpredictable").status());
        assertTrue(checks.get("ansible.gpu-1.unpredictable").evidence().get(0)
                .contains("Limit the executor's memory failed because 'Install the unit file' was only simulated"));
        assertEquals(Status.WARN, checks.get("ansible.gpu-1.would-change").status());
        assertEquals(2, checks.get("ansible.gpu-1.would-change").evidence().size());
        assertEquals(Status.FAIL, checks.get("ansible.gpu-2.tasks").status(), "a file that never existed is a real failure");
        assertTrue(checks.get("ansible.gpu-2.unpredictable").evidence().get(0).contains("Command would have run if not in check mode"));
        assertEquals(Status.SKIP, checks.get("ansible.gpu-down.would-change").status());
    }

    @Test
    void aPackageFromARepositoryThatWasOnlySimulatedIsUnpredictable() throws Exception {
        AnsibleRun told = parse(APT, true);
        TaskResult install = told.results("gpu-1").get(1);
        assertEquals(Outcome.UNPREDICTABLE, install.outcome());
        assertEquals("Add the NVIDIA CUDA repository", install.dependsOn());
        assertEquals("No package matching 'nvidia-driver-580-open' is available", install.message());
        assertEquals(Status.PASS, byId(AnsibleChecks.of(told)).get("ansible.gpu-1.tasks").status());

        // Nothing in this run shows it was --check: without being told, it is a real failure.
        AnsibleRun guessed = parse(APT, null);
        assertFalse(guessed.checkMode());
        assertEquals(Outcome.FAILED, guessed.results("gpu-1").get(1).outcome());
        assertNull(guessed.results("gpu-1").get(1).dependsOn());
    }

    @Test
    void olderCallbackOutputWithAnEmptyPlay() throws Exception {
        AnsibleRun run = parse(SELF_SERVICE, null);
        assertEquals(2, run.plays().size());
        assertTrue(run.plays().get(1).tasks().isEmpty());
        assertEquals(List.of("CHANGED Check if cowsay executable in in PATH", "SKIPPED Signal status installed",
                "OK Signal status not installed"), outcomes(run, "localhost"));
        assertEquals("shell", run.results("localhost").get(0).action(), "pre-FQCN action names are kept");
        Map<String, Check> checks = byId(AnsibleChecks.of(run));
        assertEquals(Status.PASS, checks.get("ansible.localhost.tasks").status());
        assertEquals(Status.PASS, checks.get("ansible.localhost.reachable").status());
    }

    @Test
    void aBraceInTheTextBeforeTheDocumentDoesNotConfuseIt() throws Exception {
        String text = "[WARNING]: unexpected value\n{'changed': False}\n" + Fixtures.text(SELF_SERVICE);
        AnsibleRun run = AnsibleResultParser.parse(text, "r.json", null);
        assertEquals(List.of("[WARNING]: unexpected value", "{'changed': False}"), run.preamble());
        assertEquals(List.of("localhost"), run.hosts());
    }

    @Test
    void truncatedOutputIsAnErrorAtItsLineInTheWholeFile() {
        String text = Fixtures.text(LINEAR);
        String cut = text.substring(0, text.indexOf("\"stats\""));
        ReportInputException e = assertThrows(ReportInputException.class, () -> AnsibleResultParser.parse(cut, "run.json", null));
        long lines = cut.lines().count();
        assertTrue(e.getMessage().startsWith("run.json:" + lines + ":"), e.getMessage() + " (file has " + lines + " lines)");
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void namesWhatIsMissingOrWrong() {
        assertEquals("out.txt: this is the default callback's output without its PLAY RECAP (cut short?); run with"
                        + " ANSIBLE_STDOUT_CALLBACK=ansible.posix.json",
                assertThrows(ReportInputException.class, () -> AnsibleResultParser.parse(
                        "PLAY [all] ****\n\nTASK [ping] ****\nok: [gpu-1]\n", "out.txt", null)).getMessage());
        assertTrue(assertThrows(ReportInputException.class, () -> AnsibleResultParser.parse(
                "{\"plays\": []}\n", "r.json", null)).getMessage().startsWith("r.json:1:1: expected 'stats'"));
        String noId = "[WARNING]: x\n{\"plays\":[{\"play\":{\"name\":\"p\"},\"tasks\":[\n  {\"task\":{\"name\":\"t\"},\"hosts\":{}}]}],\"stats\":{}}\n";
        assertEquals("r.json:3:3: expected 'task.id', a string at plays[0].tasks[0]",
                assertThrows(ReportInputException.class, () -> AnsibleResultParser.parse(noId, "r.json", null)).getMessage());
        assertTrue(assertThrows(ReportInputException.class, () -> AnsibleResultParser.parse("", "e.json", null))
                .getMessage().contains("no JSON document found"));
    }
}
