package dev.basilica.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.basilica.support.CliRun;
import dev.basilica.support.GeneratedOut;
import dev.basilica.support.Tools;
import dev.basilica.testfleet.TestFleet;
import dev.basilica.testfleet.TestHost;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code manage status} and {@code manage logs --follow} against a booted test host whose
 * {@code basilica-executor.service} writes a line to the journal every 0.2 s. The follow runs as its own
 * JVM, as an operator runs it, and is ended with SIGINT (what Ctrl-C sends): its ssh child must be gone
 * afterwards.
 */
@Tag("integration")
class ManageLogsIT {

    @Test
    void statusShowsTheUnitAndLogsFollowStreamsUntilInterrupted(@TempDir Path work) throws Exception {
        Tools.assume("ssh", "openssh-client");
        try (TestFleet fleet = TestFleet.builder().host("box").startOrSkip()) {
            TestHost box = fleet.host("box");
            Path project = work.resolve("project");
            Files.createDirectories(project.resolve("environments"));
            Path model = project.resolve("environments/opsit.yaml");
            Files.writeString(model, String.join("\n",
                    "apiVersion: basilica.dev/v1alpha1",
                    "kind: Environment",
                    "name: opsit",
                    "tier: development",
                    "chain: { network: test, netuid: 387 }",
                    "hosts:",
                    "  - { name: box, address: " + box.address() + ", roles: [validator, miner, executor], ssh: { user: root, key: "
                            + box.privateKey() + " } }",
                    "wallets:",
                    "  validator: { name: v, hotkey_file: { file: /nonexistent/v } }",
                    "  miner: { name: m, hotkey_file: { file: /nonexistent/m }, hotkey_ss58: 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty }",
                    "services:",
                    "  miner: { jwt_secret: { env: OPSIT_JWT } }",
                    ""));
            Path out = project.resolve("out/opsit");
            GeneratedOut.write(model, "environments/opsit.yaml", out);
            Files.createDirectories(project.resolve("state/opsit"));
            Files.copy(box.knownHosts(), project.resolve("state/opsit/known_hosts"));
            box.ssh("systemd-run --unit=basilica-executor.service /bin/sh -c "
                    + "'i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 0.2; done'").orThrow();

            Map<String, String> env = new HashMap<>(System.getenv());
            CliRun status = CliRun.run(project, project, env, "manage", "status", "executor", "--env", "opsit");
            assertEquals(0, status.exitCode(), status.toString());
            assertTrue(status.out().lines().anyMatch(l -> l.matches("box +executor +active +running +\\S*.*")), status.out());
            CliRun all = CliRun.run(project, project, env, "manage", "status", "--env", "opsit");
            assertEquals(1, all.exitCode(), "miner and validator have no unit: " + all);
            assertTrue(all.out().lines().anyMatch(l -> l.matches("box +miner +not-found.*")), all.out());

            CliRun tail = CliRun.run(project, project, env, "manage", "logs", "executor", "--lines", "3", "--env", "opsit");
            assertEquals(0, tail.exitCode(), tail.toString());
            assertTrue(tail.out().lines().filter(l -> l.startsWith("box | ") && l.contains("tick ")).count() >= 1, tail.out());

            followInProcess(project, env);
            follow(project, env);
        }
    }

    /** The same follow in this JVM, ended by interrupting its thread: the ssh child is gone when it returns. */
    private static void followInProcess(Path project, Map<String, String> env) throws Exception {
        StringBuffer out = new StringBuffer();
        java.io.Writer sink = new java.io.Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) {
                out.append(cbuf, off, len);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.concurrent.atomic.AtomicInteger code = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread t = new Thread(() -> code.set(dev.basilica.cli.Main.run(
                new String[] {"manage", "logs", "executor", "--follow", "--lines", "1", "--env", "opsit"},
                new dev.basilica.cli.Context(new dev.basilica.cli.Workspace(project, project), new java.io.PrintWriter(sink),
                        new java.io.PrintWriter(java.io.Writer.nullWriter()), env))));
        List<ProcessHandle> before = sshChildren();
        t.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (out.toString().lines().filter(l -> l.startsWith("box | ") && l.contains("tick ")).count() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        List<ProcessHandle> ssh = sshChildren().stream().filter(h -> !before.contains(h)).toList();
        assertEquals(1, ssh.size(), "one ssh for the one host; output so far:\n" + out);
        t.interrupt();
        t.join(20_000);
        assertFalse(t.isAlive(), "the follow ended when interrupted");
        assertEquals(0, code.get());
        assertFalse(ssh.get(0).isAlive(), "the ssh child is stopped before the command returns");
    }

    private static List<ProcessHandle> sshChildren() {
        return ProcessHandle.current().descendants().filter(h -> h.info().command().orElse("").endsWith("/ssh")).toList();
    }

    private static void follow(Path project, Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder b = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.basilica.cli.Main",
                "manage", "logs", "executor", "--follow", "--lines", "1", "--env", "opsit")
                .directory(project.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        b.environment().putAll(env);
        b.environment().put("BASILICA_HOME", project.toString());
        Process p = b.start();
        try {
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) lines.add(l);
                } catch (Exception e) {
                    // the stream closes with the process
                }
            });
            reader.start();
            List<Integer> ticks = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ticks.size() < 6 && System.nanoTime() < deadline) {
                String l = lines.poll(1, TimeUnit.SECONDS);
                if (l == null) continue;
                assertTrue(l.startsWith("box | "), "each line names its host: " + l);
                int at = l.indexOf("tick ");
                if (at >= 0) ticks.add(Integer.parseInt(l.substring(at + 5).strip()));
            }
            assertTrue(ticks.size() >= 6, "streamed lines: " + ticks);
            for (int i = 1; i < ticks.size(); i++) assertTrue(ticks.get(i) > ticks.get(i - 1), "new lines keep coming, in order: " + ticks);

            List<ProcessHandle> children = p.descendants().toList();
            assertTrue(children.stream().anyMatch(h -> h.info().command().orElse("").endsWith("/ssh")),
                    "the follow runs ssh: " + children.stream().map(h -> h.info().command().orElse("?")).toList());
            // Ctrl-C: SIGINT to the JVM (which this test started).
            Tools.Result kill = Tools.run(project, Duration.ofSeconds(10), "kill", "-INT", Long.toString(p.pid()));
            assertEquals(0, kill.exitCode(), kill.output());
            if (!p.waitFor(30, TimeUnit.SECONDS)) fail("manage logs --follow did not end after SIGINT");
            assertEquals(130, p.exitValue(), "ended by the signal (128 + SIGINT), through the JVM's shutdown hooks");
            reader.join(5000);
            for (ProcessHandle h : children) {
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (h.isAlive() && System.nanoTime() < until) Thread.sleep(50);
                assertFalse(h.isAlive(), "child " + h.pid() + " " + h.info().command().orElse("") + " outlived the interrupt");
            }
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }
}
