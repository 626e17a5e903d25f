package dev.basilica.livecheck;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Real listeners on loopback addresses for the probes to find; all closed by {@link #close()}, also when a test fails. */
final class LoopbackServers implements AutoCloseable {

    private final List<AutoCloseable> open = new ArrayList<>();

    /** A TCP listener that accepts (the kernel completes handshakes even if nobody calls accept). */
    int tcp(String address) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 50);
        open.add(s);
        return s.getLocalPort();
    }

    /** The same port bound on {@code address}, or an exception if it is taken. */
    void tcp(String address, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(address), port), 50);
        open.add(s);
    }

    /** A port that was free a moment ago: nothing listens there (connect is refused). */
    static int closedPort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            return s.getLocalPort();
        }
    }

    /**
     * An HTTP server: /health answers 200, /metrics answers samples (chunked), /empty answers 200 with no
     * samples, /slow answers after {@code slowMillis}.
     */
    int http(String address, int port, long slowMillis) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 50);
        server.createContext("/health", ex -> reply(ex, 200, "{\"status\":\"healthy\"}", false));
        server.createContext("/metrics", ex -> reply(ex, 200, "# HELP basilica_up up\n# TYPE basilica_up gauge\nbasilica_up 1\n"
                + "basilica_requests_total{path=\"/x\"} 42\n", true));
        server.createContext("/empty", ex -> reply(ex, 200, "nothing here\n", false));
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(slowMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(ex, 200, "late\n", false);
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "test-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        open.add(() -> server.stop(0));
        return server.getAddress().getPort();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body, boolean chunked) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, chunked ? 0 : b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }
}
