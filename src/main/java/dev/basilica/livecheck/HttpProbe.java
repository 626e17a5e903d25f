package dev.basilica.livecheck;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A plain HTTP/1.1 GET from the control machine on one socket, closed afterwards ({@code Connection:
 * close}), so a probe holds exactly one file descriptor and none outlives it (a pooled client would keep
 * idle connections to thousands of endpoints). Reads at most {@code maxBody} bytes of the body and
 * decodes chunked transfer encoding; enough for a health answer or a Prometheus scrape.
 */
public final class HttpProbe {

    /**
     * @param status the HTTP status, or -1 when there was no valid answer
     * @param millis from the start of the connect to the end of the body
     * @param error  why there was no answer; null when there was one
     */
    public record Response(int status, String body, long millis, String error) {
        public boolean ok() {
            return error == null && status == 200;
        }

        public String describe() {
            if (error != null) return "no answer after " + millis + " ms: " + error;
            return "HTTP " + status + " in " + millis + " ms";
        }
    }

    private HttpProbe() {}

    public static Response get(InetAddress address, int port, String path, Duration timeout, int maxBody) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String host = address.getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), (int) Math.max(1, timeout.toMillis()));
            s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUser-Agent: basilica-validate\r\n"
                    + "Accept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] raw = readAll(s.getInputStream(), maxBody + 16_384, deadline);
            return parse(raw, maxBody, TcpProbe.ms(start));
        } catch (SocketTimeoutException e) {
            return new Response(-1, "", TcpProbe.ms(start), "timed out after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            return new Response(-1, "", TcpProbe.ms(start), m.contains("refused") ? "connection refused" : m);
        }
    }

    private static byte[] readAll(InputStream in, int limit, long deadline) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while (b.size() < limit && (n = in.read(buf)) > 0) {
            b.write(buf, 0, Math.min(n, limit - b.size()));
            if (System.nanoTime() > deadline) throw new SocketTimeoutException("deadline");
        }
        return b.toByteArray();
    }

    static Response parse(byte[] raw, int maxBody, long millis) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || headerEnd < 0) {
            return new Response(-1, "", millis, raw.length == 0 ? "the connection closed without an answer" : "not an HTTP answer");
        }
        String[] statusLine = text.substring(0, text.indexOf("\r\n")).split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (RuntimeException e) {
            return new Response(-1, "", millis, "bad status line");
        }
        String headers = text.substring(0, headerEnd).toLowerCase(Locale.ROOT);
        byte[] body = java.util.Arrays.copyOfRange(raw, headerEnd + 4, raw.length);
        if (headers.contains("\r\ntransfer-encoding: chunked")) body = dechunk(body);
        String s = new String(body, 0, Math.min(body.length, maxBody), StandardCharsets.UTF_8);
        return new Response(status, s, millis, null);
    }

    /** Chunked transfer encoding to plain bytes; a cut-off last chunk keeps what arrived. */
    static byte[] dechunk(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < in.length) {
            int eol = indexOfCrlf(in, i);
            if (eol < 0) break;
            String sizeText = new String(in, i, eol - i, StandardCharsets.US_ASCII).split(";", 2)[0].strip();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) break;
            int from = eol + 2;
            int len = Math.min(size, in.length - from);
            out.write(in, from, len);
            i = from + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') return i;
        }
        return -1;
    }
}
