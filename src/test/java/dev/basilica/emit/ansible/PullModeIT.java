package dev.basilica.emit.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.livecheck.LiveChecks;
import dev.basilica.model.ModelLoader;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.support.AnsibleRun;
import dev.basilica.support.GeneratedOut;
import dev.basilica.support.Tools;
import dev.basilica.testfleet.DockerFleet;
import dev.basilica.testfleet.DockerFleets;
import dev.basilica.testfleet.DockerHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.utility.MountableFile;

/**
 * Pull mode converged for real on two Docker test fleet hosts (a miner with an executor, and an executor). The
 * test is the publisher: the project (model plus generated tree) is a git repository pushed to a bare repository
 * that {@code git daemon} serves on the Docker network's gateway, the one address of this machine the hosts reach
 * (as they reach the apt repository); git:// because it is git's own read-only server, needs no web server, and
 * a host fetches over the network as it would from a real remote (a bind-mounted file:// repository would not
 * show that). First contact is by push (known hosts, servers.yml, configure.yml with the secrets), then
 * pull-bootstrap.yml once per host; every later run is the host's own {@code basilica-pull.service}.
 *
 * <p>The hosts have no route to Debian's archive and the test fleet's repository has no Ansible, so the
 * controller's own ansible-core (and its Python libraries and the ansible.posix collection, from the same
 * Debian release) is copied onto each host before the bootstrap, which then installs only git from the mirror
 * ({@code basilica_pull_packages: [git]}); a real host gets Debian's {@code ansible} package.
 *
 * <p>Asserted: the bootstrap installs and starts the generated timer; a pull run restores a deleted config
 * (changed &gt; 0) and a second one changes nothing; the pull never touches the secrets file the push wrote;
 * last-run.json names the published revision; a model change committed and pushed to the served repository
 * (the executor's log level) reaches both hosts on their next pull; basilica's live checks read the runs through
 * collect.yml ({@code pull.HOST.last-run} passes with the new revision). Printed: the controller's CPU time for
 * push runs of 1 and 2 hosts and for the bootstrap of each host (docs/performance.md, "Beyond one controller").
 */
@Tag("docker")
@Tag("integration")
class PullModeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MINER_SS58 = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
    private static final String A = "pull-a";
    private static final String B = "pull-b";
    private static final String ENV = "pullmode";
    private static final String SECRET_ENV = "PULLMODE_MINER_JWT_SECRET";
    /** The controller's Ansible and the Python libraries it needs that the test hosts lack (Debian bookworm both). */
    private static final List<String> ANSIBLE_PACKAGES = List.of("ansible-core", "python3-jinja2", "python3-markupsafe",
            "python3-yaml", "libyaml-0-2", "python3-packaging", "python3-resolvelib", "python3-cryptography",
            "python3-cffi-backend", "python3-distutils", "python3-lib2to3");
    private static final String POSIX_COLLECTION = "/usr/lib/python3/dist-packages/ansible_collections/ansible/posix";

    @TempDir
    Path work;

    @Test
    void hostsConvergeThemselvesFromThePublishedTreeAndTheControllerPaysOnlyTheBootstrap() throws Exception {
        DockerFleets.assumeAvailable();
        Tools.assume("git", "git");
        Assumptions.assumeTrue(Files.isDirectory(Path.of(POSIX_COLLECTION)), "the ansible.posix collection (Debian package ansible)");
        long started = System.nanoTime();
        Map<String, Double> cpu = new LinkedHashMap<>();
        try (DockerFleet fleet = DockerFleets.bootOrSkip(A, B)) {
            Path tar = controllerAnsible();
            for (DockerHost h : fleet.hosts()) {
                h.container().copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/controller-ansible.tar");
                h.ssh("tar -C / -xf /tmp/controller-ansible.tar && rm /tmp/controller-ansible.tar && ansible-pull --version | head -n 1").orThrow();
            }

            // The publisher: project repository, bare repository, git daemon on the gateway.
            Path project = Files.createDirectories(work.resolve("project"));
            Path served = Files.createDirectories(work.resolve("served"));
            Path hotkey = Files.writeString(work.resolve("hotkey"), "{\"secretPhrase\": \"not a real key\"}\n");
            git(work, "init", "-q", "--bare", "-b", "main", served.resolve("fleet.git").toString());
            git(project, "init", "-q", "-b", "main");
            int port = freePort(fleet.gatewayAddress());
            String url = "git://" + fleet.gatewayAddress() + ":" + port + "/fleet.git";
            Path model = Files.createDirectories(project.resolve("environments")).resolve(ENV + ".yaml");
            Path out = project.resolve("out/" + ENV);
            Path ansible = out.resolve("ansible");
            Files.writeString(model, model(fleet, url, hotkey, "debug"));
            GeneratedOut.write(model, "environments/" + ENV + ".yaml", out);
            String first = publish(project, served, "first model", cpu, "publish: commit and push (controller)");
            Process daemon = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--informative-errors",
                    "--base-path=" + served, "--listen=" + fleet.gatewayAddress(), "--port=" + port)
                    .redirectErrorStream(true).redirectOutput(work.resolve("git-daemon.log").toFile()).start();
            try {
                awaitListening(fleet.gatewayAddress(), port, daemon);

                // First contact by push: host keys, server setup, configuration with the secrets.
                run(ansible, "known-hosts.yml").assertOk();
                for (String h : List.of(A, B)) {
                    cpu.put("push servers.yml, first contact, --limit " + h, timed(ansible, "servers.yml", "--limit", h).assertOk());
                }
                timed(ansible, "configure.yml").assertOk();
                String secrets = A + ":/etc/basilica/miner.env";
                String secretDigest = fleet.host(A).ssh("sha256sum /etc/basilica/miner.env").orThrow().stdout();
                assertTrue(fleet.host(A).ssh("cat /etc/basilica/miner.env").orThrow().stdout().contains("BASILCA_SECURITY__JWT_SECRET="),
                        "the push wrote the miner's secret");

                // Pull mode: the bootstrap, once per host.
                for (String h : List.of(A, B)) {
                    cpu.put("push pull-bootstrap.yml --limit " + h,
                            timed(ansible, "pull-bootstrap.yml", "--limit", h, "-e", "{\"basilica_pull_packages\": [\"git\"]}").assertOk());
                }
                for (DockerHost h : fleet.hosts()) {
                    assertEquals("enabled active", h.ssh("echo $(systemctl is-enabled basilica-pull.timer) $(systemctl is-active basilica-pull.timer)")
                            .stdout().strip(), "the pull timer on " + h.name());
                    assertEquals(Files.readString(out.resolve("systemd/basilica-pull.service")),
                            h.ssh("cat /etc/systemd/system/basilica-pull.service").orThrow().stdout(), "the generated unit on " + h.name());
                }

                // Drift on B; the hosts' own runs repair it, then change nothing.
                fleet.host(B).ssh("rm /etc/basilica/executor.toml").orThrow();
                Map<String, JsonNode> pulled = pull(fleet);
                assertEquals(first, pulled.get(A).path("revision").asText(), "the published revision on " + A);
                assertTrue(pulled.get(B).path("stats").path("changed").asInt() > 0, "the pull restored B's config: " + pulled.get(B));
                assertEquals(Files.readString(out.resolve("configs/" + B + "/executor.toml")),
                        fleet.host(B).ssh("cat /etc/basilica/executor.toml").orThrow().stdout(), "B's config is the generated one again");
                Map<String, JsonNode> again = pull(fleet);
                for (String h : List.of(A, B)) {
                    assertEquals(0, again.get(h).path("stats").path("changed").asInt(-1), "a second pull on " + h + " changes nothing: " + again.get(h));
                }
                assertEquals(secretDigest, fleet.host(A).ssh("sha256sum /etc/basilica/miner.env").orThrow().stdout(),
                        secrets + " is as the push wrote it");

                // A change published by commit and push reaches both hosts on their next run; the controller runs no playbook.
                Files.writeString(model, model(fleet, url, hotkey, "warn"));
                GeneratedOut.write(model, "environments/" + ENV + ".yaml", out);
                String second = publish(project, served, "executor log level warn", cpu, "publish: commit and push (controller)");
                Map<String, JsonNode> changed = pull(fleet);
                for (DockerHost h : fleet.hosts()) {
                    assertEquals(second, changed.get(h.name()).path("revision").asText(), "the new revision on " + h.name());
                    assertTrue(h.ssh("cat /etc/systemd/system/basilica-executor.service").orThrow().stdout().contains("Environment=RUST_LOG=warn"),
                            "the changed unit on " + h.name());
                    assertTrue(changed.get(h.name()).path("stats").path("changed").asInt() > 0, changed.get(h.name()).toString());
                }
                Map<String, JsonNode> settled = pull(fleet);
                for (String h : List.of(A, B)) {
                    assertEquals(0, settled.get(h).path("stats").path("changed").asInt(-1), settled.get(h).toString());
                }
                assertEquals(4, Integer.parseInt(fleet.host(A).ssh("ls /var/lib/basilica/pull/runs | wc -l").orThrow().stdout().strip()),
                        "every run kept (keep_runs 5)");

                // basilica's live checks read the runs through collect.yml.
                AnsibleRun collect = run(ansible, "collect.yml");
                collect.assertOk();
                var fleetPlan = FleetPlanner.plan(ModelLoader.load(model, "environments/" + ENV + ".yaml"));
                Map<String, Check> checks = new LinkedHashMap<>();
                for (Check c : LiveChecks.evaluate(fleetPlan, null, collect.result().stdout(), collect.result().stderr(), Set.of(),
                        Duration.ofSeconds(5))) {
                    if (c.id().startsWith("pull.")) checks.put(c.id(), c);
                }
                for (String h : List.of(A, B)) {
                    Check c = checks.get("pull." + h + ".last-run");
                    assertTrue(c != null && c.status() == Status.PASS, "pull." + h + ".last-run: " + c);
                    assertTrue(c.evidence().get(0).contains(second.substring(0, 12)) && c.title().contains("changed=0"), c.toString());
                }

                // The same change by push, for comparison: the controller's CPU for 1 and 2 hosts (steady state).
                cpu.put("push configure.yml --limit " + A + " (no change)", timed(ansible, "configure.yml", "--limit", A).assertOk());
                cpu.put("push configure.yml, 2 hosts (no change)", timed(ansible, "configure.yml").assertOk());
                Files.writeString(model, model(fleet, url, hotkey, "info"));
                GeneratedOut.write(model, "environments/" + ENV + ".yaml", out);
                cpu.put("push configure.yml --limit " + A + " (log level changed)", timed(ansible, "configure.yml", "--limit", A).assertOk());
                Files.writeString(model, model(fleet, url, hotkey, "error"));
                GeneratedOut.write(model, "environments/" + ENV + ".yaml", out);
                cpu.put("push configure.yml, 2 hosts (log level changed)", timed(ansible, "configure.yml").assertOk());
            } finally {
                daemon.destroy();
                daemon.waitFor();
            }
            System.out.println("pullmode: controller CPU (user+sys of the command and its children), 2 Docker hosts, "
                    + Runtime.getRuntime().availableProcessors() + " CPUs:");
            cpu.forEach((what, secs) -> System.out.printf("pullmode:   %-60s %6.2f s%n", what, secs));
            System.out.printf("pullmode: done after %d s%n", (System.nanoTime() - started) / 1_000_000_000);
        }
    }

    private static String model(DockerFleet fleet, String url, Path hotkey, String executorLogLevel) {
        String key = fleet.host(A).privateKey().toString();
        return String.join("\n",
                "apiVersion: basilica.dev/v1alpha1",
                "kind: Environment",
                "name: " + ENV,
                "tier: staging",
                "chain: { network: test, netuid: 387 }",
                "hosts:",
                "  - { name: " + A + ", address: " + fleet.host(A).address() + ", roles: [miner, executor], ssh: { user: root, key: " + key + " } }",
                "  - { name: " + B + ", address: " + fleet.host(B).address() + ", roles: [executor], miner: " + A
                        + ", ssh: { user: root, key: " + key + " } }",
                "services:",
                "  validator: { enabled: false }",
                "  miner: { jwt_secret: { env: " + SECRET_ENV + " } }",
                "  executor: { log_level: " + executorLogLevel + " }",
                "wallets:",
                "  miner: { name: pullmode_miner, hotkey_file: { file: " + hotkey + " }, hotkey_ss58: " + MINER_SS58 + " }",
                "artifacts:",
                "  miner: { file: /nonexistent/miner }",
                "  executor: { file: /nonexistent/executor }",
                "packages:",
                "  apt_mirror: { url: \"" + fleet.repositoryUrl() + "\", suites: [\"./\"], trusted: true }",
                "  install_docker: false",
                "  install_nvidia_driver: false",
                "monitoring: { enabled: false }",
                "firewall: { enabled: false }",
                "pull:",
                "  repository: \"" + url + "\"",
                "  ref: main",
                "  interval_minutes: 60",
                "  random_delay_minutes: 0",
                "  keep_runs: 5",
                "");
    }

    /** Runs the pull service on every host (a oneshot: start returns when the run ended) and reads last-run.json. */
    private static Map<String, JsonNode> pull(DockerFleet fleet) throws IOException {
        Map<String, JsonNode> runs = new LinkedHashMap<>();
        for (DockerHost h : fleet.hosts()) {
            var started = h.ssh("systemctl start basilica-pull.service", Duration.ofMinutes(10));
            JsonNode run = JSON.readTree(h.ssh("cat /var/lib/basilica/pull/last-run.json").orThrow().stdout());
            if (started.exitCode() != 0 || run.path("exit_code").asInt(-1) != 0) {
                fail("pull on " + h.name() + " failed: " + started.stderr() + "\n" + run.toPrettyString() + "\n"
                        + h.ssh("journalctl -o cat -u basilica-pull.service --no-pager | tail -n 40").stdout());
            }
            runs.put(h.name(), run);
            // What the run cost the host instead: the wrapper's own measure (ansible-pull and its children).
            assertTrue(run.path("cpu_seconds").isNumber(), run.toString());
            System.out.printf("pullmode: pull run on %s: host CPU %.2f s, changed=%d%n", h.name(), run.path("cpu_seconds").asDouble(),
                    run.path("stats").path("changed").asInt());
        }
        return runs;
    }

    /** Commits the project and pushes it to the served repository; returns the commit. */
    private static String publish(Path project, Path served, String message, Map<String, Double> cpu, String label) throws IOException {
        Tools.Result r = Tools.run(project, Map.of(), Duration.ofMinutes(2), List.of("bash", "-c",
                "git add -A && git -c user.email=test@basilica.invalid -c user.name=test commit -q -m \"$1\" && git push -q \"$2\" main; rc=$?; times >&2; exit $rc",
                "bash", message, served.resolve("fleet.git").toString()));
        if (r.exitCode() != 0) fail("publishing failed: " + r.output());
        cpu.merge(label, childCpu(r.stderr()), Math::max);
        return git(project, "rev-parse", "HEAD").strip();
    }

    private static String git(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Tools.Result r = Tools.run(dir, Map.of(), Duration.ofMinutes(1), command);
        if (r.exitCode() != 0) fail(String.join(" ", command) + ": " + r.output());
        return r.stdout();
    }

    static AnsibleRun run(Path ansible, String playbook, String... args) throws IOException {
        return timed(ansible, playbook, args).run;
    }

    /** A playbook run with the controller's CPU time: user + system of ansible-playbook and every child it waited for. */
    record Timed(AnsibleRun run, double cpuSeconds) {
        double assertOk() {
            run.assertOk();
            return cpuSeconds;
        }
    }

    static Timed timed(Path ansible, String playbook, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "ansible-playbook \"$@\"; rc=$?; times >&2; exit $rc", "bash", playbook));
        command.addAll(List.of(args));
        Tools.Result r = Tools.run(ansible, AnsibleRun.withJsonCallback(Map.of(SECRET_ENV, "pull-mode-test-secret")),
                Duration.ofMinutes(15), command);
        return new Timed(AnsibleRun.parse(AnsibleRun.label(playbook, args), r), childCpu(r.stderr()));
    }

    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

    /** bash's {@code times}: the second line is the children's user and system time. */
    private static double childCpu(String stderr) {
        List<String> lines = stderr.strip().lines().toList();
        Matcher m = TIMES.matcher(lines.get(lines.size() - 1));
        if (!m.find()) throw new IllegalStateException("no times output in: " + stderr);
        return Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2)) + Integer.parseInt(m.group(3)) * 60 + Double.parseDouble(m.group(4));
    }

    /** The controller's Ansible as a tar of the files its Debian packages installed (see the class comment). */
    private Path controllerAnsible() throws IOException {
        Path tar = work.resolve("controller-ansible.tar");
        List<String> command = new ArrayList<>(List.of("bash", "-c",
                "set -e -o pipefail; for p in \"$@\"; do dpkg -L \"$p\" 2>/dev/null || true; done | while read -r f; do"
                        + " if [ -f \"$f\" ] || [ -L \"$f\" ]; then echo \"$f\"; fi; done > list; echo " + POSIX_COLLECTION + " >> list;"
                        + " tar -C / -cf " + tar + " -T list 2>/dev/null",
                "bash"));
        command.addAll(ANSIBLE_PACKAGES);
        Tools.Result r = Tools.run(work, Map.of(), Duration.ofMinutes(3), command);
        if (r.exitCode() != 0) fail("packing the controller's Ansible failed: " + r.output());
        return tar;
    }

    private static int freePort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(String address, int port, Process daemon) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (!daemon.isAlive()) fail("git daemon exited: " + daemon.exitValue());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        fail("git daemon is not listening on " + address + ":" + port);
    }
}
