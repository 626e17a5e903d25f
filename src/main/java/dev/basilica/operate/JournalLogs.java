package dev.basilica.operate;

import dev.basilica.plan.ServiceKind;
import dev.basilica.run.ToolRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The services' journals, read over SSH with {@code journalctl -u basilica-<service>.service} on each host:
 * what {@code manage logs} prints. Each line is prefixed with its host. Following runs one {@code ssh} per
 * host until interrupted; the interruption (Ctrl-C, or this thread's interrupt) ends every ssh child.
 */
public final class JournalLogs {

    /** A follow has no natural end; this only bounds a forgotten terminal. */
    private static final Duration FOLLOW_LIMIT = Duration.ofDays(7);

    private final ToolRunner runner;
    private final Ssh ssh;
    private final Duration timeout;

    /** @param timeout the longest a non-following read may take per host */
    public JournalLogs(ToolRunner runner, Ssh ssh, Duration timeout) {
        this.runner = runner;
        this.ssh = ssh;
        this.timeout = timeout;
    }

    /** The remote command: the units of these services, the last {@code lines} lines, following or not. */
    public static String remoteCommand(List<ServiceKind> services, int lines, boolean follow) {
        StringBuilder b = new StringBuilder("journalctl --no-pager --output=short-iso --lines=" + lines);
        for (ServiceKind s : services) b.append(" --unit=").append(s.unitName());
        if (follow) b.append(" --follow");
        return b.toString();
    }

    /**
     * Prints each host's last lines, host after host. Returns how many hosts could not be read (their
     * errors go to {@code err}).
     */
    public int show(List<Inventory.Host> hosts, ServiceKind service, int lines, Consumer<String> out, Consumer<String> err) throws IOException {
        int failed = 0;
        for (Inventory.Host h : hosts) {
            List<ServiceKind> services = services(h, service);
            if (services.isEmpty()) continue;
            ToolRunner.Result r = runner.run(new ToolRunner.Invocation(ssh.command(h, remoteCommand(services, lines, false), true), null,
                    timeout, Map.of(), l -> out.accept(h.name() + " | " + l), l -> { }));
            if (!r.succeeded()) {
                failed++;
                err.accept(h.name() + ": " + why(r));
            }
        }
        return failed;
    }

    /**
     * Streams every host's new lines as they come until the calling thread is interrupted (then every ssh
     * child is ended before this returns) or every connection has ended. Returns how many connections
     * ended by themselves with an error.
     */
    public int follow(List<Inventory.Host> hosts, ServiceKind service, int lines, Consumer<String> out, Consumer<String> err)
            throws InterruptedException {
        AtomicInteger failed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (Inventory.Host h : hosts) {
            List<ServiceKind> services = services(h, service);
            if (services.isEmpty()) continue;
            ToolRunner.Invocation inv = new ToolRunner.Invocation(ssh.command(h, remoteCommand(services, lines, true), true), null,
                    FOLLOW_LIMIT, Map.of(), l -> out.accept(h.name() + " | " + l), l -> err.accept(h.name() + ": " + l))
                    .withoutKeepingOutput();
            Thread t = new Thread(() -> {
                try {
                    ToolRunner.Result r = runner.run(inv);
                    if (!r.cancelled() && !r.succeeded()) {
                        failed.incrementAndGet();
                        err.accept(h.name() + ": the connection ended (" + why(r) + ")");
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                    err.accept(h.name() + ": " + e.getMessage());
                }
            }, "basilica-logs-" + h.name());
            threads.add(t);
            t.start();
        }
        try {
            for (Thread t : threads) t.join();
        } catch (InterruptedException e) {
            // Each runner thread, interrupted, stops its ssh process tree before it ends.
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) t.join(Duration.ofSeconds(15).toMillis());
            throw e;
        }
        return failed.get();
    }

    private static List<ServiceKind> services(Inventory.Host h, ServiceKind service) {
        if (service == null) return h.services();
        return h.services().contains(service) ? List.of(service) : List.of();
    }

    private static String why(ToolRunner.Result r) {
        if (r.timedOut()) return "timed out";
        String last = r.stderr().strip().lines().reduce((a, b) -> b).orElse("");
        return last.isEmpty() ? "ssh exit " + r.exitCode() : last;
    }
}
