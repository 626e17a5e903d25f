package dev.basilica.bench;

import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.livecheck.HttpProbe;
import dev.basilica.livecheck.ProbeEngine;
import dev.basilica.livecheck.TcpProbe;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The validation benchmark: N endpoints on loopback addresses ({@link LoopbackEndpoints}, served by child
 * processes) probed by the validation engine's own probes on its bounded pool, measuring wall time, this
 * process's peak memory and the most file descriptors it held. Prints one {@code key=value} line.
 */
public final class ValidateBench {

    /** What one run measured. */
    public record Result(int endpoints, int listeners, int endpointProcesses, int parallelism, long setupMillis, long wallMillis, int mismatches,
                         long peakRssKib, long peakHeapBytes, long fdsBefore, long maxFds, int maxInFlight, long fdLimit) {
        public String line() {
            return String.format(Locale.ROOT,
                    "bench=validate endpoints=%d listeners=%d endpoint_processes=%d parallel=%d setup_ms=%d wall_ms=%d probes_per_s=%d mismatches=%d "
                            + "peak_rss_mib=%d peak_heap_mib=%d fds_before=%d max_fds=%d max_in_flight=%d fd_limit=%d",
                    endpoints, listeners, endpointProcesses, parallelism, setupMillis, wallMillis, wallMillis == 0 ? 0 : endpoints * 1000L / wallMillis,
                    mismatches, peakRssKib / 1024, peakHeapBytes >> 20, fdsBefore, maxFds, maxInFlight, fdLimit);
        }
    }

    private ValidateBench() {}

    public static Result run(int n, int parallelism, Duration timeout) throws IOException {
        long setupStart = System.nanoTime();
        // Each child stays well under the limit it inherits, with room for the JVM's own descriptors.
        long limit = fdLimit();
        int perProcess = (int) Math.max(100, Math.min(5000, (limit > 0 ? limit : 1024) - 200));
        try (EndpointProcesses endpoints = EndpointProcesses.start(n, perProcess)) {
            List<ProbeEngine.Probe> probes = new ArrayList<>(n);
            for (LoopbackEndpoints.Endpoint e : endpoints.endpoints()) probes.add(probe(e, timeout));
            long setup = Duration.ofNanos(System.nanoTime() - setupStart).toMillis();
            long fdsBefore = openFds();
            AtomicLong maxFds = new AtomicLong(fdsBefore);
            AtomicLong maxHeap = new AtomicLong(heapUsed());
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    maxFds.accumulateAndGet(openFds(), Math::max);
                    maxHeap.accumulateAndGet(heapUsed(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-sampler");
            sampler.setDaemon(true);
            ProbeEngine engine = new ProbeEngine(parallelism, false);
            long start = System.nanoTime();
            sampler.start();
            List<Check> checks = engine.run(probes);
            long wall = Duration.ofNanos(System.nanoTime() - start).toMillis();
            sampler.interrupt();
            int mismatches = (int) checks.stream().filter(c -> c.status() != Status.PASS).count();
            return new Result(n, endpoints.listeners(), endpoints.processes(), parallelism, setup, wall, mismatches, peakRssKib(), maxHeap.get(), fdsBefore,
                    maxFds.get(), engine.maxInFlight(), fdLimit());
        }
    }

    private static ProbeEngine.Probe probe(LoopbackEndpoints.Endpoint e, Duration timeout) {
        String id = "network.bench." + e.address().getHostAddress() + "." + e.port();
        return new ProbeEngine.Probe(id, "bench", Category.NETWORK, () -> {
            boolean ok;
            String found;
            switch (e.kind()) {
                case OPEN, CLOSED -> {
                    TcpProbe.Result r = TcpProbe.connect(e.address(), e.port(), timeout);
                    ok = (r.state() == TcpProbe.State.OPEN) == (e.kind() == LoopbackEndpoints.Kind.OPEN);
                    found = r.describe();
                }
                default -> {
                    String path = e.kind() == LoopbackEndpoints.Kind.HEALTH ? "/health" : "/metrics";
                    HttpProbe.Response r = HttpProbe.get(e.address(), e.port(), path, timeout, 64 * 1024);
                    ok = r.ok() && (e.kind() == LoopbackEndpoints.Kind.HEALTH ? r.body().contains("healthy") : r.body().contains("basilica_bench_up 1"));
                    found = r.describe();
                }
            }
            return List.of(Check.of(id, "bench", Category.NETWORK, ok ? Status.PASS : Status.FAIL, e.kind() + " " + found, List.of(), null));
        });
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) used += p.getUsage().getUsed();
        }
        return used;
    }

    /** Open file descriptors of this process (Linux); -1 where /proc is missing. */
    static long openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmHWM: the process's peak resident memory (Linux), in KiB; -1 where unknown. */
    static long peakRssKib() {
        return procField(Path.of("/proc/self/status"), "VmHWM:");
    }

    /** The soft limit on open files this process runs with (the JVM raises it to the hard limit on Linux). */
    static long fdLimit() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (l.startsWith("Max open files")) return Long.parseLong(l.substring(26).strip().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long procField(Path file, String field) {
        try {
            for (String l : Files.readAllLines(file)) {
                if (l.startsWith(field)) return Long.parseLong(l.substring(field.length()).strip().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
