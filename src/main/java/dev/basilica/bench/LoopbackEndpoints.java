package dev.basilica.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Many endpoints on loopback addresses (127.0.0.0/8) for the validation benchmark, served by one thread
 * with one selector: plain TCP listeners that accept and close, HTTP listeners answering {@code /health}
 * and {@code /metrics}, and addresses where nothing listens. Each listener is one file descriptor;
 * closed endpoints cost none.
 */
public final class LoopbackEndpoints implements AutoCloseable {

    /** What an endpoint is. */
    public enum Kind { OPEN, CLOSED, HEALTH, METRICS }

    /** One endpoint: where, and what the probe should find. */
    public record Endpoint(Kind kind, InetAddress address, int port) {}

    /** A port nothing listens on: closed endpoints use it on addresses where no listener is bound. */
    static final int CLOSED_PORT = 1;
    private static final byte[] HEALTH = response("application/json", "{\"status\":\"healthy\"}\n");
    private static final byte[] METRICS = response("text/plain; version=0.0.4",
            "# HELP basilica_bench_up 1 while the benchmark responder runs\n# TYPE basilica_bench_up gauge\nbasilica_bench_up 1\n"
                    + "basilica_bench_requests_total{kind=\"metrics\"} 1\n");

    private final Selector selector;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private LoopbackEndpoints(Selector selector) {
        this.selector = selector;
        this.thread = new Thread(this::serve, "bench-endpoints");
        this.thread.setDaemon(true);
    }

    /**
     * Starts {@code n} endpoints: 40 % open TCP, 40 % closed, 10 % health, 10 % metrics, interleaved, each
     * on its own address of 127.1.0.0/16 (listeners) or 127.2.0.0/16 (closed).
     */
    public static LoopbackEndpoints start(int n) throws IOException {
        return start(0, n);
    }

    /** Endpoints {@code from} to {@code from + count - 1} of the layout {@link #start(int)} describes. */
    public static LoopbackEndpoints start(int from, int count) throws IOException {
        LoopbackEndpoints e = new LoopbackEndpoints(Selector.open());
        try {
            for (int i = from; i < from + count; i++) {
                Kind kind = switch (i % 10) {
                    case 0, 1, 2, 3 -> Kind.OPEN;
                    case 4, 5, 6, 7 -> Kind.CLOSED;
                    case 8 -> Kind.HEALTH;
                    default -> Kind.METRICS;
                };
                int host = i / 10 + 1;
                byte[] ip = {127, (byte) (kind == Kind.CLOSED ? 2 : 1), (byte) (host >> 8), (byte) (host & 0xff)};
                InetAddress address = InetAddress.getByAddress(ip);
                if (kind == Kind.CLOSED) {
                    // A different last octet per closed endpoint of the same group keeps every endpoint distinct.
                    ip[3] = (byte) ((host * 4 + i % 10 - 4) & 0xff);
                    ip[2] = (byte) ((host * 4 + i % 10 - 4) >> 8);
                    e.endpoints.add(new Endpoint(kind, InetAddress.getByAddress(ip), CLOSED_PORT));
                    continue;
                }
                ServerSocketChannel ch = ServerSocketChannel.open();
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(new InetSocketAddress(address, 0), 128);
                ch.configureBlocking(false);
                ch.register(e.selector, SelectionKey.OP_ACCEPT, kind);
                e.listeners.add(ch);
                e.endpoints.add(new Endpoint(kind, address, ((InetSocketAddress) ch.getLocalAddress()).getPort()));
            }
        } catch (IOException | RuntimeException ex) {
            e.close();
            throw ex;
        }
        e.thread.start();
        return e;
    }

    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    public int listeners() {
        return listeners.size();
    }

    private void serve() {
        while (running) {
            try {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) continue;
                    if (key.isAcceptable()) accept(key);
                    else if (key.isReadable()) read(key);
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                if (!running) return;
            }
        }
    }

    private void accept(SelectionKey key) throws IOException {
        SocketChannel c = ((ServerSocketChannel) key.channel()).accept();
        if (c == null) return;
        Kind kind = (Kind) key.attachment();
        if (kind == Kind.OPEN) {
            c.close();
            return;
        }
        c.configureBlocking(false);
        c.register(selector, SelectionKey.OP_READ, new Request(kind, ByteBuffer.allocate(2048)));
    }

    private record Request(Kind kind, ByteBuffer buffer) {}

    private void read(SelectionKey key) throws IOException {
        SocketChannel c = (SocketChannel) key.channel();
        Request r = (Request) key.attachment();
        int n;
        try {
            n = c.read(r.buffer());
        } catch (IOException e) {
            n = -1;
        }
        String seen = new String(r.buffer().array(), 0, r.buffer().position(), StandardCharsets.ISO_8859_1);
        if (n < 0 || seen.contains("\r\n\r\n") || !r.buffer().hasRemaining()) {
            key.cancel();
            if (n >= 0) {
                c.configureBlocking(true);
                c.write(ByteBuffer.wrap(r.kind() == Kind.HEALTH ? HEALTH : METRICS));
            }
            c.close();
        }
    }

    private static byte[] response(String type, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return ("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A process serving a share of the endpoints, so the listeners' file descriptors count against its own
     * limit, not the prober's: {@code from count}. Prints {@code KIND ADDRESS PORT} per endpoint, then
     * {@code READY}, and serves until its standard input closes.
     */
    public static void main(String[] args) throws IOException {
        try (LoopbackEndpoints e = start(Integer.parseInt(args[0]), Integer.parseInt(args[1]))) {
            StringBuilder b = new StringBuilder();
            for (Endpoint p : e.endpoints()) {
                b.append(p.kind()).append(' ').append(p.address().getHostAddress()).append(' ').append(p.port()).append('\n');
            }
            b.append("READY\n");
            System.out.print(b);
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the parent closes our input (or dies)
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ServerSocketChannel ch : listeners) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            for (SelectionKey k : selector.keys()) k.channel().close();
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
