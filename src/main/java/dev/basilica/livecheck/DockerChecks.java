package dev.basilica.livecheck;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.HostFeature;
import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker on the hosts where the plan installs it ({@link HostFeature#DOCKER}, the executors): the daemon is active, its
 * socket is {@code root:docker 0660}, the NVIDIA runtime is registered where the model puts GPUs, and the running executor
 * reaches the daemon. Read from the one "Collect Docker state" task of {@code collect.yml} ({@link DockerState}).
 */
final class DockerChecks {

    static final String SOCKET = "/var/run/docker.sock";
    static final String SOCKET_WANT = "root:docker 0660";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Fleet fleet;
    private final String env;

    DockerChecks(Fleet fleet) {
        this.fleet = fleet;
        this.env = fleet.name();
    }

    /**
     * What the task printed, one {@code key=value} line each; {@code task} holds the command's result in case it failed
     * as a whole.
     */
    record DockerState(HostFacts.Command task, Map<String, String> values) {

        static DockerState of(HostFacts.Command c) {
            Map<String, String> v = new LinkedHashMap<>();
            for (String line : c.stdout().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).matches("[a-z-]+")) v.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
            return new DockerState(c, v);
        }

        String get(String key) {
            return values.get(key);
        }

        boolean active() {
            return "active".equals(values.get("service"));
        }

        /** {@code [owner, group, gid, mode]}, or null when the socket is missing or was not read. */
        String[] socket() {
            String s = values.get("socket");
            if (s == null || s.equals("missing")) return null;
            String[] f = s.split("\\s+");
            return f.length == 4 ? f : null;
        }

        int executorPid() {
            try {
                return Integer.parseInt(values.getOrDefault("executor-pid", "0"));
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        List<String> executorGroups() {
            String g = values.getOrDefault("executor-groups", "");
            return g.isBlank() ? List.of() : Arrays.asList(g.split("\\s+"));
        }
    }

    List<Check> evaluate(Fleet.HostPlan plan, HostFacts facts) {
        if (!plan.has(HostFeature.DOCKER)) return List.of();
        String host = plan.name();
        boolean gpus = plan.host().gpuCount() > 0;
        HostFacts.Command c = facts.docker();
        String notRead = c == null ? "Docker's state was not collected: collect.yml predates these checks (basilica generate --env " + env + ")"
                : c.skipped() ? "Docker's state was not collected: the host is not in docker_hosts of the generated inventory (basilica generate --env "
                        + env + ")" : null;
        if (notRead != null) {
            List<Check> out = new ArrayList<>();
            out.add(Check.of(id(host, "daemon"), host, Category.SERVICES, Status.SKIP, notRead, List.of(), null));
            out.add(Check.of(id(host, "socket"), host, Category.SECURITY, Status.SKIP, notRead, List.of(), null));
            if (gpus) out.add(Check.of(id(host, "nvidia-runtime"), host, Category.WORKFLOW, Status.SKIP, notRead, List.of(), null));
            out.add(Check.of(id(host, "executor-access"), host, Category.WORKFLOW, Status.SKIP, notRead, List.of(), null));
            return out;
        }
        DockerState s = DockerState.of(c);
        List<Check> out = new ArrayList<>();
        out.add(daemon(host, s));
        out.add(socket(host, s));
        if (gpus) out.add(nvidiaRuntime(host, s));
        out.add(executorAccess(host, s));
        return out;
    }

    static String id(String host, String what) {
        return "docker." + host + "." + what;
    }

    private Check daemon(String host, DockerState s) {
        String id = id(host, "daemon");
        String service = s.get("service");
        if (service == null || service.isEmpty()) {
            return Check.of(id, host, Category.SERVICES, Status.FAIL, "Docker's state could not be read on " + host,
                    List.of(firstLines(s.task().output(), 3)), "look at the host: systemctl status docker.service");
        }
        List<String> evidence = List.of("systemctl is-active docker.service: " + service + "; docker.socket: " + s.get("socket-unit"));
        if (s.active()) return Check.of(id, host, Category.SERVICES, Status.PASS, "docker.service is active", evidence, null);
        return Check.of(id, host, Category.SERVICES, Status.FAIL, "docker.service is " + service + ", not active", evidence,
                "start it on " + host + ": systemctl enable --now docker.service (if it stops again: journalctl -u docker.service), then the "
                        + "executor, which stops with it: basilica manage start executor --env " + env + " --limit " + host
                        + "; if Docker is not installed: basilica provision servers --env " + env + " --limit " + host);
    }

    private Check socket(String host, DockerState s) {
        String id = id(host, "socket");
        String fix = socketFix(host) + "; if it is missing: systemctl start docker.socket docker.service; if it comes back otherwise "
                + "when Docker restarts: basilica provision servers --env " + env + " --limit " + host;
        String raw = s.get("socket");
        if ("missing".equals(raw)) {
            return Check.of(id, host, Category.SECURITY, Status.FAIL, SOCKET + " is missing", List.of("expected " + SOCKET_WANT
                    + "; docker.socket is " + s.get("socket-unit") + ", docker.service " + s.get("service")), fix);
        }
        String[] f = s.socket();
        if (f == null) {
            return Check.of(id, host, Category.SECURITY, Status.FAIL, SOCKET + ": owner and mode not read",
                    List.of(firstLines(s.task().output(), 3)), "look at the host: stat " + SOCKET);
        }
        String have = f[0] + ":" + f[1] + " " + mode(f[3]);
        List<String> evidence = List.of(SOCKET + " is " + have + " (gid " + f[2] + "); expected " + SOCKET_WANT);
        if (have.equals(SOCKET_WANT)) return Check.of(id, host, Category.SECURITY, Status.PASS, SOCKET + " is " + SOCKET_WANT, evidence, null);
        return Check.of(id, host, Category.SECURITY, Status.FAIL, SOCKET + " is " + have + ", not " + SOCKET_WANT, evidence, fix);
    }

    private Check nvidiaRuntime(String host, DockerState s) {
        String id = id(host, "nvidia-runtime");
        boolean toolkit = fleet.host(host).has(HostFeature.NVIDIA_TOOLKIT);
        String fix = toolkit
                ? "re-apply the server setup, which writes the nvidia runtime into /etc/docker/daemon.json and restarts Docker: "
                        + "basilica provision servers --env " + env + " --limit " + host
                : "the model does not install the NVIDIA container toolkit (packages.install_nvidia_toolkit: false): install it on " + host
                        + " and register its runtime in /etc/docker/daemon.json, or set install_nvidia_toolkit: true and run "
                        + "basilica provision servers --env " + env + " --limit " + host;
        if (!s.active()) {
            return Check.of(id, host, Category.WORKFLOW, Status.SKIP, "runtimes not read: docker.service is not active (" + id(host, "daemon")
                    + ")", List.of(), null);
        }
        String error = s.get("runtimes-error");
        String raw = s.get("runtimes");
        if (error != null || raw == null) {
            return Check.of(id, host, Category.WORKFLOW, Status.FAIL, "Docker's runtimes could not be read: " + (error != null ? error
                    : "no answer"), List.of(firstLines(s.task().output(), 3)), toolkit ? fix : "re-install Docker: basilica provision servers --env "
                    + env + " --limit " + host);
        }
        JsonNode runtimes;
        try {
            runtimes = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            runtimes = null;
        }
        if (runtimes == null || !runtimes.isObject()) {
            return Check.of(id, host, Category.WORKFLOW, Status.FAIL, "Docker's runtimes could not be read", List.of("docker info: " + raw),
                    "look at the host: docker info");
        }
        List<String> names = new ArrayList<>();
        runtimes.fieldNames().forEachRemaining(names::add);
        List<String> evidence = List.of("docker info: runtimes " + String.join(", ", names)
                + (runtimes.has("nvidia") ? " (nvidia: " + runtimes.path("nvidia").path("path").asText("?") + ")" : ""),
                "expected: nvidia, since the model gives " + host + " GPUs (hosts[].gpus)");
        if (runtimes.has("nvidia")) {
            return Check.of(id, host, Category.WORKFLOW, Status.PASS, "Docker has the nvidia runtime (" + runtimes.path("nvidia").path("path")
                    .asText("?") + ")", evidence, null);
        }
        return Check.of(id, host, Category.WORKFLOW, Status.FAIL, "Docker has no nvidia runtime (it has " + String.join(", ", names) + ")",
                evidence, fix);
    }

    private Check executorAccess(String host, DockerState s) {
        String id = id(host, "executor-access");
        int pid = s.executorPid();
        if (pid <= 0) {
            return Check.of(id, host, Category.WORKFLOW, Status.SKIP, "not tried: the executor is not running (services." + host
                    + ".executor.unit)", List.of(), null);
        }
        if (!s.active() || s.socket() == null) {
            return Check.of(id, host, Category.WORKFLOW, Status.SKIP, "not tried: Docker is not running or has no socket (" + id(host, "daemon")
                    + ", " + id(host, "socket") + ")", List.of(), null);
        }
        String[] sock = s.socket();
        String[] ids = (s.get("executor-ids") == null ? "? ?" : s.get("executor-ids") + " ?").split("\\s+");
        String uid = ids[0];
        String gid = ids[1];
        List<String> groups = s.executorGroups();
        String connect = s.get("executor-connect") == null ? "" : s.get("executor-connect");
        List<String> evidence = List.of(
                "executor process " + pid + ": uid " + uid + ", gid " + gid + ", supplementary groups " + (groups.isEmpty() ? "none" : String.join(" ", groups)),
                SOCKET + ": " + sock[0] + ":" + sock[1] + " (gid " + sock[2] + ") " + mode(sock[3]),
                "GET /_ping over the socket with the process's credentials, in its mount namespace: " + (connect.isEmpty() ? "no answer" : connect));
        if (connect.matches("HTTP/1\\.\\d 200.*")) {
            return Check.of(id, host, Category.WORKFLOW, Status.PASS, "the running executor reaches Docker (" + SOCKET + ")", evidence, null);
        }
        String why = connect.startsWith("error: ") ? connect.substring("error: ".length()) : connect.isEmpty() ? "no answer" : connect;
        boolean inGroup = groups.contains(sock[2]) || gid.equals(sock[2]);
        String fix;
        if (!inGroup) {
            fix = "the running executor is not in the socket's group " + sock[1] + " (gid " + sock[2] + "): re-install its unit "
                    + "(SupplementaryGroups=docker) and restart it: basilica provision configure --apply --env " + env + " --limit " + host
                    + ", then basilica manage restart executor --env " + env + " --limit " + host;
        } else if (!(sock[0] + ":" + sock[1] + " " + mode(sock[3])).equals(SOCKET_WANT)) {
            fix = "the executor is in group " + sock[1] + ", so the socket's owner or mode is wrong (" + id(host, "socket") + "): "
                    + socketFix(host);
        } else {
            fix = "the executor has the socket's group and the socket is " + SOCKET_WANT + ": look at what else stands between them on "
                    + host + " (systemctl cat basilica-executor.service: RestrictAddressFamilies=, InaccessiblePaths=; journalctl -u docker.service)";
        }
        return Check.of(id, host, Category.WORKFLOW, Status.FAIL, "the running executor cannot reach Docker: " + why, evidence, fix);
    }

    /**
     * Put the socket right in place. Restarting docker.socket would recreate it too, but stopping Docker stops the
     * executor with it (its unit Requires=docker.service).
     */
    private static String socketFix(String host) {
        return "on " + host + ": chown root:docker " + SOCKET + " && chmod 0660 " + SOCKET;
    }

    /** {@code stat %a} prints 660; the checks say 0660 as the docs and the unit files do. */
    private static String mode(String octal) {
        return octal.length() == 3 ? "0" + octal : octal;
    }

    private static String firstLines(String s, int n) {
        return String.join(" | ", s.strip().lines().limit(n).toList());
    }
}
