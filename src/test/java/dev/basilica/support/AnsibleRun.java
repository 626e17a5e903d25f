package dev.basilica.support;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One ansible-playbook run read through the {@code json} stdout callback (ansible.posix.json): its
 * document has {@code plays} (each with {@code tasks}, each with a result per host under {@code hosts})
 * and {@code stats} (per host: ok, changed, failures, unreachable ...). What the converge tests ask of
 * it: did it fail, how much changed on each host, and which tasks changed or failed (for the message).
 */
public record AnsibleRun(String playbook, Tools.Result result, JsonNode json) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int OUTPUT_TAIL = 3000;
    private static final int TASK_TAIL = 1500;

    /** Runs {@code ansible-playbook PLAYBOOK ARGS} in {@code dir} with the JSON callback and {@code env} added. */
    public static AnsibleRun run(Path dir, Map<String, String> env, Duration timeout, String playbook, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("ansible-playbook", playbook));
        command.addAll(List.of(args));
        return parse(label(playbook, args), Tools.run(dir, withJsonCallback(env), timeout, command));
    }

    /** {@code env} plus the settings that make ansible-playbook print the JSON document (and no colours). */
    public static Map<String, String> withJsonCallback(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("ANSIBLE_STDOUT_CALLBACK", "json");
        all.put("ANSIBLE_NOCOLOR", "1");
        return all;
    }

    /** How a run names itself in messages: the playbook and its arguments. */
    public static String label(String playbook, String... args) {
        return playbook + " " + String.join(" ", args);
    }

    /**
     * The run whose standard output is the JSON document (anything before its first {@code '{'},
     * e.g. a warning, skipped; no document at all reads as an empty one).
     */
    public static AnsibleRun parse(String playbook, Tools.Result r) throws IOException {
        int start = r.stdout().indexOf('{');
        try {
            return new AnsibleRun(playbook, r, JSON.readTree(start < 0 ? "{}" : r.stdout().substring(start)));
        } catch (IOException e) {
            throw new IOException(playbook + ": unreadable JSON output (rc " + r.exitCode() + "):\n" + r.output(), e);
        }
    }

    /** Changed tasks per host, by host name, in a JSON callback document (e.g. one basilica saved). */
    public static Map<String, Integer> changedByHost(JsonNode document) {
        Map<String, Integer> m = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : document.path("stats").properties()) {
            m.put(e.getKey(), e.getValue().path("changed").asInt());
        }
        return m;
    }

    /** {@link #changedByHost(JsonNode)} of a saved document. */
    public static Map<String, Integer> changedByHost(Path saved) throws IOException {
        return changedByHost(JSON.readTree(saved.toFile()));
    }

    /** Fails the test, with the failed tasks and the output's end, if the run exited non-zero or any host failed. */
    public void assertOk() {
        if (result.exitCode() != 0 || failures() > 0) {
            fail(playbook + " failed (rc " + result.exitCode() + "):\n" + failedTasks() + "\n"
                    + tail(result.stderr(), OUTPUT_TAIL) + tail(result.stdout(), OUTPUT_TAIL));
        }
    }

    /** Failed plus unreachable, over every host. */
    public int failures() {
        int n = 0;
        for (JsonNode s : json.path("stats")) n += s.path("failures").asInt() + s.path("unreachable").asInt();
        return n;
    }

    /** Changed tasks over every host. */
    public int changed() {
        return changedByHost().values().stream().mapToInt(Integer::intValue).sum();
    }

    public Map<String, Integer> changedByHost() {
        return changedByHost(json);
    }

    /** One line per changed task and host: {@code changed: HOST: TASK (FILE) msg=...}. */
    public String changedTasks() {
        return tasks("changed");
    }

    /** One line per failed or unreachable task and host, with the message and the ends of its stderr and stdout. */
    public String failedTasks() {
        return tasks("failed") + tasks("unreachable");
    }

    private String tasks(String flag) {
        StringBuilder b = new StringBuilder();
        for (JsonNode play : json.path("plays")) {
            for (JsonNode task : play.path("tasks")) {
                for (Map.Entry<String, JsonNode> h : task.path("hosts").properties()) {
                    JsonNode r = h.getValue();
                    if (!r.path(flag).asBoolean()) continue;
                    b.append("  ").append(flag).append(": ").append(h.getKey()).append(": ")
                            .append(task.path("task").path("name").asText()).append(" (")
                            .append(task.path("task").path("path").asText().replaceAll(".*/ansible/", "")).append(")")
                            .append(" msg=").append(r.path("msg").asText());
                    if (!flag.equals("changed")) {
                        b.append(' ').append(tail(r.path("stderr").asText(), TASK_TAIL)).append(tail(r.path("stdout").asText(), TASK_TAIL));
                    }
                    b.append('\n');
                }
            }
        }
        return b.toString();
    }

    private static String tail(String s, int length) {
        return s.length() > length ? s.substring(s.length() - length) : s;
    }
}
