package dev.basilica.emit.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.livecheck.LiveChecks;
import dev.basilica.plan.Fleet;
import dev.basilica.report.Check;
import dev.basilica.support.AnsibleRun;
import dev.basilica.support.GeneratedOut;
import dev.basilica.support.Tools;
import dev.basilica.testfleet.DockerFleet;
import dev.basilica.testfleet.DockerFleets;
import dev.basilica.testfleet.DockerHost;
import dev.basilica.testfleet.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated {@code docker} role converged for real on two Docker test fleet hosts (systemd in a
 * container, where a dockerd can run containers, unlike the nspawn hosts): a GPU-modelled executor and
 * one without GPUs. Docker comes from the model's apt mirror, the test fleet's local repository. There is
 * no GPU and no NVIDIA toolkit package here: a stand-in {@code nvidia-container-runtime} (records its
 * arguments, then runs runc) is installed on the GPU executor before the converge, so Docker lists the
 * runtime the role registers, and only the base and docker roles run ({@code servers.yml --tags
 * base,docker}); the toolkit role writes no daemon.json in any case.
 *
 * <p>Asserted: docker.io from the local repository; the one daemon.json, exactly the model's options
 * (log and storage driver, live-restore) plus the NVIDIA runtime on the GPU executor alone; dockerd
 * active with those settings; a re-converge changes nothing (daemon.json untouched); a changed log driver
 * in the model restarts dockerd exactly once on each host; a container from a locally imported image runs
 * under both runtimes. Skipped, with the reason, where no Docker daemon is reachable.
 */
@Tag("docker")
@Tag("integration")
class DockerRoleConvergeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The development key "Bob": a valid SS58 address for the miner's hotkey. */
    private static final String MINER_SS58 = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
    private static final String GPU = "gpu-executor";
    private static final String PLAIN = "executor";
    private static final String RUNTIME_LOG = "/var/log/nvidia-runtime-standin.log";
    private static final String DOCKER_STARTS = "journalctl -o cat -u docker.service | grep -c 'Started docker.service\\|Started Docker Application Container Engine' || true";

    /** A one-binary image (echo and the libraries it loads), imported on the host: nothing is pulled. */
    static final String IMPORT_IMAGE = "set -e; d=$(mktemp -d); mkdir -p $d/bin; cp /usr/bin/echo $d/bin/;"
            + " for l in $(ldd /usr/bin/echo | grep -o '/[^ ]*'); do mkdir -p $d$(dirname $l); cp -L $l $d$l; done;"
            + " tar -C $d -c . | docker import - standin:1 >/dev/null; rm -rf $d";

    @TempDir
    Path work;

    @Test
    void dockerConvergesFromTheMirrorWithOneDaemonJsonAndRestartsOncePerChange() throws Exception {
        long started = System.nanoTime();
        try (DockerFleet fleet = DockerFleets.bootOrSkip(GPU, PLAIN)) {
            DockerHost gpu = fleet.host(GPU);
            DockerHost plain = fleet.host(PLAIN);
            // The stand-in runtime, where the toolkit would put nvidia-container-runtime.
            gpu.ssh("cat > /usr/bin/nvidia-container-runtime <<'EOF'\n#!/bin/sh\necho \"$*\" >> " + RUNTIME_LOG
                    + "\nexec runc \"$@\"\nEOF\nchmod 0755 /usr/bin/nvidia-container-runtime").orThrow();

            Path project = work.resolve("project");
            Path out = project.resolve("out/dockerrole");
            Files.createDirectories(project.resolve("environments"));
            Path model = project.resolve("environments/dockerrole.yaml");
            Files.writeString(model, model(fleet, "journald"));
            GeneratedOut.write(model, "environments/dockerrole.yaml", out);
            Path ansible = out.resolve("ansible");

            playbook(ansible, "known-hosts.yml").assertOk();
            AnsibleRun first = playbook(ansible, "servers.yml", "--tags", "base,docker");
            if (first.failures() > 0) {
                for (DockerHost h : List.of(gpu, plain)) {
                    System.out.println("dockerrole: " + h.name() + ":\n"
                            + h.ssh("journalctl -o cat -u docker.service -u containerd.service --no-pager | tail -n 40; cat /etc/docker/daemon.json").stdout());
                }
            }
            first.assertOk();
            System.out.printf("dockerrole: fleet up and first converge after %d s%n", (System.nanoTime() - started) / 1_000_000_000);

            for (DockerHost h : List.of(gpu, plain)) {
                String policy = h.ssh("apt-cache policy docker.io").orThrow().stdout();
                assertTrue(policy.contains("***") && policy.contains(fleet.repositoryUrl().toString().replaceAll("/$", "")),
                        h.name() + ": docker.io installed from the local repository:\n" + policy);
                assertEquals("active", h.ssh("systemctl is-active docker.service").stdout().strip(), "dockerd on " + h.name());
            }
            assertTrue(fleet.repositoryRequests().stream().anyMatch(r -> r.path().contains("docker.io_") && r.status() == 200),
                    "docker.io's .deb came from the local repository");

            Map<String, Object> expected = new TreeMap<>(Map.of("live-restore", true, "log-driver", "journald", "storage-driver", "vfs"));
            assertEquals(expected, daemonJson(plain), "daemon.json on the executor without GPUs");
            Map<String, Object> withNvidia = new TreeMap<>(expected);
            withNvidia.put("runtimes", Map.of("nvidia", Map.of("path", "nvidia-container-runtime", "runtimeArgs", List.of())));
            assertEquals(withNvidia, daemonJson(gpu), "daemon.json on the GPU executor");
            assertEquals(List.of("/etc/docker/daemon.json"), daemonJsonFiles(gpu), "one daemon.json on " + GPU);

            String gpuInfo = gpu.ssh("docker info").orThrow().stdout();
            assertTrue(gpuInfo.lines().anyMatch(l -> l.strip().startsWith("Runtimes:") && l.contains("nvidia")), gpuInfo);
            assertTrue(gpuInfo.contains("Storage Driver: vfs") && gpuInfo.contains("Logging Driver: journald"), gpuInfo);
            String plainInfo = plain.ssh("docker info").orThrow().stdout();
            assertFalse(plainInfo.lines().anyMatch(l -> l.strip().startsWith("Runtimes:") && l.contains("nvidia")), plainInfo);

            // A re-converge changes nothing and leaves daemon.json alone.
            String stamp = gpu.ssh("stat -c %Y.%i /etc/docker/daemon.json").orThrow().stdout();
            AnsibleRun again = playbook(ansible, "servers.yml", "--tags", "base,docker");
            again.assertOk();
            assertEquals(Map.of(GPU, 0, PLAIN, 0), again.changedByHost(), "re-converge must change nothing:\n" + again.changedTasks());
            assertEquals(stamp, gpu.ssh("stat -c %Y.%i /etc/docker/daemon.json").orThrow().stdout(), "daemon.json untouched");

            // A daemon option changed in the model: one restart of dockerd per host, the new driver in effect.
            int gpuStarts = starts(gpu);
            int plainStarts = starts(plain);
            Files.writeString(model, model(fleet, "local"));
            GeneratedOut.write(model, "environments/dockerrole.yaml", out);
            AnsibleRun changed = playbook(ansible, "servers.yml", "--tags", "base,docker");
            changed.assertOk();
            assertEquals(1, starts(gpu) - gpuStarts, "dockerd started exactly once on " + GPU);
            assertEquals(1, starts(plain) - plainStarts, "dockerd started exactly once on " + PLAIN);
            assertEquals("local", daemonJson(gpu).get("log-driver"));
            assertTrue(gpu.ssh("docker info").orThrow().stdout().contains("Logging Driver: local"));
            AnsibleRun settled = playbook(ansible, "servers.yml", "--tags", "base,docker");
            settled.assertOk();
            assertEquals(Map.of(GPU, 0, PLAIN, 0), settled.changedByHost(), settled.changedTasks());

            // The nested dockerd runs containers from an image imported on the host (nothing is pulled).
            for (DockerHost h : List.of(gpu, plain)) {
                h.ssh(IMPORT_IMAGE).orThrow();
                assertEquals("ran", h.ssh("docker run --rm --network none standin:1 /bin/echo ran").orThrow().stdout().strip(),
                        "a container on " + h.name());
            }
            long recorded = gpu.ssh("cat " + RUNTIME_LOG + " 2>/dev/null").stdout().lines().count();
            assertEquals("ran", gpu.ssh("docker run --rm --network none --runtime nvidia standin:1 /bin/echo ran")
                    .orThrow().stdout().strip(), "a container under the NVIDIA runtime");
            String calls = gpu.ssh("cat " + RUNTIME_LOG).orThrow().stdout();
            assertTrue(calls.lines().count() > recorded && calls.contains("create"), "the stand-in runtime ran the container:\n" + calls);
            System.out.printf("dockerrole: done after %d s%n", (System.nanoTime() - started) / 1_000_000_000);
        }
    }

    private static String model(DockerFleet fleet, String logDriver) {
        DockerHost any = fleet.host(GPU);
        String key = any.privateKey().toString();
        return String.join("\n",
                "apiVersion: basilica.dev/v1alpha1",
                "kind: Environment",
                "name: dockerrole",
                "tier: staging",
                "chain: { network: test, netuid: 387 }",
                "hosts:",
                "  - { name: " + GPU + ", address: " + fleet.host(GPU).address() + ", roles: [executor], ssh: { user: root, key: " + key
                        + " }, gpus: [{ model: H100, count: 1 }] }",
                // The miner only because an executor needs one; its configuration is never converged here.
                "  - { name: " + PLAIN + ", address: " + fleet.host(PLAIN).address() + ", roles: [miner, executor], ssh: { user: root, key: "
                        + key + " } }",
                "services: { validator: { enabled: false }, miner: { jwt_secret: { env: DOCKERROLE_MINER_JWT_SECRET } } }",
                "wallets:",
                "  miner: { name: dockerrole_miner, hotkey_file: { file: /nonexistent/hotkey }, hotkey_ss58: " + MINER_SS58 + " }",
                "artifacts:",
                "  miner: { file: /nonexistent/miner }",
                "  executor: { file: /nonexistent/executor }",
                "packages:",
                "  apt_mirror: { url: \"" + fleet.repositoryUrl() + "\", suites: [\"./\"], trusted: true }",
                "  docker_source: debian",
                "  docker_log_driver: " + logDriver,
                "  docker_storage_driver: vfs",
                "  install_nvidia_driver: false",
                "monitoring: { enabled: false }",
                "firewall: { enabled: false }",
                "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> daemonJson(DockerHost h) throws IOException {
        return new TreeMap<>(JSON.readValue(h.ssh("cat /etc/docker/daemon.json").orThrow().stdout(), Map.class));
    }

    /** Every daemon.json on the host outside Docker's data, so a second writer would show. */
    private static List<String> daemonJsonFiles(DockerHost h) throws IOException {
        Exec.Result r = h.ssh("find / -xdev -name daemon.json -not -path '/var/lib/docker/*' -not -path '/proc/*' 2>/dev/null | sort");
        return r.stdout().lines().toList();
    }

    private static int starts(DockerHost h) throws IOException {
        return Integer.parseInt(h.ssh(DOCKER_STARTS).stdout().strip());
    }

    /**
     * The checks of {@code basilica validate} on the fleet, by id: the generated {@code collect.yml} run for real and its
     * output evaluated as validate evaluates it. The output is also saved to {@code saveAs} when that is not null.
     */
    static Map<String, Check> validated(Path ansible, Fleet plan, Path saveAs) throws Exception {
        AnsibleRun run = playbook(ansible, "collect.yml");
        run.assertOk();
        if (saveAs != null) {
            Files.createDirectories(saveAs.getParent());
            Files.writeString(saveAs, run.result().stdout());
        }
        Map<String, Check> byId = new TreeMap<>();
        for (Check c : LiveChecks.evaluate(plan, run.result().stdout(), run.result().stderr(), Set.of(), Duration.ofSeconds(5))) {
            byId.put(c.id(), c);
        }
        return byId;
    }

    /** A playbook run with the JSON callback, as the Docker converge tests run them (the miner's secret set, unused). */
    static AnsibleRun playbook(Path ansible, String playbook, String... args) throws IOException {
        return AnsibleRun.run(ansible, Map.of("DOCKERROLE_MINER_JWT_SECRET", "not-used-here"), Duration.ofMinutes(15), playbook, args);
    }
}
