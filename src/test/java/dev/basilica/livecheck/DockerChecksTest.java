package dev.basilica.livecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    /** How a text of a check must read. */
    enum Match {
        IS, STARTS_WITH, ENDS_WITH, CONTAINS;

        boolean test(String actual, String expected) {
            return switch (this) {
                case IS -> actual.equals(expected);
                case STARTS_WITH -> actual.startsWith(expected);
                case ENDS_WITH -> actual.endsWith(expected);
                case CONTAINS -> actual.contains(expected);
            };
        }
    }

    /** A text of one check ({@code title}, {@code remediation} or {@code evidence N}) that must match {@code text}. */
    record Says(String check, String part, Match match, String text) {
        String of(Check c) {
            if (part.startsWith("evidence ")) return c.evidence().get(Integer.parseInt(part.substring("evidence ".length())));
            return switch (part) {
                case "title" -> c.title();
                case "remediation" -> c.remediation();
                default -> throw new IllegalArgumentException(part);
            };
        }
    }

    /** One way ExecutorDockerIT broke its GPU-modelled executor: the captured collect output, each check's status, what they say. */
    record Broken(String name, String fixture, Map<String, Status> statuses, List<Says> says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Broken> broken() {
        return List.of(
                new Broken("a socket closed to its group fails the socket and the executor's reach", "collect-docker-socket-0600.json",
                        Map.of("socket", Status.FAIL, "executor-access", Status.FAIL, "daemon", Status.PASS, "nvidia-runtime", Status.PASS),
                        List.of(new Says("socket", "title", Match.IS, "/var/run/docker.sock is root:docker 0600, not root:docker 0660"),
                                new Says("socket", "remediation", Match.STARTS_WITH,
                                        "on " + HOST + ": chown root:docker /var/run/docker.sock && chmod 0660 /var/run/docker.sock"),
                                new Says("executor-access", "title", Match.IS, "the running executor cannot reach Docker: [Errno 13] Permission denied"),
                                new Says("executor-access", "remediation", Match.CONTAINS, "the socket's owner or mode is wrong"))),
                new Broken("an executor without the docker group is told to reinstall its unit", "collect-docker-executor-no-group.json",
                        Map.of("executor-access", Status.FAIL, "socket", Status.PASS),
                        List.of(new Says("executor-access", "title", Match.IS, "the running executor cannot reach Docker: [Errno 13] Permission denied"),
                                // The kernel lists the primary group among them too: 1000 (executor), and no 996 (docker).
                                new Says("executor-access", "evidence 0", Match.ENDS_WITH, "gid 1000, supplementary groups 1000"),
                                new Says("executor-access", "evidence 1", Match.CONTAINS, "root:docker (gid 996) 0660"),
                                new Says("executor-access", "remediation", Match.STARTS_WITH, "the running executor is not in the socket's group docker"),
                                new Says("executor-access", "remediation", Match.CONTAINS,
                                        "basilica manage restart executor --env execdocker --limit " + HOST))),
                new Broken("a missing nvidia runtime names what Docker has and the server setup", "collect-docker-no-nvidia-runtime.json",
                        Map.of("nvidia-runtime", Status.FAIL, "executor-access", Status.PASS),
                        List.of(new Says("nvidia-runtime", "title", Match.STARTS_WITH, "Docker has no nvidia runtime (it has "),
                                new Says("nvidia-runtime", "title", Match.CONTAINS, "runc"),
                                new Says("nvidia-runtime", "evidence 1", Match.CONTAINS, "hosts[].gpus"),
                                new Says("nvidia-runtime", "remediation", Match.CONTAINS,
                                        "basilica provision servers --env execdocker --limit " + HOST))),
                // The socket passes: docker.socket still holds it.
                new Broken("a stopped daemon fails once and the others say why they were not tried", "collect-docker-stopped.json",
                        Map.of("daemon", Status.FAIL, "nvidia-runtime", Status.SKIP, "executor-access", Status.SKIP, "socket", Status.PASS),
                        List.of(new Says("daemon", "title", Match.IS, "docker.service is inactive, not active"),
                                new Says("daemon", "evidence 0", Match.ENDS_WITH, "docker.socket: active"),
                                new Says("daemon", "remediation", Match.CONTAINS, "systemctl enable --now docker.service"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void aBrokenExecutorFailsItsChecksAndSaysWhy(Broken broken) throws Exception {
        Map<String, Check> byId = docker(broken.fixture(), execdocker(true));
        broken.statuses().forEach((what, status) -> {
            Check c = check(byId, what);
            assertNotNull(c, "docker." + HOST + "." + what + " in " + byId.keySet());
            assertEquals(status, c.status(), c.toString());
        });
        for (Says says : broken.says()) {
            Check c = check(byId, says.check());
            assertNotNull(c, "docker." + HOST + "." + says.check() + " in " + byId.keySet());
            String actual = says.of(c);
            assertTrue(says.match().test(actual, says.text()),
                    "docker." + HOST + "." + says.check() + " " + says.part() + " " + says.match() + " \"" + says.text() + "\": \"" + actual
                            + "\"\n" + c);
        }
    }

    @Test
    void hostsWithoutDockerInThePlanGetNoDockerChecks() throws Exception {
        // The development model's dev-local runs an executor with Docker; the converge fleet installs none.
        assertTrue(LiveChecks.evaluate(HostChecksTest.converge(), HostChecksTest.fixture("collect-fleet-broken.json"), "", Set.of(),
                Duration.ofMillis(500)).stream().noneMatch(c -> c.id().startsWith("docker.")));
    }
}
