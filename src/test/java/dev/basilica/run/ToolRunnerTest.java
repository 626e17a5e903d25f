package dev.basilica.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolRunnerTest {

    private final ToolRunner runner = new ToolRunner(System.getenv());
    private static final Tool.Kind SH = new Tool.Kind("sh", List.of("-c", "echo sh 1.2.3"), Map.of("BASILICA_TEST_VAR", "from-kind"),
            "install a shell");

    @TempDir
    Path tmp;

    private Tool sh() throws ToolMissingException {
        return runner.require(SH);
    }

    @Test
    void keepsOutputPassesLinesOnAndReturnsTheExitCode() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();
        ToolRunner.Result r = runner.run(ToolRunner.Invocation.of(sh(), tmp, Duration.ofSeconds(30),
                "-c", "echo one; echo \"$BASILICA_TEST_VAR\"; echo two >&2; pwd; exit 3").withProgress(out::add, err::add));
        assertEquals(3, r.exitCode());
        assertFalse(r.succeeded());
        assertEquals(List.of("one", "from-kind", tmp.toRealPath().toString()), out);
        assertEquals(List.of("two"), err);
        assertEquals("one\nfrom-kind\n" + tmp.toRealPath() + "\n", r.stdout());
    }

    @Test
    void findsToolsOnPathWithTheirVersion() {
        Optional<Tool> sh = runner.find(SH);
        assertTrue(sh.isPresent());
        assertEquals("1.2.3", sh.get().version());
        Tool.Kind missing = new Tool.Kind("basilica-no-such-tool", List.of("--version"), Map.of(), "apt-get install nothing");
        assertTrue(runner.find(missing).isEmpty());
        ToolMissingException e = assertThrows(ToolMissingException.class, () -> runner.require(missing));
        assertEquals("basilica-no-such-tool is not installed (not found on PATH); apt-get install nothing", e.getMessage());
        assertTrue(new ToolRunner(Map.of("PATH", tmp.toString())).find(SH).isEmpty(), "PATH comes from the given environment");
    }

    @Test
    void aTimeoutStopsTheWholeProcessTree() throws Exception {
        List<String> pids = new CopyOnWriteArrayList<>();
        ToolRunner.Result r = runner.run(ToolRunner.Invocation.of(sh(), tmp, Duration.ofMillis(1500),
                "-c", "sleep 60 & echo $!; sleep 60 & echo $!; wait").withProgress(pids::add, l -> { }));
        assertTrue(r.timedOut());
        assertEquals(-1, r.exitCode());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(20)) < 0, "stopped promptly: " + r.elapsed());
        assertEquals(2, pids.size(), "the script started two children: " + pids);
        List<Long> alive = new ArrayList<>();
        for (String p : pids) {
            ProcessHandle.of(Long.parseLong(p)).filter(ProcessHandle::isAlive).ifPresent(h -> alive.add(h.pid()));
        }
        assertEquals(List.of(), alive, "children of the tool outlived the timeout");
    }

    @Test
    void aMissingExecutableIsAnError() {
        ToolRunner.Invocation inv = new ToolRunner.Invocation(List.of(tmp.resolve("nope").toString()), tmp, Duration.ofSeconds(5),
                Map.of(), l -> { }, l -> { });
        assertThrows(java.io.IOException.class, () -> runner.run(inv));
    }
}
