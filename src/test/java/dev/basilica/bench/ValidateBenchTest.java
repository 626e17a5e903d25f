package dev.basilica.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.support.CliRun;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation benchmark at a small size: every probe finds what its endpoint is, with bounded descriptors. No timing is asserted. */
class ValidateBenchTest {

    @Test
    void probesEveryKindOfEndpointWithBoundedDescriptors() throws Exception {
        ValidateBench.Result r = ValidateBench.run(200, 8, Duration.ofSeconds(3));
        assertEquals(0, r.mismatches(), r.line());
        assertEquals(120, r.listeners(), "6 of every 10 endpoints listen");
        assertTrue(r.maxInFlight() <= 8, r.line());
        if (r.fdsBefore() > 0) {
            assertTrue(r.maxFds() - r.fdsBefore() <= 8 + 4, "one socket per probe in flight, plus the sampler's: " + r.line());
        }
    }

    @Test
    void theCommandPrintsOneMachineReadableLine(@TempDir Path home) {
        CliRun run = CliRun.run(home, "bench", "validate", "--endpoints", "30", "--parallel", "4");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().matches("bench=validate endpoints=30 listeners=18 endpoint_processes=1 parallel=4 setup_ms=\\d+ wall_ms=\\d+ .*\n"),
                run.out());
        assertEquals(2, CliRun.run(home, "bench", "validate", "--endpoints", "0").exitCode());
    }
}
