package dev.basilica.livecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.emit.ansible.ExecutorDockerIT;
import dev.basilica.model.ModelLoader;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The {@code docker.*} checks on real output of {@code collect.yml}, captured by ExecutorDockerIT on its converged,
 * GPU-modelled executor (Debian's docker.io 20.10 in a systemd-booted test host, the stand-in executor running under its
 * generated unit, a stand-in {@code nvidia-container-runtime}): as converged, with the socket chmod 0600, with the
 * executor restarted without its docker group, with the nvidia runtime taken out of daemon.json, and with
 * docker.service stopped. src/test/resources/validate/PROVENANCE.md says how.
 */
class DockerChecksTest {

    private static final String HOST = "gpu-executor";

    /** The model ExecutorDockerIT generated from, with its address, key and paths fixed (the checks read none of them). */
    static Fleet execdocker(boolean gpus) throws Exception {
        String text = ExecutorDockerIT.model("10.0.0.2", "/nonexistent/key", "http://10.0.0.1/", Path.of("/nonexistent/executor"), gpus);
        return FleetPlanner.plan(ModelLoader.parse(text, "environments/execdocker.yaml"));
    }

    static Map<String, Check> docker(String fixture, Fleet fleet) throws Exception {
        Map<String, Check> byId = new TreeMap<>();
        for (Check c : LiveChecks.evaluate(fleet, HostChecksTest.fixture(fixture), "", Set.of(), Duration.ofSeconds(5))) {
            if (c.id().startsWith("docker.")) byId.put(c.id(), c);
        }
        return byId;
    }

    private static Check check(Map<String, Check> byId, String what) {
        return byId.get("docker." + HOST + "." + what);
    }

    @Test
    void readsWhatTheTaskPrinted() throws Exception {
        HostFacts f = HostFacts.parse(HostChecksTest.fixture("collect-docker-healthy.json"), "collect.json").get(HOST);
        DockerChecks.DockerState s = DockerChecks.DockerState.of(f.docker());
        assertTrue(s.active());
        assertEquals("active", s.get("socket-unit"));
        assertEquals(List.of("root", "docker"), List.of(s.socket()).subList(0, 2));
        assertEquals("660", s.socket()[3]);
        assertTrue(s.get("runtimes").contains("\"nvidia\""), s.get("runtimes"));
        assertTrue(s.executorPid() > 0);
        assertTrue(s.executorGroups().contains(s.socket()[2]), "the executor's groups hold the socket's gid: " + s.values());
    }

    @Test
    void asConvergedEveryDockerCheckPasses() throws Exception {
        Map<String, Check> byId = docker("collect-docker-healthy.json", execdocker(true));
        assertEquals(List.of("daemon", "executor-access", "nvidia-runtime", "socket"),
                byId.keySet().stream().map(id -> id.substring(("docker." + HOST + ".").length())).toList());
        byId.values().forEach(c -> assertEquals(Status.PASS, c.status(), c.toString()));
        assertEquals("docker.service is active", check(byId, "daemon").title());
        assertEquals(Category.SERVICES, check(byId, "daemon").category());
        assertEquals(Category.SECURITY, check(byId, "socket").category());
        assertEquals("Docker has the nvidia runtime (nvidia-container-runtime)", check(byId, "nvidia-runtime").title());
        Check access = check(byId, "executor-access");
        assertEquals("the running executor reaches Docker (/var/run/docker.sock)", access.title());
        assertTrue(access.evidence().get(2).endsWith("HTTP/1.0 200 OK"), access.evidence().toString());
    }

    @Test
    void withoutGpusInTheModelThereIsNoNvidiaRuntimeCheck() throws Exception {
        Map<String, Check> byId = docker("collect-docker-no-nvidia-runtime.json", execdocker(false));
        assertEquals(null, check(byId, "nvidia-runtime"));
        byId.values().forEach(c -> assertEquals(Status.PASS, c.status(), c.toString()));
    }

    @Test
    void aSocketClosedToItsGroupFailsTheSocketAndTheExecutorsReach() throws Exception {
        Map<String, Check> byId = docker("collect-docker-socket-0600.json", execdocker(true));
        Check socket = check(byId, "socket");
        assertEquals(Status.FAIL, socket.status());
        assertEquals("/var/run/docker.sock is root:docker 0600, not root:docker 0660", socket.title());
        assertTrue(socket.remediation().startsWith("on " + HOST + ": chown root:docker /var/run/docker.sock && chmod 0660 /var/run/docker.sock"),
                socket.remediation());
        Check access = check(byId, "executor-access");
        assertEquals(Status.FAIL, access.status());
        assertEquals("the running executor cannot reach Docker: [Errno 13] Permission denied", access.title());
        assertTrue(access.remediation().contains("the socket's owner or mode is wrong"), access.remediation());
        assertEquals(Status.PASS, check(byId, "daemon").status());
        assertEquals(Status.PASS, check(byId, "nvidia-runtime").status());
    }

    @Test
    void anExecutorWithoutTheDockerGroupIsToldToReinstallItsUnit() throws Exception {
        Map<String, Check> byId = docker("collect-docker-executor-no-group.json", execdocker(true));
        Check access = check(byId, "executor-access");
        assertEquals(Status.FAIL, access.status());
        assertEquals("the running executor cannot reach Docker: [Errno 13] Permission denied", access.title());
        // The kernel lists the primary group among them too: 1000 (executor), and no 996 (docker).
        assertTrue(access.evidence().get(0).endsWith("gid 1000, supplementary groups 1000"), access.evidence().toString());
        assertTrue(access.evidence().get(1).contains("root:docker (gid 996) 0660"), access.evidence().toString());
        assertTrue(access.remediation().startsWith("the running executor is not in the socket's group docker"), access.remediation());
        assertTrue(access.remediation().contains("basilica manage restart executor --env execdocker --limit " + HOST), access.remediation());
        assertEquals(Status.PASS, check(byId, "socket").status());
    }

    @Test
    void aMissingNvidiaRuntimeNamesWhatDockerHasAndTheServerSetup() throws Exception {
        Map<String, Check> byId = docker("collect-docker-no-nvidia-runtime.json", execdocker(true));
        Check nvidia = check(byId, "nvidia-runtime");
        assertEquals(Status.FAIL, nvidia.status());
        assertTrue(nvidia.title().startsWith("Docker has no nvidia runtime (it has "), nvidia.title());
        assertTrue(nvidia.title().contains("runc"), nvidia.title());
        assertTrue(nvidia.evidence().get(1).contains("hosts[].gpus"), nvidia.evidence().toString());
        assertTrue(nvidia.remediation().contains("basilica provision servers --env execdocker --limit " + HOST), nvidia.remediation());
        assertEquals(Status.PASS, check(byId, "executor-access").status());
    }

    @Test
    void aStoppedDaemonFailsOnceAndTheOthersSayWhyTheyWereNotTried() throws Exception {
        Map<String, Check> byId = docker("collect-docker-stopped.json", execdocker(true));
        Check daemon = check(byId, "daemon");
        assertEquals(Status.FAIL, daemon.status());
        assertEquals("docker.service is inactive, not active", daemon.title());
        assertTrue(daemon.evidence().get(0).endsWith("docker.socket: active"), daemon.evidence().toString());
        assertTrue(daemon.remediation().contains("systemctl enable --now docker.service"), daemon.remediation());
        assertEquals(Status.SKIP, check(byId, "nvidia-runtime").status());
        assertEquals(Status.SKIP, check(byId, "executor-access").status());
        assertEquals(Status.PASS, check(byId, "socket").status(), "docker.socket still holds it");
    }

    @Test
    void hostsWithoutDockerInThePlanGetNoDockerChecks() throws Exception {
        // The development model's dev-local runs an executor with Docker; the converge fleet installs none.
        assertTrue(LiveChecks.evaluate(HostChecksTest.converge(), HostChecksTest.fixture("collect-fleet-broken.json"), "", Set.of(),
                Duration.ofMillis(500)).stream().noneMatch(c -> c.id().startsWith("docker.")));
    }
}
