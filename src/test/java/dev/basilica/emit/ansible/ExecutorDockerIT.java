package dev.basilica.emit.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.model.ModelLoader;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.support.AnsibleRun;
import dev.basilica.support.GeneratedOut;
import dev.basilica.testfleet.DockerFleet;
import dev.basilica.testfleet.DockerFleets;
import dev.basilica.testfleet.DockerHost;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor drives Docker under its generated, hardened unit: on a GPU-modelled executor booted
 * in the Docker test fleet, the phases an operator runs (servers, then configure, deploy and start for
 * the executor) install the generated {@code basilica-executor.service} and the stand-in executor
 * (src/test/resources/standins/basilica-standin.py). A request file the test puts on the host switches
 * on the stand-in's Docker exercise: at start, as the service user and inside every restriction of the
 * unit, it creates, starts, waits for, inspects and removes a container through
 * {@code /var/run/docker.sock} (the Engine API, no CLI), once with the default runtime and once with
 * {@code nvidia}, and records what happened in its StateDirectory.
 *
 * <p>There is no GPU: as in {@link DockerRoleConvergeIT}, a stand-in {@code nvidia-container-runtime}
 * (records its arguments, then runs runc) stands where the toolkit would put it, and the toolkit role is
 * skipped ({@code --skip-tags nvidia_toolkit}); the docker role registers the runtime for the GPU
 * executor all the same. The image is imported on the host (nothing is pulled). Skipped, with the reason,
 * where no Docker daemon is reachable.
 */
@Tag("docker")
@Tag("integration")
public class ExecutorDockerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MINER_SS58 = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
    private static final String HOST = "gpu-executor";
    private static final String RUNTIME_LOG = "/var/log/nvidia-runtime-standin.log";
    private static final String REQUEST = "/etc/basilica-standin/docker.json";
    private static final String RESULT = "/var/lib/basilica/executor/docker-exercise.json";
    private static final List<String> STEPS = List.of("create 201", "start 204", "wait 200", "inspect 200", "remove 204", "inspect-removed 404");

    @TempDir
    Path work;

    @Test
    void theStandInExecutorDrivesContainersThroughTheSocketUnderItsGeneratedUnit() throws Exception {
        long started = System.nanoTime();
        try (DockerFleet fleet = DockerFleets.bootOrSkip(HOST)) {
            DockerHost host = fleet.host(HOST);
            host.ssh("cat > /usr/bin/nvidia-container-runtime <<'EOF'\n#!/bin/sh\necho \"$*\" >> " + RUNTIME_LOG
                    + "\nexec runc \"$@\"\nEOF\nchmod 0755 /usr/bin/nvidia-container-runtime").orThrow();

            Path project = work.resolve("project");
            Path out = project.resolve("out/execdocker");
            Files.createDirectories(project.resolve("environments"));
            Path model = project.resolve("environments/execdocker.yaml");
            Files.writeString(model, model(fleet, standIn()));
            GeneratedOut.write(model, "environments/execdocker.yaml", out);
            Path ansible = out.resolve("ansible");

            DockerRoleConvergeIT.playbook(ansible, "known-hosts.yml").assertOk();
            DockerRoleConvergeIT.playbook(ansible, "servers.yml", "--skip-tags", "nvidia_toolkit").assertOk();
            System.out.printf("execdocker: fleet up and servers converged after %d s%n", (System.nanoTime() - started) / 1_000_000_000);

            host.ssh(DockerRoleConvergeIT.IMPORT_IMAGE).orThrow();
            host.ssh("install -d -m 0755 " + Path.of(REQUEST).getParent() + " && echo '"
                    + "{\"image\": \"standin:1\", \"runtimes\": [null, \"nvidia\"], \"cmd\": [\"/bin/echo\", \"ran\"]}' > " + REQUEST
                    + " && chmod 0644 " + REQUEST).orThrow();
            for (String phase : List.of("configure.yml", "deploy.yml", "start.yml")) {
                AnsibleRun run = DockerRoleConvergeIT.playbook(ansible, phase, "--tags", "executor");
                if (run.failures() > 0) {
                    System.out.println("execdocker: " + host.ssh("journalctl -o cat -u basilica-executor.service --no-pager | tail -n 40").stdout());
                }
                run.assertOk();
            }

            // The unit that ran is the generated one, byte for byte, and it is active.
            String generated = Files.readString(out.resolve("systemd/basilica-executor.service"));
            assertEquals(generated, host.ssh("cat /etc/systemd/system/basilica-executor.service").orThrow().stdout(),
                    "the installed unit is the generated one");
            assertEquals("active", host.ssh("systemctl is-active basilica-executor.service").stdout().strip());

            JsonNode record = JSON.readTree(host.ssh("cat " + RESULT).orThrow().stdout());
            String journal = host.ssh("journalctl -o cat -u basilica-executor.service --no-pager | tail -n 20").stdout();
            assertFalse(record.has("error"), "the exercise failed: " + record + "\n" + journal);
            int uid = Integer.parseInt(host.ssh("id -u executor").orThrow().stdout().strip());
            int dockerGid = Integer.parseInt(host.ssh("getent group docker | cut -d: -f3").orThrow().stdout().strip());
            assertEquals(uid, record.path("uid").asInt(), "ran as the executor's run user: " + record);
            List<Integer> groups = new ArrayList<>();
            record.path("groups").forEach(g -> groups.add(g.asInt()));
            assertTrue(groups.contains(dockerGid), "the docker group, from the unit's SupplementaryGroups: " + record);
            // The account itself is not in the group: only the service gets the socket, not logins as its user.
            List<String> accountGroups = List.of(host.ssh("id -nG executor").orThrow().stdout().strip().split(" "));
            assertFalse(accountGroups.contains("docker"), "the executor account's own groups: " + accountGroups);
            var outside = host.ssh("runuser -u executor -- python3 -c \"import socket; socket.socket(socket.AF_UNIX).connect('/var/run/docker.sock')\"");
            assertTrue(outside.exitCode() != 0 && outside.stderr().contains("Permission denied"),
                    "outside the unit the executor's user cannot reach the socket: " + outside.stdout() + outside.stderr());
            assertEquals("root docker 660", host.ssh("stat -L -c '%U %G %a' /var/run/docker.sock").orThrow().stdout().strip(),
                    "the socket the executor used");
            assertEquals(2, record.path("runs").size(), record.toString());
            for (JsonNode run : record.path("runs")) {
                String runtime = run.path("runtime").isNull() ? "runc" : run.path("runtime").asText();
                List<String> steps = new ArrayList<>();
                run.path("steps").forEach(s -> steps.add(s.get(0).asText() + " " + s.get(1).asInt()));
                assertEquals(STEPS, steps, runtime + ": " + run);
                assertEquals(runtime, run.path("inspected_runtime").asText(), run.toString());
                assertEquals(0, run.path("exit_code").asInt(-1), run.toString());
                assertEquals("standin:1", run.path("image").asText(), run.toString());
            }
            String calls = host.ssh("cat " + RUNTIME_LOG).orThrow().stdout();
            assertTrue(calls.lines().anyMatch(l -> l.contains("create")), "the stand-in NVIDIA runtime ran the nvidia container:\n" + calls);
            assertEquals("", host.ssh("docker ps -aq").orThrow().stdout().strip(), "the executor removed its containers");

            validatesDockerLive(host, ansible, FleetPlanner.plan(ModelLoader.load(model, "environments/execdocker.yaml")));
            System.out.printf("execdocker: done after %d s%n", (System.nanoTime() - started) / 1_000_000_000);
        }
    }

    /**
     * The Docker checks of {@code basilica validate} on this host, from the generated {@code collect.yml}: all pass as
     * converged; then one thing at a time is broken and exactly its check fails with what it found and its fix, and is
     * restored (by the fix the check names, where that is a command on the host or a playbook). Each collect output is
     * kept under {@code target/} for the unit tests' fixtures (DockerChecksTest).
     */
    private static void validatesDockerLive(DockerHost host, Path ansible, Fleet plan) throws Exception {
        String daemon = "docker." + HOST + ".daemon";
        String socket = "docker." + HOST + ".socket";
        String nvidia = "docker." + HOST + ".nvidia-runtime";
        String access = "docker." + HOST + ".executor-access";

        Map<String, Check> ok = dockerChecks(ansible, plan, "healthy");
        for (String id : List.of(daemon, socket, nvidia, access)) assertEquals(Status.PASS, ok.get(id).status(), ok.get(id).toString());
        assertEquals("/var/run/docker.sock is root:docker 0660", ok.get(socket).title());
        assertTrue(ok.get(nvidia).title().contains("nvidia runtime (nvidia-container-runtime)"), ok.get(nvidia).title());
        assertTrue(ok.get(access).evidence().get(2).endsWith("HTTP/1.0 200 OK"), ok.get(access).evidence().toString());

        // The socket closed to its group: the socket check and the executor's reach fail; the named fix restores both.
        host.ssh("chmod 0600 /var/run/docker.sock").orThrow();
        Map<String, Check> closed = dockerChecks(ansible, plan, "socket-0600");
        String socketFix = "chown root:docker /var/run/docker.sock && chmod 0660 /var/run/docker.sock";
        assertFailed(closed, socket, "/var/run/docker.sock is root:docker 0600, not root:docker 0660", socketFix);
        assertFailed(closed, access, "the running executor cannot reach Docker: [Errno 13] Permission denied",
                "the socket's owner or mode is wrong (" + socket + "): on " + HOST + ": " + socketFix);
        assertEquals(Status.PASS, closed.get(daemon).status());
        assertEquals(Status.PASS, closed.get(nvidia).status());
        host.ssh(socketFix).orThrow();
        assertAllPass(dockerChecks(ansible, plan, "socket-fixed"), daemon, socket, nvidia, access);

        // The executor without the docker group (a drop-in clears the unit's SupplementaryGroups).
        String dropIn = "/etc/systemd/system/basilica-executor.service.d/no-docker-group.conf";
        host.ssh("mkdir -p " + Path.of(dropIn).getParent() + " && printf '[Service]\\nSupplementaryGroups=\\n' > " + dropIn
                + " && systemctl daemon-reload && systemctl restart basilica-executor.service").orThrow();
        Map<String, Check> noGroup = dockerChecks(ansible, plan, "executor-no-group");
        assertFailed(noGroup, access, "the running executor cannot reach Docker: [Errno 13] Permission denied",
                "the running executor is not in the socket's group docker");
        assertEquals(Status.PASS, noGroup.get(socket).status());
        host.ssh("rm " + dropIn + " && systemctl daemon-reload && systemctl restart basilica-executor.service").orThrow();
        assertAllPass(dockerChecks(ansible, plan, "executor-group-back"), daemon, socket, nvidia, access);

        // The NVIDIA runtime taken out of daemon.json and Docker restarted; the docker role (what the fix's
        // `provision servers` runs) puts it back.
        host.ssh("python3 -c \"import json; p='/etc/docker/daemon.json'; d=json.load(open(p)); d['runtimes'].pop('nvidia');"
                + " d.pop('default-runtime', None) if d.get('default-runtime') == 'nvidia' else None; json.dump(d, open(p, 'w'))\""
                + " && systemctl restart docker.service").orThrow();
        Map<String, Check> noNvidia = dockerChecks(ansible, plan, "no-nvidia-runtime");
        assertFailed(noNvidia, nvidia, "Docker has no nvidia runtime", "basilica provision servers --env execdocker --limit " + HOST);
        assertEquals(Status.PASS, noNvidia.get(daemon).status());
        assertEquals(Status.PASS, noNvidia.get(access).status());
        DockerRoleConvergeIT.playbook(ansible, "servers.yml", "--tags", "docker").assertOk();
        assertAllPass(dockerChecks(ansible, plan, "nvidia-back"), daemon, socket, nvidia, access);

        // Docker stopped (docker.socket left listening; the executor stops with it, Requires=docker.service): the daemon
        // check fails, the others say why they were not tried, and collecting did not start Docker through its socket.
        host.ssh("systemctl stop docker.service").orThrow();
        Map<String, Check> stopped = dockerChecks(ansible, plan, "docker-stopped");
        assertFailed(stopped, daemon, "docker.service is inactive, not active", "systemctl enable --now docker.service");
        assertEquals(Status.SKIP, stopped.get(nvidia).status(), stopped.get(nvidia).toString());
        assertEquals(Status.SKIP, stopped.get(access).status(), stopped.get(access).toString());
        assertEquals("inactive", host.ssh("systemctl is-active docker.service").stdout().strip(), "validate left Docker stopped");
        assertTrue(stopped.get(daemon).remediation().contains("basilica manage start executor --env execdocker --limit " + HOST),
                stopped.get(daemon).remediation());
        host.ssh("systemctl enable --now docker.service").orThrow();
        DockerRoleConvergeIT.playbook(ansible, "start.yml", "--tags", "executor").assertOk();
        assertAllPass(dockerChecks(ansible, plan, "docker-started"), daemon, socket, nvidia, access);
    }

    private static Map<String, Check> dockerChecks(Path ansible, Fleet plan, String label) throws Exception {
        Map<String, Check> byId = new TreeMap<>(DockerRoleConvergeIT.validated(ansible, plan,
                Path.of("target/execdocker-collect/" + label + ".json")));
        byId.keySet().removeIf(id -> !id.startsWith("docker."));
        System.out.println("execdocker: validate " + label + ": " + byId.values().stream().map(c -> c.id() + "=" + c.status()).toList());
        return byId;
    }

    private static void assertFailed(Map<String, Check> byId, String id, String title, String fix) {
        Check c = byId.get(id);
        assertEquals(Status.FAIL, c.status(), c.toString());
        assertTrue(c.title().startsWith(title), c.title());
        assertTrue(c.remediation().contains(fix), c.remediation());
    }

    private static void assertAllPass(Map<String, Check> byId, String... ids) {
        for (String id : ids) assertEquals(Status.PASS, byId.get(id).status(), byId.get(id).toString());
    }

    /** The stand-in executor binary, an artifact file as an operator's model would name one. */
    private Path standIn() throws Exception {
        Path bin = Files.createDirectories(work.resolve("bin")).resolve("executor");
        try (InputStream in = ExecutorDockerIT.class.getResourceAsStream("/standins/basilica-standin.py")) {
            Files.write(bin, in.readAllBytes());
        }
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static String model(DockerFleet fleet, Path executor) {
        DockerHost host = fleet.host(HOST);
        return model(host.address(), host.privateKey().toString(), fleet.repositoryUrl().toString(), executor, true);
    }

    /**
     * The test's model; also DockerChecksTest's, with fixed values, for the fixtures captured here ({@code gpus} false:
     * the same host without GPUs in the model).
     */
    public static String model(String address, String key, String repositoryUrl, Path executor, boolean gpus) {
        return String.join("\n",
                "apiVersion: basilica.dev/v1alpha1",
                "kind: Environment",
                "name: execdocker",
                "tier: staging",
                "chain: { network: test, netuid: 387 }",
                "hosts:",
                // The miner only because an executor needs one; only the executor's phases run here.
                "  - { name: " + HOST + ", address: " + address + ", roles: [miner, executor], ssh: { user: root, key: " + key
                        + " }" + (gpus ? ", gpus: [{ model: H100, count: 1 }]" : "") + " }",
                "services: { validator: { enabled: false }, miner: { jwt_secret: { env: DOCKERROLE_MINER_JWT_SECRET } } }",
                "wallets:",
                "  miner: { name: execdocker_miner, hotkey_file: { file: /nonexistent/hotkey }, hotkey_ss58: " + MINER_SS58 + " }",
                "artifacts:",
                "  miner: { file: /nonexistent/miner }",
                "  executor: { file: " + executor + " }",
                "packages:",
                "  apt_mirror: { url: \"" + repositoryUrl + "\", suites: [\"./\"], trusted: true }",
                "  docker_source: debian",
                "  docker_storage_driver: vfs",
                "  install_nvidia_driver: false",
                "monitoring: { enabled: false }",
                "firewall: { enabled: false }",
                "");
    }
}
