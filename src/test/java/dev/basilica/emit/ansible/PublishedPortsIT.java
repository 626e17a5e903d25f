package dev.basilica.emit.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.support.AnsibleRun;
import dev.basilica.support.GeneratedOut;
import dev.basilica.testfleet.DockerFleet;
import dev.basilica.testfleet.DockerFleets;
import dev.basilica.testfleet.DockerHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ports that containers publish on a converged executor, against the firewall the model asks for
 * (ufw and the {@code DOCKER-USER} chain of the {@code firewall} role), on two Docker test fleet hosts:
 * an executor (no GPU) and its miner, which is the host the test probes from. The firewall plan opens
 * the executor's gRPC port to its miner, a port range of the model's own rule ({@code firewall.rules})
 * to the miner too, and SSH to the controller ({@code ssh_sources}); nothing else ({@code
 * validator_sources} and {@code api_sources} are empty).
 *
 * <p>After {@code servers.yml} (base, docker, firewall …) three containers on the executor publish an
 * HTTP server: on the executor's gRPC port, on a port of the rule's range, and on a port the model does
 * not open. Asserted, from the miner: the modelled ports answer; the other one times out (dropped, not refused: the container
 * behind it answers from the executor itself, and the {@code DOCKER-USER} drop rule counts the
 * packets); SSH from the controller still works; Docker's and ufw's rules are all in one iptables
 * backend (nf_tables, Debian 12's default, through the {@code iptables} alternative both call). The same holds after a re-converge (which changes
 * nothing), after {@code ufw reload} (ufw re-reads {@code after.rules}) and after {@code systemctl
 * restart docker} (Docker rewrites its own chains on start). Skipped, with the reason, where no Docker
 * daemon is reachable.
 */
@Tag("docker")
@Tag("integration")
class PublishedPortsIT {

    private static final String MINER_SS58 = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
    private static final String EXECUTOR = "executor";
    private static final String MINER = "miner";
    /** The executor's gRPC port (the model's default), which the plan opens to its miner. */
    private static final int MODELLED = 50051;
    /** A port of the range the model's own rule ({@code firewall.rules}) opens to the miner. */
    private static final int IN_RANGE = 18105;
    /** A port no rule of the model opens. */
    private static final int UNMODELLED = 18080;
    private static final int CONTAINER_PORT = 8000;

    @TempDir
    Path work;

    /** A modelled IPv6 source (RFC 3849 documentation prefix): its rules are checked, no traffic goes to it. */
    private static final String V6_SOURCE = "2001:db8:5::/48";

    @Test
    void aPublishedPortIsReachableOnlyWhereTheModelOpensIt() throws Exception {
        long started = System.nanoTime();
        try (DockerFleet fleet = DockerFleets.bootOrSkip(EXECUTOR, MINER)) {
            DockerHost executor = fleet.host(EXECUTOR);
            DockerHost miner = fleet.host(MINER);

            Path project = work.resolve("project");
            Path out = project.resolve("out/ports");
            Files.createDirectories(project.resolve("environments"));
            Path model = project.resolve("environments/ports.yaml");
            Files.writeString(model, model(fleet));
            GeneratedOut.write(model, "environments/ports.yaml", out);
            Path ansible = out.resolve("ansible");
            String rules = Files.readString(out.resolve("ansible/inventory/host_vars/" + EXECUTOR + ".yml"));
            assertTrue(rules.contains(miner.address() + "/32") && rules.contains(String.valueOf(MODELLED)) && rules.contains("18100:18110"),
                    "the plan opens the executor's gRPC port and the rule's range to its miner:\n" + rules);

            DockerRoleConvergeIT.playbook(ansible, "known-hosts.yml").assertOk();
            AnsibleRun first = DockerRoleConvergeIT.playbook(ansible, "servers.yml", "--skip-tags", "nvidia_toolkit");
            if (first.failures() > 0) System.out.println("ports: " + diagnostics(executor));
            first.assertOk();
            System.out.printf("ports: fleet up and servers converged after %d s%n", (System.nanoTime() - started) / 1_000_000_000);
            assertTrue(executor.ssh("ufw status").orThrow().stdout().contains("Status: active"), "ufw is enabled");
            // Docker and ufw must write to the same iptables backend (Debian 12: nf_tables, through the
            // iptables alternative both call); rules in the other one would be a second, unseen firewall.
            String backend = executor.ssh("iptables --version").orThrow().stdout();
            String other = backend.contains("nf_tables") ? "iptables-legacy-save" : "iptables-nft-save";
            assertEquals("0", executor.ssh(other + " 2>/dev/null | grep -c '^-A' || true").stdout().strip(),
                    "no rules in the other backend than " + backend.strip());
            // IPv6: ufw loads after6.rules with ip6tables-restore; its DOCKER-USER chain holds the IPv6 source of the
            // modelled range and the same drop for Docker's bridge, and each family's chain holds only its own sources.
            String v6 = executor.ssh("ip6tables -w -S DOCKER-USER").orThrow().stdout();
            assertTrue(v6.contains("-A DOCKER-USER -s " + V6_SOURCE + " -p tcp -m conntrack --ctorigdstport 18100:18110 --ctdir ORIGINAL -j RETURN"),
                    "the IPv6 source in ip6tables' DOCKER-USER:\n" + v6);
            assertTrue(v6.contains("-A DOCKER-USER -o docker0 -m conntrack --ctstate NEW -j DROP"), "the IPv6 drop:\n" + v6);
            assertFalse(v6.contains(miner.address()), "no IPv4 source in the IPv6 chain:\n" + v6);
            String v4 = executor.ssh("iptables -w -S DOCKER-USER").orThrow().stdout();
            assertFalse(v4.contains(V6_SOURCE), "no IPv6 source in the IPv4 chain:\n" + v4);
            String ufw = executor.ssh("ufw status").orThrow().stdout();
            assertTrue(ufw.lines().anyMatch(l -> l.contains("18100:18110/tcp") && l.contains(V6_SOURCE)), "ufw's IPv6 rule:\n" + ufw);

            // Two HTTP servers in containers from an image imported on the host, the host's /usr lent
            // read-only for python3; each publishes its port on every address of the executor.
            executor.ssh(DockerRoleConvergeIT.IMPORT_IMAGE).orThrow();
            for (int port : List.of(MODELLED, IN_RANGE, UNMODELLED)) {
                executor.ssh("docker run -d --name web-" + port + " -p " + port + ":" + CONTAINER_PORT
                        + " -v /usr:/usr:ro standin:1 /usr/bin/python3 -m http.server " + CONTAINER_PORT).orThrow();
            }
            probeAll(executor, miner, "after the first converge");

            AnsibleRun again = DockerRoleConvergeIT.playbook(ansible, "servers.yml", "--skip-tags", "nvidia_toolkit");
            again.assertOk();
            assertEquals(Map.of(EXECUTOR, 0, MINER, 0), again.changedByHost(), "re-converge must change nothing:\n" + again.changedTasks());
            probeAll(executor, miner, "after a re-converge");

            executor.ssh("ufw reload").orThrow();
            probeAll(executor, miner, "after ufw reload");

            executor.ssh("systemctl restart docker.service").orThrow();
            probeAll(executor, miner, "after restarting Docker");
            System.out.printf("ports: done after %d s%n", (System.nanoTime() - started) / 1_000_000_000);
        }
    }

    /** The modelled ports open from the miner, the other dropped though its container answers, SSH open. */
    private static void probeAll(DockerHost executor, DockerHost miner, String when) throws IOException {
        for (int port : List.of(MODELLED, IN_RANGE, UNMODELLED)) {
            // From the executor itself (not forwarded, so no firewall between): the container is up.
            String local = probe(executor, "127.0.0.1", port, 10);
            assertTrue(local.startsWith("open HTTP/1.0 200"), when + ": the container on " + port + " answers on the executor: " + local
                    + "\n" + diagnostics(executor));
        }
        for (int port : List.of(MODELLED, IN_RANGE)) {
            String open = probe(miner, executor.address(), port, 10);
            assertTrue(open.startsWith("open HTTP/1.0 200"), when + ": the modelled port " + port + " from the miner: " + open
                    + "\n" + diagnostics(executor));
        }
        long dropped = droppedPackets(executor);
        String closed = probe(miner, executor.address(), UNMODELLED, 3);
        assertEquals("timeout", closed, when + ": the unmodelled port " + UNMODELLED + " from the miner must be dropped\n"
                + diagnostics(executor));
        assertTrue(droppedPackets(executor) > dropped, when + ": DOCKER-USER dropped the probe\n" + diagnostics(executor));
        assertEquals("ssh", executor.ssh("echo ssh").orThrow().stdout().strip(), when + ": SSH from the controller");
    }

    /** Connects from {@code from} to address:port; "open" and the status line, "timeout", "refused" or the error. */
    private static String probe(DockerHost from, String address, int port, int timeoutSeconds) throws IOException {
        String script = "import socket\n"
                + "s = socket.socket(); s.settimeout(" + timeoutSeconds + ")\n"
                + "try:\n"
                + "    s.connect(('" + address + "', " + port + ")); s.sendall(b'GET / HTTP/1.0\\r\\n\\r\\n')\n"
                + "    print('open ' + s.recv(64).split(b'\\r\\n')[0].decode())\n"
                + "except socket.timeout: print('timeout')\n"
                + "except ConnectionRefusedError: print('refused')\n"
                + "except OSError as e: print('error ' + str(e))\n";
        return from.ssh("python3 - <<'EOF'\n" + script + "EOF").orThrow().stdout().strip();
    }

    /** Packets counted by the DOCKER-USER rules that drop new connections into Docker's bridges. */
    private static long droppedPackets(DockerHost executor) throws IOException {
        String chain = executor.ssh("iptables -w -L DOCKER-USER -v -n -x").orThrow().stdout();
        return chain.lines().map(String::strip).filter(l -> l.contains("DROP"))
                .mapToLong(l -> Long.parseLong(l.split("\\s+")[0])).sum();
    }

    private static String diagnostics(DockerHost executor) throws IOException {
        return executor.ssh("iptables -w -S FORWARD; iptables -w -S DOCKER-USER; iptables -w -t nat -S DOCKER; docker ps -a;"
                + " ufw status verbose; update-alternatives --query iptables | grep Value;"
                + " journalctl -o cat -u docker.service --no-pager | tail -n 15").stdout();
    }

    private static String model(DockerFleet fleet) {
        String key = fleet.host(EXECUTOR).privateKey().toString();
        return String.join("\n",
                "apiVersion: basilica.dev/v1alpha1",
                "kind: Environment",
                "name: ports",
                "tier: staging",
                "chain: { network: test, netuid: 387 }",
                "hosts:",
                "  - { name: " + EXECUTOR + ", address: " + fleet.host(EXECUTOR).address() + ", roles: [executor], ssh: { user: root, key: " + key + " } }",
                // The executor's miner, and the host the test probes from; its service is never deployed.
                "  - { name: " + MINER + ", address: " + fleet.host(MINER).address() + ", roles: [miner], ssh: { user: root, key: " + key + " } }",
                "services: { validator: { enabled: false }, miner: { jwt_secret: { env: DOCKERROLE_MINER_JWT_SECRET } } }",
                "wallets:",
                "  miner: { name: ports_miner, hotkey_file: { file: /nonexistent/hotkey }, hotkey_ss58: " + MINER_SS58 + " }",
                "artifacts:",
                "  miner: { file: /nonexistent/miner }",
                "  executor: { file: /nonexistent/executor }",
                "packages:",
                "  apt_mirror: { url: \"" + fleet.repositoryUrl() + "\", suites: [\"./\"], trusted: true }",
                "  docker_source: debian",
                "  docker_storage_driver: vfs",
                "  install_nvidia_driver: false",
                "monitoring: { enabled: false }",
                // SSH from the controller (the fleet's gateway) only; nothing open to the world.
                "firewall:",
                "  enabled: true",
                "  ssh_sources: [" + fleet.gatewayAddress() + "/32]",
                "  validator_sources: []",
                "  api_sources: []",
                // An IPv6 source too (a documentation prefix: no traffic is sent to it): its rules go to after6.rules
                // and ip6tables, never to the IPv4 chain.
                "  rules: [{ name: renter-ports, role: executor, port: 18100, to_port: 18110, sources: [" + fleet.host(MINER).address()
                        + "/32, \"" + V6_SOURCE + "\"] }]",
                "");
    }
}
