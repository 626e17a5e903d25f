package dev.basilica.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void commandLinesKeepNoSecretValues() {
        assertEquals("basilica manage stop validator --env production",
                OperationLog.commandLine(List.of("manage", "stop", "validator", "--env", "production")));
        assertEquals("basilica plan --vault-password-file *** -e api_token=*** --db-password=***",
                OperationLog.commandLine(List.of("plan", "--vault-password-file", "x", "-e", "api_token=abc", "--db-password=hunter2")));
        assertEquals("basilica manage logs 'a b'", OperationLog.commandLine(List.of("manage", "logs", "a b")));
    }

    @Test
    void concurrentAppendsGiveWholeLinesAndKeepEarlierOnes(@TempDir Path dir) throws Exception {
        OperationLog log = new OperationLog(dir.resolve("reports"));
        log.append(entry("first", 0));
        String first = Files.readString(log.file());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int n = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    try {
                        log.append(entry("writer-" + n + "-" + i + "-" + "x".repeat(2000), 1));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        List<String> lines = Files.readAllLines(log.file());
        assertEquals(401, lines.size());
        assertTrue(Files.readString(log.file()).startsWith(first));
        Set<String> commands = new HashSet<>();
        for (String l : lines) {
            JsonNode n = JSON.readTree(l); // every line is one whole JSON object
            commands.add(n.get("command").asText());
            assertEquals(List.of("time", "operator", "command", "environment", "hosts", "outcome", "exit_code", "duration_ms"),
                    iterable(n));
        }
        assertEquals(401, commands.size());
    }

    private static List<String> iterable(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static OperationLog.Entry entry(String command, int code) {
        return new OperationLog.Entry(Instant.parse("2026-11-27T18:00:00.123Z"), "alice@ops-1", command, "staging",
                List.of("staging-miner-1"), OperationLog.outcome(code), code, Duration.ofMillis(1500));
    }

    @Test
    void anEntryReadsAsDocumented() throws Exception {
        JsonNode n = JSON.readTree(entry("basilica manage start", 0).json());
        assertEquals("2026-11-27T18:00:00Z", n.get("time").asText());
        assertEquals("ok", n.get("outcome").asText());
        assertEquals(1500, n.get("duration_ms").asLong());
        assertEquals("alice@ops-1", OperationLog.operator(Map.of("USER", "alice", "HOSTNAME", "ops-1")));
    }
}
