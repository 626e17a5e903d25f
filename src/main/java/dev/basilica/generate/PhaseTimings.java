package dev.basilica.generate;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A debugging aid for performance work: milliseconds spent in each phase of a run, printed to
 * standard error when {@code BASILICA_TIMINGS=1}. When off, marking a phase costs one branch.
 */
public final class PhaseTimings {

    private static final PhaseTimings OFF = new PhaseTimings(false);

    private final boolean on;
    private final List<String> phases = new ArrayList<>();
    private final List<Long> millis = new ArrayList<>();
    private final List<Long> cpuMillis = new ArrayList<>();
    private final List<Long> gcMillis = new ArrayList<>();
    private long last = System.nanoTime();
    private long lastCpu;
    private long lastGc;

    private PhaseTimings(boolean on) {
        this.on = on;
        if (on) { // the management beans load classes a normal run does not need
            lastCpu = processCpuNanos();
            lastGc = gcMillis();
        }
    }

    /** Timings that record when {@code enabled}, else do nothing. */
    public static PhaseTimings of(boolean enabled) {
        return enabled ? new PhaseTimings(true) : OFF;
    }

    public static PhaseTimings off() {
        return OFF;
    }

    /** Ends the current phase under {@code name} and starts the next one. */
    public void mark(String name) {
        if (!on) return;
        long now = System.nanoTime();
        long cpu = processCpuNanos();
        long gc = gcMillis();
        synchronized (this) {
            phases.add(name);
            millis.add((now - last) / 1_000_000);
            cpuMillis.add((cpu - lastCpu) / 1_000_000);
            gcMillis.add(gc - lastGc);
            last = now;
            lastCpu = cpu;
            lastGc = gc;
        }
    }

    /** Prints one line per phase, plus the time from JVM start to the first phase. */
    public void print(PrintWriter err) {
        if (!on) return;
        ProcessHandle.current().info().startInstant().ifPresent(start ->
                err.println("timing: process uptime " + Duration.between(start, Instant.now()).toMillis() + " ms"));
        long total = 0;
        long totalCpu = 0;
        long totalGc = 0;
        err.printf("timing: %-20s %8s %8s %8s%n", "phase", "wall ms", "cpu ms", "gc ms");
        for (int i = 0; i < phases.size(); i++) {
            err.printf("timing: %-20s %8d %8d %8d%n", phases.get(i), millis.get(i), cpuMillis.get(i), gcMillis.get(i));
            total += millis.get(i);
            totalCpu += cpuMillis.get(i);
            totalGc += gcMillis.get(i);
        }
        err.printf("timing: %-20s %8d %8d %8d%n", "total (in main)", total, totalCpu, totalGc);
        err.printf("timing: process cpu %d ms, heap used %d MB of %d MB committed%n", processCpuNanos() / 1_000_000,
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20, Runtime.getRuntime().totalMemory() >> 20);
        err.flush();
    }

    /** CPU time of the whole process (every thread, the collector and compiler included); -1 where unknown. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static long gcMillis() {
        long sum = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) sum += Math.max(0, gc.getCollectionTime());
        return sum;
    }
}
