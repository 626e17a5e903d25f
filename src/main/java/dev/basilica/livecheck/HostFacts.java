package dev.basilica.livecheck;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.ansible.AnsibleResultParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code collect.yml} found on one host, read from the JSON callback's output of that playbook
 * (the tasks of {@code roles/validate/tasks/collect.yml}, found by name). A value is null when its task
 * did not run on the host.
 */
public record HostFacts(String host, List<Unit> units, Map<Integer, String> processUsers, List<FileStat> files, Command sshd,
                        Command ufw, Command disk, String meminfo, List<Http> http, List<PathResult> paths, Command gpus,
                        Command docker) {

    /** A unit as {@code systemctl show} describes it. */
    public record Unit(String service, String loadState, String activeState, String subState, String user, int mainPid,
                       String error) {}

    /** A file's owner and mode; {@code exists} false when it is missing. */
    public record FileStat(String path, boolean exists, String owner, String group, String mode) {}

    /** A command's result; {@code skipped} when its condition was false. */
    public record Command(boolean skipped, int rc, String stdout, String stderr, String message) {
        /** What the command printed, or why it printed nothing. */
        public String output() {
            if (!stdout.isBlank()) return stdout;
            if (!stderr.isBlank()) return stderr;
            return message;
        }

        /** Why a command failed: its stderr, else its message, else its stdout. */
        public String failure() {
            if (!stderr.isBlank()) return stderr;
            if (!message.isBlank() && !message.equals("non-zero return code")) return message;
            return stdout;
        }
    }

    /** One endpoint asked on the host: {@code status} -1 when there was no answer. */
    public record Http(String service, String path, int port, int status, String content, int elapsedSeconds, String message) {}

    /** One TCP path from this host to a peer, {@code endpoint} as {@code address:port}. */
    public record PathResult(String endpoint, boolean reachable, int elapsedSeconds, String message) {}

    static final String UNITS = "Collect unit states";
    static final String PROCESSES = "Collect processes";
    static final String FILES = "Collect file modes";
    static final String SSHD = "Collect SSH server settings";
    static final String UFW = "Collect firewall state";
    static final String DISK = "Collect disk space";
    static final String MEMORY = "Collect memory";
    static final String HTTP = "Collect HTTP endpoints";
    static final String PATHS = "Collect paths to peers";
    static final String GPUS = "Collect GPUs";
    static final String DOCKER = "Collect Docker runtimes";

    /** Every host's facts in the output of {@code collect.yml}, by host name. */
    public static Map<String, HostFacts> parse(String text, String source) throws ReportInputException {
        JsonNode root = AnsibleResultParser.document(text, source).root();
        Map<String, Map<String, JsonNode>> byHost = new TreeMap<>();
        for (JsonNode play : root.path("plays")) {
            for (JsonNode task : play.path("tasks")) {
                String name = task.path("task").path("name").asText("");
                String key = name.contains(" : ") ? name.substring(name.lastIndexOf(" : ") + 3) : name;
                task.path("hosts").fields().forEachRemaining(e -> byHost.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>())
                        .put(key, e.getValue()));
            }
        }
        Map<String, HostFacts> out = new TreeMap<>();
        byHost.forEach((host, tasks) -> {
            if (tasks.values().stream().anyMatch(r -> r.path("unreachable").asBoolean(false))) return;
            out.put(host, of(host, tasks));
        });
        return out;
    }

    private static HostFacts of(String host, Map<String, JsonNode> t) {
        List<Unit> units = new ArrayList<>();
        for (JsonNode item : items(t.get(UNITS))) {
            JsonNode st = item.path("status");
            String error = st.isMissingNode() ? text(item, "msg") : null;
            units.add(new Unit(item.path("item").asText(), st.path("LoadState").asText(""), st.path("ActiveState").asText(""),
                    st.path("SubState").asText(""), st.path("User").asText(""), st.path("MainPID").asInt(0), error));
        }
        Map<Integer, String> users = new TreeMap<>();
        Command ps = command(t.get(PROCESSES));
        if (ps != null) {
            for (String line : ps.stdout().split("\n")) {
                String[] f = line.strip().split("\\s+");
                if (f.length >= 2) {
                    try {
                        users.put(Integer.parseInt(f[0]), f[1]);
                    } catch (NumberFormatException e) {
                        // not a process line
                    }
                }
            }
        }
        List<FileStat> files = new ArrayList<>();
        for (JsonNode item : items(t.get(FILES))) {
            JsonNode st = item.path("stat");
            files.add(new FileStat(item.path("item").asText(), st.path("exists").asBoolean(false), st.path("pw_name").asText(""),
                    st.path("gr_name").asText(""), st.path("mode").asText("")));
        }
        String meminfo = null;
        JsonNode mem = t.get(MEMORY);
        if (mem != null && mem.path("content").isTextual()) {
            try {
                meminfo = new String(Base64.getDecoder().decode(mem.path("content").asText()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                meminfo = null;
            }
        }
        List<Http> http = new ArrayList<>();
        for (JsonNode item : items(t.get(HTTP))) {
            JsonNode i = item.path("item");
            http.add(new Http(i.path("service").asText(), i.path("path").asText(), i.path("port").asInt(),
                    item.path("status").asInt(-1), item.path("content").asText(""), item.path("elapsed").asInt(0), text(item, "msg")));
        }
        List<PathResult> paths = new ArrayList<>();
        for (JsonNode item : items(t.get(PATHS))) {
            String msg = text(item, "msg");
            // wait_for reports "state" when the port answered and a message ("Timeout when waiting for ...") when not.
            boolean reachable = item.has("state") && msg.isEmpty();
            paths.add(new PathResult(item.path("item").asText(), reachable, item.path("elapsed").asInt(0), msg));
        }
        return new HostFacts(host, units, users, files, command(t.get(SSHD)), command(t.get(UFW)), command(t.get(DISK)), meminfo,
                http, paths, command(t.get(GPUS)), command(t.get(DOCKER)));
    }

    private static List<JsonNode> items(JsonNode r) {
        List<JsonNode> out = new ArrayList<>();
        if (r != null) r.path("results").forEach(out::add);
        return out;
    }

    private static Command command(JsonNode r) {
        if (r == null) return null;
        if (r.path("skipped").asBoolean(false)) return new Command(true, 0, "", "", text(r, "skip_reason"));
        return new Command(false, r.path("rc").asInt(r.path("failed").asBoolean(false) ? 1 : 0), r.path("stdout").asText(""),
                r.path("stderr").asText(""), text(r, "msg"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.isTextual() ? v.textValue() : v.toString();
    }

    public Unit unit(String service) {
        return units.stream().filter(u -> u.service().equals(service)).findFirst().orElse(null);
    }

    public FileStat file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst().orElse(null);
    }
}
