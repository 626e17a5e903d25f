package dev.basilica.livecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.plan.Fleet;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScanTest {

    private static final String SECRET = "jwt-0123456789-abcdef";

    @Test
    void findsAResolvedSecretWithoutPrintingIt(@TempDir Path out) throws Exception {
        Fleet fleet = ValidateFixtures.threeHosts("scan", "127.0.5.", 20000, true);
        Files.createDirectories(out.resolve("configs/miner-1"));
        Files.writeString(out.resolve("configs/miner-1/miner.toml"), "jwt_secret = \"" + SECRET + "\"\n");
        Files.writeString(out.resolve("README"), "nothing\n");
        Check c = SecretScan.scan(fleet, out, Map.of("PROBE_JWT_SECRET", SECRET));
        assertEquals(Status.FAIL, c.status(), c.toString());
        assertTrue(c.evidence().stream().anyMatch(e -> e.equals("configs/miner-1/miner.toml holds the value of "
                + "services.miner.jwt_secret (env:PROBE_JWT_SECRET)")), c.evidence().toString());
        assertFalse(c.toString().contains(SECRET), "the value itself is never reported");
    }

    @Test
    void passesWhenNoValueIsThereAndSkipsWhenNoneIsKnown(@TempDir Path out) throws Exception {
        Fleet fleet = ValidateFixtures.threeHosts("scan", "127.0.5.", 20000, true);
        Files.writeString(out.resolve("miner.toml"), "# jwt_secret comes from the root-only environment file\n");
        assertEquals(Status.PASS, SecretScan.scan(fleet, out, Map.of("PROBE_JWT_SECRET", SECRET)).status());
        assertEquals(Status.SKIP, SecretScan.scan(fleet, out, Map.of()).status());
        assertEquals(Status.SKIP, SecretScan.scan(fleet, out, Map.of("PROBE_JWT_SECRET", "short")).status(),
                "values under 8 characters are not looked for");
    }
}
