package dev.basilica.operate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The audit trail of an environment: {@code state/<env>/reports/operations.jsonl}, one JSON object per line
 * for every command that acted on hosts. Lines are only ever appended (one {@code write} per line to a
 * file opened with {@code O_APPEND}, so concurrent operators never interleave or overwrite each other);
 * nothing here rewrites or truncates it.
 *
 * <pre>{"time":"2026-11-27T18:02:11Z","operator":"alice@ops-1","command":"basilica manage stop validator --env staging",
 *  "environment":"staging","hosts":["staging-validator-1"],"outcome":"ok","exit_code":0,"duration_ms":8123}</pre>
 *
 * A command made of phases ({@code provision all}) adds each phase's state, in order:
 * {@code "phases":{"terraform":"done","servers":"failed","configure":"not run",...}}.
 */
public final class OperationLog {

    public static final String FILE = "operations.jsonl";

    /** Option names and {@code key=value} keys whose values are never written. */
    private static final Pattern SECRET = Pattern.compile("(?i).*(secret|password|passwd|token|passphrase|vault|credential|api[_-]?key).*");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of the log. */
    public record Entry(Instant time, String operator, String command, String environment, List<String> hosts, String outcome,
                        int exitCode, Duration duration, Map<String, String> phases) {
        public Entry {
            hosts = List.copyOf(hosts);
            phases = Collections.unmodifiableMap(new LinkedHashMap<>(phases));
        }

        public Entry(Instant time, String operator, String command, String environment, List<String> hosts, String outcome,
                     int exitCode, Duration duration) {
            this(time, operator, command, environment, hosts, outcome, exitCode, duration, Map.of());
        }

        String json() {
            ObjectNode n = JSON.createObjectNode();
            n.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
            n.put("operator", operator);
            n.put("command", command);
            n.put("environment", environment);
            ArrayNode h = n.putArray("hosts");
            hosts.forEach(h::add);
            n.put("outcome", outcome);
            n.put("exit_code", exitCode);
            n.put("duration_ms", duration.toMillis());
            if (!phases.isEmpty()) {
                ObjectNode p = n.putObject("phases");
                phases.forEach(p::put);
            }
            try {
                return JSON.writeValueAsString(n);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Path file;

    /** @param reportsDir {@code state/<env>/reports/} */
    public OperationLog(Path reportsDir) {
        this.file = reportsDir.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    /** Appends one line, in one write. */
    public void append(Entry entry) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] line = (entry.json() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) ch.write(buf);
        }
    }

    /** {@code user@host} of whoever runs this: the login name and the machine's name. */
    public static String operator(Map<String, String> environment) {
        String user = first(environment.get("USER"), environment.get("LOGNAME"), System.getProperty("user.name"), "unknown");
        String host = environment.get("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "unknown";
            }
        }
        return user + "@" + host;
    }

    /**
     * The command line as written to the log: {@code basilica} and the arguments, with the value of any
     * option or {@code key=value} argument whose name suggests a secret replaced by {@code ***}.
     */
    public static String commandLine(List<String> args) {
        List<String> out = new ArrayList<>();
        out.add("basilica");
        boolean maskNext = false;
        for (String a : args) {
            if (maskNext) {
                out.add("***");
                maskNext = false;
                continue;
            }
            int eq = a.indexOf('=');
            if (eq > 0 && SECRET.matcher(a.substring(0, eq)).matches()) {
                out.add(a.substring(0, eq + 1) + "***");
            } else if (a.startsWith("-") && SECRET.matcher(a).matches()) {
                out.add(a);
                maskNext = true;
            } else {
                out.add(quote(a));
            }
        }
        return String.join(" ", out);
    }

    private static String quote(String a) {
        if (!a.isEmpty() && a.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./,:=@%+".indexOf(c) >= 0)) return a;
        return "'" + a.replace("'", "'\\''") + "'";
    }

    /** The outcome word for an exit code. */
    public static String outcome(int exitCode) {
        return switch (exitCode) {
            case 0 -> "ok";
            case 1 -> "failed";
            case 2 -> "invalid-input";
            case 3 -> "tool-missing";
            case 130 -> "interrupted";
            default -> "error";
        };
    }

    private static String first(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return "unknown";
    }
}
