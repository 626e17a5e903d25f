package dev.basilica.report.ansible;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basilica.report.ReportInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code ansible-playbook} output with {@code ANSIBLE_STDOUT_CALLBACK=ansible.posix.jsonl} line by line,
 * as it is printed: each line is one event (a play or task starting, one host's result, the closing stats).
 * Gives a {@link Progress} per event for live display and, at the end, the same document the
 * {@code ansible.posix.json} callback would have printed, so {@link AnsibleResultParser} and
 * {@code basilica report --ansible-result} read it unchanged.
 *
 * <p>Lines that are not JSON objects (a warning a plugin printed to stdout) are kept as the document's
 * preamble. Results are grouped by task id within their play, so the {@code free} strategy's per-host task
 * starts end up as one task.
 */
public final class AnsibleEventStream {

    /** One event, reduced to what a person watching the run needs. */
    public record Progress(Kind kind, String play, String task, String host, String status, String message) {}

    public enum Kind { PLAY, TASK, RESULT, STATS }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArrayNode plays = JSON.createArrayNode();
    private final List<String> preamble = new ArrayList<>();
    private ObjectNode play;
    private final Map<String, ObjectNode> tasks = new HashMap<>();
    private ObjectNode stats;
    private int events;

    /** Takes one line of output; returns what it reported, or empty for a line that is not an event. */
    public synchronized Optional<Progress> accept(String line) {
        String s = line.strip();
        if (!s.startsWith("{")) {
            if (!s.isEmpty()) preamble.add(line);
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = JSON.readTree(s);
        } catch (JsonProcessingException e) {
            preamble.add(line);
            return Optional.empty();
        }
        String event = node.path("_event").asText("");
        if (event.isEmpty()) {
            preamble.add(line);
            return Optional.empty();
        }
        events++;
        switch (event) {
            case "v2_playbook_on_play_start" -> {
                play = JSON.createObjectNode();
                play.set("play", node.path("play").deepCopy());
                play.set("tasks", JSON.createArrayNode());
                plays.add(play);
                tasks.clear();
                return Optional.of(new Progress(Kind.PLAY, playName(), "", "", "", ""));
            }
            case "v2_playbook_on_task_start", "v2_playbook_on_handler_task_start", "v2_runner_on_start" -> {
                ObjectNode task = task(node.path("task"));
                if (task == null) return Optional.empty();
                // runner_on_start comes once per host under the free strategy; report the task once.
                boolean first = task.path("hosts").isEmpty() && !task.has("_reported");
                task.put("_reported", true);
                return first ? Optional.of(new Progress(Kind.TASK, playName(), text(node.path("task"), "name"), "", "", ""))
                        : Optional.empty();
            }
            case "v2_runner_on_ok", "v2_runner_on_failed", "v2_runner_on_skipped", "v2_runner_on_unreachable" -> {
                ObjectNode task = task(node.path("task"));
                JsonNode hosts = node.path("hosts");
                Progress last = null;
                for (Map.Entry<String, JsonNode> e : hosts.properties()) {
                    if (task != null) ((ObjectNode) task.get("hosts")).set(e.getKey(), e.getValue().deepCopy());
                    last = new Progress(Kind.RESULT, playName(), text(node.path("task"), "name"), e.getKey(),
                            status(event, e.getValue()), message(e.getValue()));
                }
                return Optional.ofNullable(last);
            }
            case "v2_playbook_on_stats" -> {
                stats = (ObjectNode) node.path("stats").deepCopy();
                return Optional.of(new Progress(Kind.STATS, "", "", "", "", ""));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** Whether the closing stats arrived (the run finished, however it ended). */
    public synchronized boolean finished() {
        return stats != null;
    }

    /** How many events were read. */
    public synchronized int events() {
        return events;
    }

    /**
     * The run as the {@code ansible.posix.json} callback prints it: {@code {"plays": [...], "stats": {...}}}.
     * Without closing stats (the run was stopped) the document has none, and the parser says the run did not
     * finish.
     */
    public synchronized String document() {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode p = doc.putArray("plays");
        for (JsonNode pl : plays) {
            ObjectNode copy = pl.deepCopy();
            for (JsonNode t : copy.path("tasks")) ((ObjectNode) t).remove("_reported");
            p.add(copy);
        }
        if (stats != null) doc.set("stats", stats);
        try {
            String body = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
            return preamble.isEmpty() ? body + "\n" : String.join("\n", preamble) + "\n" + body + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The run, parsed as {@link AnsibleResultParser} parses the JSON callback's document. */
    public AnsibleRun run(String source, Boolean checkMode) throws ReportInputException {
        return AnsibleResultParser.parse(document(), source, checkMode);
    }

    private ObjectNode task(JsonNode taskInfo) {
        String id = text(taskInfo, "id");
        if (id.isEmpty()) return null;
        if (play == null) {
            // Output cut at the front: keep the results under a play without a name.
            play = JSON.createObjectNode();
            play.putObject("play").put("name", "");
            play.set("tasks", JSON.createArrayNode());
            plays.add(play);
        }
        return tasks.computeIfAbsent(id, k -> {
            ObjectNode t = JSON.createObjectNode();
            ObjectNode info = t.putObject("task");
            info.put("id", id);
            info.put("name", text(taskInfo, "name"));
            if (taskInfo.has("path")) info.set("path", taskInfo.get("path"));
            t.putObject("hosts");
            ((ArrayNode) play.get("tasks")).add(t);
            return t;
        });
    }

    private String playName() {
        return play == null ? "" : text(play.path("play"), "name");
    }

    private static String status(String event, JsonNode result) {
        return switch (event) {
            // The callback does not tell a tolerated failure (ignore_errors, rescue) from a fatal one; the
            // closing stats and the parsed run do.
            case "v2_runner_on_failed" -> "failed";
            case "v2_runner_on_skipped" -> "skipped";
            case "v2_runner_on_unreachable" -> "unreachable";
            default -> result.path("changed").asBoolean(false) ? "changed" : "ok";
        };
    }

    private static String message(JsonNode result) {
        String msg = result.path("msg").isTextual() ? result.path("msg").asText() : "";
        if (msg.isEmpty() && result.path("stderr").isTextual()) msg = result.path("stderr").asText();
        msg = msg.strip();
        int nl = msg.indexOf('\n');
        if (nl >= 0) msg = msg.substring(0, nl) + " ...";
        return msg.length() > 300 ? msg.substring(0, 300) + " ..." : msg;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : "";
    }
}
