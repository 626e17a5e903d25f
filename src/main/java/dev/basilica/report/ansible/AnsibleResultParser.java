package dev.basilica.report.ansible;

import static dev.basilica.report.JsonInput.at;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basilica.report.JsonInput;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.ToolText;
import dev.basilica.report.ansible.AnsibleRun.HostStats;
import dev.basilica.report.ansible.AnsibleRun.Outcome;
import dev.basilica.report.ansible.AnsibleRun.Play;
import dev.basilica.report.ansible.AnsibleRun.Task;
import dev.basilica.report.ansible.AnsibleRun.TaskResult;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the output of {@code ansible-playbook} with {@code ANSIBLE_STDOUT_CALLBACK=ansible.posix.json}
 * (or the older built-in {@code json}): one JSON document, {@code {"plays": [...], "stats": {...}}}.
 *
 * <p>Tolerates what real runs print: text before the document ({@code [WARNING]} lines, "to retry, use:
 * --limit @..."), text after it, and the {@code free} strategy's duplicated task entries. Relies on
 * {@code plays[].tasks[].task.id}, {@code .hosts} and {@code stats}, and rejects output without them.
 */
public final class AnsibleResultParser {

    static final String EXPECTED = "the output of ansible-playbook with ANSIBLE_STDOUT_CALLBACK=ansible.posix.json";

    /** Results only check mode produces. */
    private static final List<String> CHECK_MODE_MARKERS = List.of(
            "would have run if not in check mode", "does not support check mode", "check mode not supported");
    private static final Pattern PACKAGE_MISSING = Pattern.compile(
            "(?i)no package matching|no package .* (is )?available|unable to find a match|has no installation candidate"
                    + "|not found in the configured|no match for argument");
    private static final Pattern SERVICE_MISSING = Pattern.compile("(?i)could not find the requested service ([\\w@.-]+)");
    private static final List<String> PACKAGE_MODULES = List.of("apt", "dnf", "yum", "package", "zypper", "dnf5");
    private static final List<String> REPOSITORY_MODULES = List.of(
            "apt_repository", "deb822_repository", "yum_repository", "zypper_repository", "apt_key", "rpm_key");
    /** Module arguments that name what a task creates: a later failure naming them depends on it. */
    private static final List<String> CREATED_NAMES = List.of("path", "dest", "name", "repo", "filename", "pkg", "key");
    /** Lines of a failed command's stderr kept as evidence. */
    private static final int OUTPUT_LINES = 3;
    private static final int MESSAGE_LIMIT = 400;

    private AnsibleResultParser() {}

    /**
     * @param checkMode true when the caller knows the run was {@code --check}; null to recognise it from
     *                  the results
     */
    public static AnsibleRun parse(String text, String source, Boolean checkMode) throws ReportInputException {
        return parse(new ToolText(text, List.of()), source, checkMode);
    }

    /**
     * Reads any of the forms an operator may have: the JSON callback's document, the JSON-lines callback's
     * events (turned into the same document), or, as a fallback, the {@code PLAY RECAP} of the default (or
     * yaml) callback's text, with or without colours, which gives per-host counts only.
     */
    public static AnsibleRun parse(ToolText input, String source, Boolean checkMode) throws ReportInputException {
        String text = input.text();
        if (isEventStream(text)) {
            AnsibleEventStream events = new AnsibleEventStream();
            text.lines().forEach(events::accept);
            AnsibleRun run = parse(events.document(), source, checkMode);
            List<String> notes = new ArrayList<>(input.notes());
            notes.add("read the JSON-lines callback's events");
            return run.withInput(notes, false);
        }
        if (JsonInput.firstObjectLine(text) < 0 && PlayRecap.present(text)) {
            return PlayRecap.parse(text, source, input.notes());
        }
        Document doc = document(text, source);
        return parse(doc.in(), doc.root(), doc.preamble(), doc.trailer(), checkMode).withInput(input.notes(), false);
    }

    /** The JSON-lines callback: one event object a line, each with {@code _event}. */
    private static boolean isEventStream(String text) {
        return text.lines().map(String::strip).filter(l -> l.startsWith("{")).limit(3)
                .anyMatch(l -> l.endsWith("}") && l.contains("\"_event\""));
    }

    /**
     * The callback's JSON document as a tree, with the text around it: for readers that need the modules'
     * own results (registered data), not just outcomes.
     */
    public record Document(JsonNode root, List<String> preamble, List<String> trailer, JsonInput in) {}

    /** Finds and reads the JSON document in the callback's output, tolerating text around it. */
    public static Document document(String text, String source) throws ReportInputException {
        List<String> lines = text.lines().toList();
        // The callback prints its document indented, opening with "{" alone on a line; prefer that line
        // over an earlier one that merely starts with "{" (a dict some warning printed).
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            if (lines.get(i).strip().equals("{")) start = i;
        }
        for (int i = 0; i < lines.size() && start < 0; i++) {
            if (lines.get(i).startsWith("{")) start = i;
        }
        if (start < 0) {
            String hint = text.contains("PLAY [") || text.contains("TASK [")
                    ? "this is the default callback's output without its PLAY RECAP (cut short?); run with"
                    + " ANSIBLE_STDOUT_CALLBACK=ansible.posix.json"
                    : "no JSON document found (this looks like " + ToolText.looksLike(text) + "); expected " + EXPECTED;
            throw new ReportInputException(source, hint);
        }
        String json = String.join("\n", lines.subList(start, lines.size()));
        JsonInput in = new JsonInput(json, source, start);
        JsonNode root = in.read(EXPECTED);
        int endOffset = (int) Math.min(in.endOfFirstValue(), json.length());
        List<String> trailer = json.substring(endOffset).lines().filter(l -> !l.isBlank()).toList();
        List<String> preamble = lines.subList(0, start).stream().filter(l -> !l.isBlank()).toList();
        return new Document(root, preamble, trailer, in);
    }

    private static AnsibleRun parse(JsonInput in, JsonNode root, List<String> preamble, List<String> trailer, Boolean checkMode)
            throws ReportInputException {
        if (!root.isObject()) throw in.error(List.of(), "expected a JSON object with 'plays' and 'stats'");
        if (root.has("_event") || root.has("event")) {
            throw in.error(List.of(), "this looks like a JSON-lines callback; use ANSIBLE_STDOUT_CALLBACK=ansible.posix.json");
        }
        JsonNode plays = root.get("plays");
        if (plays == null || !plays.isArray()) throw in.error(plays == null ? List.of() : List.of("plays"), "expected 'plays', an array");
        JsonNode statsNode = root.get("stats");
        if (statsNode == null || !statsNode.isObject()) {
            throw in.error(statsNode == null ? List.of() : List.of("stats"),
                    "expected 'stats', an object of per-host counts (the run did not finish, or the output is cut)");
        }
        Map<String, HostStats> stats = stats(in, statsNode);

        List<Play> playList = new ArrayList<>();
        Map<TaskResult, List<String>> created = new IdentityHashMap<>();
        boolean sawCheckMode = false;
        for (int p = 0; p < plays.size(); p++) {
            List<Object> pp = List.of("plays", p);
            JsonNode play = plays.get(p);
            if (!play.isObject()) throw in.error(pp, "expected a play object");
            String playName = play.path("play").path("name").asText("");
            JsonNode tasks = play.get("tasks");
            if (tasks == null || !tasks.isArray()) throw in.error(tasks == null ? pp : at(pp, "tasks"), "expected 'tasks', an array");
            Map<String, String> names = new LinkedHashMap<>();
            Map<String, Map<String, TaskResult>> byId = new LinkedHashMap<>();
            for (int t = 0; t < tasks.size(); t++) {
                List<Object> tp = at(at(pp, "tasks"), t);
                JsonNode task = tasks.get(t);
                JsonNode id = task.path("task").get("id");
                if (id == null || !id.isTextual()) throw in.error(tp, "expected 'task.id', a string");
                JsonNode hosts = task.get("hosts");
                if (hosts == null || !hosts.isObject()) throw in.error(hosts == null ? tp : at(tp, "hosts"), "expected 'hosts', an object");
                String name = task.path("task").path("name").asText("");
                names.putIfAbsent(id.textValue(), name);
                Map<String, TaskResult> results = byId.computeIfAbsent(id.textValue(), k -> new LinkedHashMap<>());
                for (Map.Entry<String, JsonNode> e : hosts.properties()) {
                    if (!e.getValue().isObject()) throw in.error(at(at(tp, "hosts"), e.getKey()), "expected a result object");
                    TaskResult r = result(e.getKey(), name, playName, e.getValue());
                    if (isCheckModeOnly(e.getValue())) sawCheckMode = true;
                    if (r.outcome() == Outcome.CHANGED) created.put(r, createdNames(e.getValue()));
                    results.put(e.getKey(), r);
                }
            }
            List<Task> merged = new ArrayList<>();
            byId.forEach((id, results) -> merged.add(new Task(id, names.get(id), playName, results)));
            playList.add(new Play(playName, merged));
        }
        boolean check = checkMode != null ? checkMode : sawCheckMode;
        List<Play> classified = classify(playList, stats, check, created);
        return new AnsibleRun(preamble, trailer, check, classified, stats, List.of(), false);
    }

    private static Map<String, HostStats> stats(JsonInput in, JsonNode node) throws ReportInputException {
        Map<String, HostStats> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode s = e.getValue();
            for (String f : List.of("ok", "changed", "failures", "unreachable", "skipped")) {
                if (!s.path(f).isInt()) throw in.error(List.of("stats", e.getKey()), "expected '" + f + "', a count");
            }
            out.put(e.getKey(), new HostStats(s.get("ok").asInt(), s.get("changed").asInt(), s.get("failures").asInt(),
                    s.get("unreachable").asInt(), s.get("skipped").asInt(), s.path("rescued").asInt(0), s.path("ignored").asInt(0)));
        }
        return out;
    }

    private static TaskResult result(String host, String task, String play, JsonNode r) {
        Outcome o;
        if (r.path("unreachable").asBoolean(false)) o = Outcome.UNREACHABLE;
        else if (r.path("failed").asBoolean(false)) o = Outcome.FAILED;
        else if (r.path("skipped").asBoolean(false)) o = isCheckModeOnly(r) ? Outcome.NOT_PREDICTED : Outcome.SKIPPED;
        else if (r.path("changed").asBoolean(false)) o = Outcome.CHANGED;
        else o = Outcome.OK;
        String msg = message(r);
        List<String> output = new ArrayList<>();
        if (o == Outcome.FAILED || o == Outcome.UNREACHABLE) {
            output.addAll(tail(r.get("stderr_lines")));
            if (output.isEmpty()) output.addAll(tail(r.get("module_stderr")));
        }
        Integer rc = r.path("rc").isInt() ? r.get("rc").asInt() : null;
        return new TaskResult(host, task, play, o, shortAction(r.path("action").asText("")), msg, rc, output, null);
    }

    private static boolean isCheckModeOnly(JsonNode r) {
        String msg = r.path("msg").asText("").toLowerCase(Locale.ROOT);
        return CHECK_MODE_MARKERS.stream().anyMatch(msg::contains);
    }

    /** The module's message; for a loop, the first failed item's message after the generic one. */
    private static String message(JsonNode r) {
        JsonNode m = r.get("msg");
        String msg = m == null || m.isNull() ? "" : m.isTextual() ? m.textValue() : m.toString();
        JsonNode items = r.get("results");
        if (items != null && items.isArray() && r.path("failed").asBoolean(false)) {
            for (JsonNode item : items) {
                if (item.path("failed").asBoolean(false)) {
                    String itemMsg = item.path("msg").asText("");
                    if (!itemMsg.isEmpty()) msg = msg.isEmpty() ? itemMsg : msg + ": " + itemMsg;
                    break;
                }
            }
        }
        msg = msg.strip().replace("\r", "");
        return msg.length() > MESSAGE_LIMIT ? msg.substring(0, MESSAGE_LIMIT - 3) + "..." : msg;
    }

    private static List<String> tail(JsonNode node) {
        if (node == null || node.isNull()) return List.of();
        List<String> lines = new ArrayList<>();
        if (node.isArray()) node.forEach(l -> lines.add(l.asText()));
        else node.asText().lines().forEach(lines::add);
        List<String> kept = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return kept.subList(Math.max(0, kept.size() - OUTPUT_LINES), kept.size());
    }

    /** {@code ansible.builtin.apt} → {@code apt}; collections other than the builtin keep their name. */
    static String shortAction(String action) {
        for (String prefix : List.of("ansible.builtin.", "ansible.legacy.")) {
            if (action.startsWith(prefix)) return action.substring(prefix.length());
        }
        return action;
    }

    /**
     * Tells apart failures that stopped a host from tolerated ones, and, in check mode, failures that only
     * happened because an earlier change was simulated.
     */
    private static List<Play> classify(List<Play> plays, Map<String, HostStats> stats, boolean checkMode,
                                       Map<TaskResult, List<String>> created) {
        // The callback cannot tell an ignored failure from a fatal one; the stats can count them. A failure
        // that stops a host is its last one, so all but the host's last `failures` failures were tolerated.
        Map<String, List<TaskResult>> failedByHost = new LinkedHashMap<>();
        for (Play p : plays) {
            for (Task t : p.tasks()) {
                t.results().values().stream().filter(r -> r.outcome() == Outcome.FAILED)
                        .forEach(r -> failedByHost.computeIfAbsent(r.host(), k -> new ArrayList<>()).add(r));
            }
        }
        Map<TaskResult, TaskResult> replaced = new IdentityHashMap<>();
        failedByHost.forEach((host, failed) -> {
            HostStats s = stats.get(host);
            int fatal = s == null ? failed.size() : Math.min(s.failures(), failed.size());
            for (int i = 0; i < failed.size() - fatal; i++) {
                TaskResult r = failed.get(i);
                replaced.put(r, with(r, Outcome.IGNORED, null));
            }
        });
        Map<String, List<Created>> createdByHost = new LinkedHashMap<>();
        List<Play> out = new ArrayList<>();
        for (Play play : plays) {
            List<Task> tasks = new ArrayList<>();
            for (Task t : play.tasks()) {
                Map<String, TaskResult> results = new LinkedHashMap<>();
                for (TaskResult r : t.results().values()) {
                    TaskResult r2 = replaced.getOrDefault(r, r);
                    if (checkMode && r2.outcome() == Outcome.FAILED) {
                        String cause = simulatedCause(r2, createdByHost.getOrDefault(r2.host(), List.of()));
                        if (cause != null) r2 = with(r2, Outcome.UNPREDICTABLE, cause);
                    }
                    if (r2.outcome() == Outcome.CHANGED) {
                        createdByHost.computeIfAbsent(r2.host(), k -> new ArrayList<>())
                                .add(new Created(r2.task(), r2.action(), created.getOrDefault(r, List.of())));
                    }
                    results.put(r2.host(), r2);
                }
                tasks.add(new Task(t.id(), t.name(), t.play(), results));
            }
            out.add(new Play(play.name(), tasks));
        }
        return out;
    }

    /** An earlier (simulated) change on a host: the task, its module and the names it creates. */
    private record Created(String task, String action, List<String> names) {}

    private static String simulatedCause(TaskResult failed, List<Created> earlier) {
        String text = failed.message() + "\n" + String.join("\n", failed.output());
        for (int i = earlier.size() - 1; i >= 0; i--) {
            Created c = earlier.get(i);
            for (String n : c.names()) {
                if (n.length() >= 3 && text.contains(n)) return c.task();
            }
        }
        if (PACKAGE_MODULES.contains(failed.action()) && PACKAGE_MISSING.matcher(text).find()) {
            for (int i = earlier.size() - 1; i >= 0; i--) {
                if (REPOSITORY_MODULES.contains(earlier.get(i).action())) return earlier.get(i).task();
            }
        }
        var m = SERVICE_MISSING.matcher(text);
        if (m.find()) {
            String service = m.group(1).replaceAll("[.:]$", "");
            for (int i = earlier.size() - 1; i >= 0; i--) {
                if (earlier.get(i).names().stream().anyMatch(n -> n.contains(service))) return earlier.get(i).task();
            }
        }
        return null;
    }

    /** The names a changed task's arguments and result give for what it creates: paths, packages, repositories. */
    private static List<String> createdNames(JsonNode r) {
        List<String> out = new ArrayList<>();
        for (JsonNode source : List.of(r.path("invocation").path("module_args"), r)) {
            for (String key : CREATED_NAMES) {
                JsonNode v = source.get(key);
                if (v == null) continue;
                if (v.isTextual()) out.add(v.textValue());
                else if (v.isArray()) v.forEach(x -> {
                    if (x.isTextual()) out.add(x.textValue());
                });
            }
        }
        return out;
    }

    private static TaskResult with(TaskResult r, Outcome o, String dependsOn) {
        return new TaskResult(r.host(), r.task(), r.play(), o, r.action(), r.message(), r.rc(), r.output(), dependsOn);
    }
}
