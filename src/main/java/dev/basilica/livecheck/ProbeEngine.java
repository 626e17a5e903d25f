package dev.basilica.livecheck;

import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs probes concurrently with a fixed number in flight: a pool of {@code parallelism} threads, each
 * running one probe at a time, and every probe holding at most one socket or child process. So the
 * number of open file descriptors stays bounded by the parallelism, however many endpoints there are.
 * With fail-fast, the first failed check stops probes that have not started yet.
 */
public final class ProbeEngine {

    /** One unit of work: what it is about (for errors) and what it finds. */
    public record Probe(String id, String host, Category category, Supplier<List<Check>> run) {}

    private final int parallelism;
    private final boolean failFast;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger notRun = new AtomicInteger();

    public ProbeEngine(int parallelism, boolean failFast) {
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be 1 or more");
        this.parallelism = parallelism;
        this.failFast = failFast;
    }

    /** Runs every probe (or, with fail-fast, until the first failure) and returns their checks in probe order. */
    public List<Check> run(List<Probe> probes) {
        if (probes.isEmpty()) return List.of();
        AtomicBoolean stop = new AtomicBoolean();
        int threads = Math.min(parallelism, probes.size());
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "basilica-probe-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<Check>>> futures = new ArrayList<>(probes.size());
            for (Probe p : probes) futures.add(pool.submit(() -> runOne(p, stop)));
            List<Check> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.addAll(futures.get(i).get());
                } catch (ExecutionException e) {
                    out.add(error(probes.get(i), e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop.set(true);
                    break;
                }
            }
            if (notRun.get() > 0) {
                out.add(Check.of("validate.fail-fast", null, Category.NETWORK, Status.SKIP,
                        notRun.get() + " probes not run: --fail-fast stopped at the first failure", List.of(), null));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Check> runOne(Probe p, AtomicBoolean stop) {
        if (stop.get()) {
            notRun.incrementAndGet();
            return List.of();
        }
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            List<Check> checks = p.run().get();
            if (failFast && checks.stream().anyMatch(c -> c.status() == Status.FAIL)) stop.set(true);
            return checks;
        } catch (RuntimeException e) {
            if (failFast) stop.set(true);
            return List.of(error(p, e));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static Check error(Probe p, Throwable e) {
        return Check.of(p.id(), p.host(), p.category(), Status.FAIL, "The probe itself failed: " + e,
                List.of(), "This is a bug in basilica; please report it with the command line.");
    }

    /** The most probes that ran at the same moment (at most the parallelism). */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Probes skipped by fail-fast in the last run. */
    public int notRun() {
        return notRun.get();
    }
}
