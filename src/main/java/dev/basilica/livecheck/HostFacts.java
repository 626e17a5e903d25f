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
                        Command docker, List<Copy> copies, List<EnvNames> envNames, Applied applied,
                        Map<String, String> taskErrors, Applied pullRun) {

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

    /**
     * A generated file's copy on the host ({@code basilica_deployed_files}): {@code sha256} is null when it is
     * missing or could not be read ({@code error} then says why, when Ansible said).
     */
    public record Copy(String source, String target, boolean exists, String sha256, String error) {}

    /**
     * The variable names a service's secrets file assigns, never their values; {@code names} is null when the file
     * could not be read ({@code error}: awk's message).
     */
    public record EnvNames(String service, List<String> names, String error) {}

    /**
     * The on-host record of the applied configuration: whether it {@code exists}, its modification time (seconds
     * since the epoch), and its text ({@code null} when it was not read; {@code error} says why). Pull mode's
     * {@code last-run.json} is read into the same shape ({@link #pullRun}).
     */
    public record Applied(boolean exists, double mtime, String content, String error) {}

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
    static final String DOCKER = "Collect Docker state";
    static final String COPIES = "Collect the deployed files' checksums";
    static final String ENV_NAMES = "Collect the secret names of the environment files";
    static final String APPLIED_STAT = "Collect the record of the applied configuration";
    static final String APPLIED = "Read the record of the applied configuration";
    static final String PULL_STAT = "Collect the last pull run";
    static final String PULL = "Read the last pull run";

    /** Every host's facts in the output of {@code collect.yml}, by host name. */
    public static Map<String, HostFacts> parse(String text, String source) throws ReportInputException {
        JsonNode root = AnsibleResultParser.document(text, source).root();
        Map<String, Map<String, JsonNode>> byHost = new TreeMap<>();
        for (JsonNode play : root.path("plays")) {
            for (JsonNode task : play.path("tasks")) {
                String name = task.path("task").path("name").asText("");
                String key = name.contains(" : ") ? name.substring(name.lastIndexOf(" : ") + 3) : name;
                task.path("hosts").properties().forEach(e -> byHost.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>())
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
        Map<String, String> taskErrors = new TreeMap<>();
        t.forEach((name, r) -> {
            if (r.path("failed").asBoolean(false) && !r.has("results")) taskErrors.put(name, text(r, "msg"));
        });
        return new HostFacts(host, units, users, files, command(t.get(SSHD)), command(t.get(UFW)), command(t.get(DISK)), meminfo,
                http, paths, command(t.get(GPUS)), command(t.get(DOCKER)), copies(t.get(COPIES)), envNames(t.get(ENV_NAMES)),
                applied(t.get(APPLIED_STAT), t.get(APPLIED)), taskErrors, applied(t.get(PULL_STAT), t.get(PULL)));
    }

    /** Null when the task did not run on the host (a tree generated before it existed). */
    private static List<Copy> copies(JsonNode task) {
        if (task == null) return null;
        List<Copy> out = new ArrayList<>();
        for (JsonNode item : items(task)) {
            JsonNode i = item.path("item");
            JsonNode st = item.path("stat");
            boolean exists = st.path("exists").asBoolean(false);
            String sum = st.path("checksum").asText("");
            String error = st.isMissingNode() || item.path("failed").asBoolean(false) ? text(item, "msg") : null;
            out.add(new Copy(i.path("source").asText(""), i.path("target").asText(""), exists,
                    exists && !sum.isEmpty() ? sum.toLowerCase(java.util.Locale.ROOT) : null, error));
        }
        return out;
    }

    /** Null when the task did not run on the host. */
    private static List<EnvNames> envNames(JsonNode task) {
        if (task == null) return null;
        List<EnvNames> out = new ArrayList<>();
        for (JsonNode item : items(task)) {
            String service = item.path("item").asText("");
            if (item.path("skipped").asBoolean(false)) continue;
            if (item.path("rc").asInt(item.path("failed").asBoolean(false) ? 1 : 0) != 0 || !item.has("stdout")) {
                String why = text(item, "stderr");
                out.add(new EnvNames(service, null, why.isBlank() ? text(item, "msg") : why.strip()));
                continue;
            }
            List<String> names = new ArrayList<>();
            for (String line : item.path("stdout").asText("").split("\n")) {
                // awk printed only what stands before '='; anything else is not a name and is not kept.
                if (line.strip().matches("[A-Za-z_][A-Za-z0-9_]*")) names.add(line.strip());
            }
            out.add(new EnvNames(service, List.copyOf(names), null));
        }
        return out;
    }

    /** Null when the stat task did not run on the host. */
    private static Applied applied(JsonNode stat, JsonNode read) {
        if (stat == null) return null;
        JsonNode st = stat.path("stat");
        if (st.isMissingNode()) return new Applied(false, 0, null, stat.path("skipped").asBoolean(false) ? "skipped" : text(stat, "msg"));
        if (!st.path("exists").asBoolean(false)) return new Applied(false, 0, null, null);
        double mtime = st.path("mtime").asDouble(0);
        if (read == null || read.path("skipped").asBoolean(false)) return new Applied(true, mtime, null, "not read");
        if (!read.path("content").isTextual()) return new Applied(true, mtime, null, text(read, "msg"));
        try {
            return new Applied(true, mtime, new String(Base64.getDecoder().decode(read.path("content").asText()), StandardCharsets.UTF_8), null);
        } catch (IllegalArgumentException e) {
            return new Applied(true, mtime, null, "not base64: " + e.getMessage());
        }
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

    /** The copy at {@code target}, or null when it was not collected. */
    public Copy copy(String target) {
        return copies == null ? null : copies.stream().filter(c -> c.target().equals(target)).findFirst().orElse(null);
    }

    /** The names of the service's secrets file, or null when they were not collected. */
    public EnvNames envNames(String service) {
        return envNames == null ? null : envNames.stream().filter(e -> e.service().equals(service)).findFirst().orElse(null);
    }

    public FileStat file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst().orElse(null);
    }
}
