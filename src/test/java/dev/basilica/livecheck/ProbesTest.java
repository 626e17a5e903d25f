package dev.basilica.livecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The TCP and HTTP probes against real listeners on loopback addresses. */
class ProbesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void tcpTellsAnOpenPortFromARefusedOne() throws Exception {
        try (LoopbackServers servers = new LoopbackServers()) {
            int open = servers.tcp("127.0.0.21");
            int closed = LoopbackServers.closedPort("127.0.0.21");
            InetAddress a = InetAddress.getByName("127.0.0.21");
            assertEquals(TcpProbe.State.OPEN, TcpProbe.connect(a, open, TIMEOUT).state());
            TcpProbe.Result r = TcpProbe.connect(a, closed, TIMEOUT);
            assertEquals(TcpProbe.State.REFUSED, r.state());
            assertTrue(r.describe().contains("nothing listens"), r.describe());
            // The same port on another loopback address has no listener.
            assertEquals(TcpProbe.State.REFUSED, TcpProbe.connect(InetAddress.getByName("127.0.0.22"), open, TIMEOUT).state());
        }
    }

    @Test
    void httpReadsHealthAndChunkedMetrics() throws Exception {
        try (LoopbackServers servers = new LoopbackServers()) {
            int port = servers.http("127.0.0.23", 0, 0);
            InetAddress a = InetAddress.getByName("127.0.0.23");
            HttpProbe.Response health = HttpProbe.get(a, port, "/health", TIMEOUT, 1024);
            assertTrue(health.ok(), health.describe());
            assertTrue(health.body().contains("healthy"));
            HttpProbe.Response metrics = HttpProbe.get(a, port, "/metrics", TIMEOUT, 1024);
            assertTrue(metrics.ok(), metrics.describe());
            assertTrue(metrics.body().contains("basilica_requests_total{path=\"/x\"} 42"), metrics.body());
            assertFalse(metrics.body().matches("(?s).*^[0-9a-f]+\r$.*"), "chunk sizes must be removed: " + metrics.body());
            HttpProbe.Response missing = HttpProbe.get(a, port, "/nope", TIMEOUT, 1024);
            assertEquals(404, missing.status());
            assertFalse(missing.ok());
        }
    }

    @Test
    void httpGivesUpOnASlowAnswerAndOnARefusedPort() throws Exception {
        try (LoopbackServers servers = new LoopbackServers()) {
            int port = servers.http("127.0.0.24", 0, 3000);
            InetAddress a = InetAddress.getByName("127.0.0.24");
            HttpProbe.Response slow = HttpProbe.get(a, port, "/slow", Duration.ofMillis(300), 1024);
            assertEquals(-1, slow.status());
            assertTrue(slow.error().contains("timed out"), slow.describe());
            HttpProbe.Response refused = HttpProbe.get(a, LoopbackServers.closedPort("127.0.0.24"), "/health", TIMEOUT, 1024);
            assertEquals("connection refused", refused.error());
        }
    }

    @Test
    void dechunkKeepsWhatArrived() {
        byte[] in = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("hello world", new String(HttpProbe.dechunk(in), StandardCharsets.US_ASCII));
        byte[] cut = "5\r\nhel".getBytes(StandardCharsets.US_ASCII);
        assertEquals("hel", new String(HttpProbe.dechunk(cut), StandardCharsets.US_ASCII));
        HttpProbe.Response notHttp = HttpProbe.parse("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII), 100, 1);
        assertEquals("not an HTTP answer", notHttp.error());
    }
}
