package dev.basilica.livecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProbeEngineTest {

    private static ProbeEngine.Probe probe(int i, Status status, Runnable during) {
        String id = "network.h.p" + i;
        return new ProbeEngine.Probe(id, "h", Category.NETWORK, () -> {
            during.run();
            return List.of(Check.of(id, "h", Category.NETWORK, status, "probe " + i, List.of(), null));
        });
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void neverRunsMoreProbesAtOnceThanItsParallelism() {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger seen = new AtomicInteger();
        List<ProbeEngine.Probe> probes = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            probes.add(probe(i, Status.PASS, () -> {
                seen.accumulateAndGet(now.incrementAndGet(), Math::max);
                sleep(5);
                now.decrementAndGet();
            }));
        }
        ProbeEngine engine = new ProbeEngine(6, false);
        List<Check> checks = engine.run(probes);
        assertEquals(120, checks.size());
        assertTrue(seen.get() <= 6, "at most 6 at once, saw " + seen.get());
        assertTrue(engine.maxInFlight() <= 6 && engine.maxInFlight() > 1, "ran concurrently: " + engine.maxInFlight());
        assertEquals("network.h.p0", checks.get(0).id(), "results in probe order");
        assertEquals("network.h.p119", checks.get(119).id());
    }

    @Test
    void failFastStopsStartingProbesAfterTheFirstFailure() {
        AtomicInteger ran = new AtomicInteger();
        List<ProbeEngine.Probe> probes = new ArrayList<>();
        for (int i = 0; i < 50; i++) probes.add(probe(i, i == 3 ? Status.FAIL : Status.PASS, ran::incrementAndGet));
        ProbeEngine engine = new ProbeEngine(1, true);
        List<Check> checks = engine.run(probes);
        assertEquals(4, ran.get(), "probes 0-3 ran, then it stopped");
        assertEquals(46, engine.notRun());
        Check note = checks.get(checks.size() - 1);
        assertEquals("validate.fail-fast", note.id());
        assertEquals(Status.SKIP, note.status());
        assertTrue(note.title().startsWith("46 probes not run"), note.title());
    }

    @Test
    void withoutFailFastEveryProbeRunsAndAProbeThatThrowsBecomesAFailure() {
        List<ProbeEngine.Probe> probes = new ArrayList<>();
        for (int i = 0; i < 5; i++) probes.add(probe(i, Status.FAIL, () -> { }));
        probes.add(new ProbeEngine.Probe("network.h.broken", "h", Category.NETWORK, () -> {
            throw new IllegalStateException("boom");
        }));
        List<Check> checks = new ProbeEngine(3, false).run(probes);
        assertEquals(6, checks.size());
        Check broken = checks.get(5);
        assertEquals("network.h.broken", broken.id());
        assertEquals(Status.FAIL, broken.status());
        assertTrue(broken.title().contains("boom"));
    }
}
