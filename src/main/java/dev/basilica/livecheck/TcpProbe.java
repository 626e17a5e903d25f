package dev.basilica.livecheck;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One TCP connect from the control machine, telling apart a port that accepts, one that answers with a
 * reset (nothing listens, but the path is open), one that stays silent (a firewall drops the packets)
 * and one that cannot be routed to. Uses one socket, closed before it returns.
 */
public final class TcpProbe {

    /** What a connect attempt found. */
    public enum State {
        /** The handshake completed: something listens and the path is open. */
        OPEN,
        /** The host answered with a reset: the path is open, nothing listens. */
        REFUSED,
        /** No answer within the timeout: a firewall drops the packets (or the host is down). */
        FILTERED,
        /** No route, or the host or a firewall rejected it with an ICMP error. */
        UNREACHABLE;

        /** Whether the control machine cannot get through to the port (it is closed or filtered). */
        public boolean blocked() {
            return this != OPEN;
        }
    }

    /** @param millis how long the attempt took */
    public record Result(State state, long millis, String detail) {
        public String describe() {
            return switch (state) {
                case OPEN -> "connected in " + millis + " ms";
                case REFUSED -> "connection refused (reset) after " + millis + " ms: the path is open but nothing listens";
                case FILTERED -> "no answer within " + millis + " ms: the packets are dropped (firewall) or the host is down";
                case UNREACHABLE -> "unreachable after " + millis + " ms: " + detail;
            };
        }
    }

    private TcpProbe() {}

    public static Result connect(InetAddress address, int port, Duration timeout) {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), (int) Math.max(1, timeout.toMillis()));
            return new Result(State.OPEN, ms(start), "");
        } catch (SocketTimeoutException e) {
            return new Result(State.FILTERED, ms(start), "timeout");
        } catch (ConnectException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("refused")) return new Result(State.REFUSED, ms(start), m);
            if (m.contains("timed out")) return new Result(State.FILTERED, ms(start), m);
            return new Result(State.UNREACHABLE, ms(start), m);
        } catch (NoRouteToHostException e) {
            return new Result(State.UNREACHABLE, ms(start), String.valueOf(e.getMessage()));
        } catch (IOException e) {
            return new Result(State.UNREACHABLE, ms(start), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static long ms(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
