package dev.basilica.report.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.report.ReportInputException;
import dev.basilica.report.ansible.AnsibleEventStream.Kind;
import dev.basilica.report.ansible.AnsibleEventStream.Progress;
import dev.basilica.report.ansible.AnsibleRun.HostStats;
import dev.basilica.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jsonl stream of a real {@code ansible-playbook} run (two hosts on {@code connection: local}, in a
 * temporary directory): progress per event, and the rebuilt document read by the JSON callback's parser.
 */
@Tag("tools")
class AnsibleEventStreamTest {

    private static final String PLAYBOOK = String.join("\n",
            "- name: First play",
            "  hosts: all",
            "  gather_facts: false",
            "  strategy: STRATEGY",
            "  tasks:",
            "    - name: Change something",
            "      ansible.builtin.command: 'true'",
            "      changed_when: true",
            "    - name: Only on beta",
            "      ansible.builtin.debug: { msg: beta }",
            "      when: inventory_hostname == 'beta'",
            "    - name: Tolerated failure",
            "      ansible.builtin.command: 'false'",
            "      ignore_errors: true",
            "    - name: Fail on beta",
            "      ansible.builtin.fail: { msg: beta is broken }",
            "      when: inventory_hostname == 'beta'",
            "- name: Second play",
            "  hosts: all",
            "  gather_facts: false",
            "  tasks:",
            "    - name: After",
            "      ansible.builtin.debug: { msg: done }",
            "");

    private static List<String> run(Path dir, String strategy) throws Exception {
        Tools.assume("ansible-playbook", "ansible");
        Files.writeString(dir.resolve("play.yml"), PLAYBOOK.replace("STRATEGY", strategy));
        Files.writeString(dir.resolve("hosts"), "alpha ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"
                + "beta ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n");
        Tools.Result r = Tools.run(dir, Map.of("ANSIBLE_STDOUT_CALLBACK", "ansible.posix.jsonl", "ANSIBLE_RETRY_FILES_ENABLED", "False",
                "ANSIBLE_NOCOLOR", "1", "ANSIBLE_LOCAL_TEMP", dir.resolve("tmp").toString(), "ANSIBLE_HOME", dir.resolve("home").toString()),
                Duration.ofMinutes(3), List.of("ansible-playbook", "-i", "hosts", "play.yml"));
        assertEquals(2, r.exitCode(), "a failed host makes ansible-playbook exit 2: " + r.output());
        return r.stdout().lines().toList();
    }

    @Test
    void linearRunGivesProgressPerHostAndTaskAndTheWholeRun(@TempDir Path dir) throws Exception {
        List<String> lines = run(dir, "linear");
        AnsibleEventStream stream = new AnsibleEventStream();
        List<Progress> events = new ArrayList<>();
        for (String l : lines) stream.accept(l).ifPresent(events::add);

        assertEquals(List.of("First play", "Second play"), events.stream().filter(e -> e.kind() == Kind.PLAY).map(Progress::play).toList());
        List<String> results = events.stream().filter(e -> e.kind() == Kind.RESULT)
                .map(e -> e.status() + " " + e.host() + " " + e.task()).sorted().toList();
        assertEquals(List.of(
                "changed alpha Change something", "changed beta Change something",
                // The callback does not say a failure was tolerated: live it shows as failed; the run says IGNORED.
                "failed alpha Tolerated failure", "failed beta Fail on beta", "failed beta Tolerated failure",
                "ok alpha After",
                "ok beta Only on beta",
                "skipped alpha Fail on beta", "skipped alpha Only on beta"), results);
        Progress failure = events.stream().filter(e -> e.task().equals("Fail on beta") && e.status().equals("failed")).findFirst().orElseThrow();
        assertEquals("beta is broken", failure.message());
        assertTrue(stream.finished());
        assertEquals(Kind.STATS, events.get(events.size() - 1).kind());

        AnsibleRun run = stream.run("test", false);
        assertEquals(List.of("alpha", "beta"), run.hosts());
        assertEquals(new HostStats(3, 2, 1, 0, 0, 0, 1), run.stats().get("beta"));
        assertEquals(List.of("CHANGED Change something", "SKIPPED Only on beta", "IGNORED Tolerated failure",
                "SKIPPED Fail on beta", "OK After"),
                run.results("alpha").stream().map(r -> r.outcome() + " " + r.task()).toList());
        assertEquals("FAILED", run.results("beta").get(3).outcome().toString());

        // The saved document is what 'basilica report --ansible-result' reads.
        AnsibleRun again = AnsibleResultParser.parse(stream.document(), "saved", null);
        assertEquals(run.stats(), again.stats());
        assertEquals(run.hosts(), again.hosts());
    }

    @Test
    void freeStrategyTaskStartsPerHostAreReportedOnceAndMerged(@TempDir Path dir) throws Exception {
        List<String> lines = run(dir, "free");
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"v2_runner_on_start\"")), "the free strategy reports runner starts");
        AnsibleEventStream stream = new AnsibleEventStream();
        List<Progress> events = new ArrayList<>();
        for (String l : lines) stream.accept(l).ifPresent(events::add);
        assertEquals(1, events.stream().filter(e -> e.kind() == Kind.TASK && e.task().equals("Change something")).count());
        AnsibleRun run = stream.run("test", false);
        List<AnsibleRun.Task> first = run.plays().get(0).tasks();
        assertEquals(1, first.stream().filter(t -> t.name().equals("Change something")).count(), "one task for both hosts");
        assertEquals(2, first.stream().filter(t -> t.name().equals("Change something")).findFirst().orElseThrow().results().size());
    }

    @Test
    void aStreamCutBeforeItsStatsIsNamedAsUnfinishedAndNonJsonLinesAreKept(@TempDir Path dir) throws Exception {
        List<String> lines = run(dir, "linear");
        AnsibleEventStream stream = new AnsibleEventStream();
        stream.accept("[WARNING]: a warning some plugin printed on stdout");
        for (String l : lines.subList(0, lines.size() / 2)) stream.accept(l);
        stream.accept("{\"_event\": \"v2_runner_on_ok\", \"hosts\": {\"alpha\": {\"changed\": fal"); // cut mid-line
        assertFalse(stream.finished());
        ReportInputException e = assertThrows(ReportInputException.class, () -> stream.run("cut", false));
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
        assertTrue(stream.document().startsWith("[WARNING]: a warning some plugin printed on stdout\n"), stream.document());
    }
}
