package dev.basilica.testfleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker backend's own test: two systemd-booted containers on an internal Docker network, SSH
 * with pinned host keys, packages from the local repository, no route past the test network, Ansible
 * reaching both, and nothing of the fleet left in the daemon after close. Skipped (with the reason)
 * where no Docker daemon is reachable; {@code scripts/test.sh} starts one.
 */
@Tag("docker")
@Tag("integration")
class DockerFleetIT {

  /** TEST-NET-3 (RFC 5737): an address outside the test network that nothing should ever route to. */
  private static final String OUTSIDE = "203.0.113.1";

  @TempDir
  Path work;

  @Test
  void bootsIsolatedContainerHostsReachableOverSshThatInstallFromTheLocalRepository() throws Exception {
    Optional<String> unavailable = DockerFleet.unavailableReason();
    Assumptions.assumeTrue(unavailable.isEmpty(),
        () -> "Docker test fleet unavailable: " + unavailable.orElse(""));
    long started = System.nanoTime();
    Files.writeString(work.resolve("probe.txt"), "bound in\n");
    DockerFleet fleet = (DockerFleet) BootedFleet.builder(BootedFleet.Backend.DOCKER)
        .host("alpha")
        .host(HostSpec.named("beta")
            .bindReadOnly(work.resolve("probe.txt"), "/etc/testfleet-probe.txt")
            .setenv("TESTFLEET_PROBE", "set"))
        .startOrSkip();
    System.out.printf("dockerfleet: %s started in %d ms%n", fleet.runName(),
        (System.nanoTime() - started) / 1_000_000);
    Path runDirectory = fleet.runDirectory();
    try (fleet) {
      DockerHost alpha = fleet.host("alpha");
      DockerHost beta = fleet.host("beta");
      for (DockerHost host : fleet.hosts()) {
        System.out.printf("dockerfleet: %s at %s: ssh works %d ms after the containers started%n",
            host.name(), host.address(), host.bootToSsh().toMillis());
        assertSystemUp(host);
        assertEquals(host.name(), host.ssh("hostname").orThrow().stdout().strip());
        assertOnlyTheTestNetwork(host, fleet.subnet());

        long start = System.nanoTime();
        Exec.Result update = host.ssh("apt-get update -q && apt-cache policy curl");
        assertTrue(update.ok(), () -> host + ": apt-get update from the local repository failed:\n"
            + update.stdout() + update.stderr());
        assertTrue(update.stdout().contains(fleet.repositoryUrl().toString().replaceAll("/$", "")),
            () -> host + ": curl does not come from " + fleet.repositoryUrl() + ":\n" + update.stdout());
        System.out.printf("dockerfleet: %s: apt-get update (%s) took %d ms%n", host.name(),
            fleet.repositoryUrl(), (System.nanoTime() - start) / 1_000_000);
      }
      assertTrue(fleet.repositoryRequests().stream()
              .anyMatch(r -> r.path().endsWith("/Packages.gz") && r.status() == 200),
          () -> "the repository server never sent its index: " + fleet.repositoryRequests());

      // The hosts share one network: each reaches the other's sshd.
      assertEquals("SSH-", alpha.ssh("timeout 5 bash -c 'exec 3<>/dev/tcp/" + beta.address()
          + "/22 && head -c 4 <&3'").orThrow().stdout());
      // Docker's DNS answers the hosts' names (and no outside name: assertOnlyTheTestNetwork).
      assertTrue(alpha.ssh("getent hosts beta").orThrow().stdout().startsWith(beta.address() + " "),
          "alpha resolves beta's name to its address");
      // HostSpec's bind and environment reach the guest.
      assertEquals("bound in\n", beta.ssh("cat /etc/testfleet-probe.txt").orThrow().stdout());
      assertTrue(beta.ssh("tr '\\0' '\\n' < /proc/1/environ").orThrow().stdout()
          .lines().anyMatch("TESTFLEET_PROBE=set"::equals), "beta's PID 1 has TESTFLEET_PROBE");
      assertNotEquals(alpha.ssh("cat /etc/machine-id").orThrow().stdout(),
          beta.ssh("cat /etc/machine-id").orThrow().stdout(), "every host gets its own machine id");
      // docker exec reaches the same host as SSH.
      assertEquals("alpha", alpha.exec("hostname").orThrow().stdout().strip());

      if (Tools.onPath("ansible-playbook")) {
        assertAnsibleReachesEveryHost(fleet);
      }
    }
    System.out.printf("dockerfleet: whole test took %d ms%n", (System.nanoTime() - started) / 1_000_000);
    if (fleet.kept()) {
      return; // kept for debugging: nothing was torn down
    }
    List<String> leftovers = fleet.leftovers();
    assertTrue(leftovers.isEmpty(), () -> "left behind after close: " + leftovers);
    assertFalse(Files.exists(runDirectory), runDirectory + " remains after close");
  }

  private static void assertSystemUp(BootedHost host) throws IOException {
    String state = host.ssh("timeout 60 systemctl is-system-running --wait").stdout().strip();
    if (!state.equals("running")) {
      System.out.println("dockerfleet: " + host.name() + " is " + state + "; failed units and errors:\n"
          + host.ssh("systemctl --failed --no-legend --plain; journalctl -b -p err --no-pager | tail -n 20")
              .stdout());
    }
    assertTrue(Set.of("running", "degraded").contains(state),
        () -> host + ": systemctl is-system-running says " + state);
  }

  /** One on-link route to the test network, no default route, and nothing outside is reachable. */
  private static void assertOnlyTheTestNetwork(BootedHost host, String subnet) throws IOException {
    List<String> routes = host.ssh("ip -4 route show table all | grep -v '^local \\|^broadcast '")
        .orThrow().stdout().strip().lines().toList();
    assertEquals(1, routes.size(), () -> host + " has routes " + routes);
    assertTrue(routes.get(0).startsWith(subnet + " dev eth0"), () -> host + " has routes " + routes);
    assertTrue(host.ssh("ip -6 route show table all").stdout().isBlank(), host + " has IPv6 routes");

    // A connection to the outside fails at once, in the host's own kernel: nothing leaves it.
    Exec.Result outside = host.ssh("start=$(date +%s%N); timeout 5 bash -c 'exec 3<>/dev/tcp/"
        + OUTSIDE + "/80'; rc=$?; echo \"rc=$rc ms=$(( ($(date +%s%N) - start) / 1000000 ))\"");
    assertTrue(outside.stdout().contains("rc=1 "), () -> host + " connecting outside: " + outside);
    assertTrue(outside.stderr().contains("Network is unreachable"), () -> host + ": " + outside);
    long millis = Long.parseLong(outside.stdout().replaceAll("(?s).*ms=(\\d+).*", "$1"));
    assertTrue(millis < 1000, () -> host + " took " + millis + " ms to fail connecting outside");
    assertFalse(host.ssh("timeout 2 getent hosts deb.debian.org").ok(), host + " resolves an outside name");
  }

  /** ansible.builtin.ping through the fleet's inventory: SSH with the pinned keys and Python on both. */
  private void assertAnsibleReachesEveryHost(BootedFleet fleet) throws IOException {
    Path inventory = Files.writeString(work.resolve("inventory.ini"), fleet.ansibleInventory());
    Path playbook = Files.writeString(work.resolve("ping.yml"), """
        - hosts: fleet
          gather_facts: false
          tasks:
            - ansible.builtin.ping:
        """);
    Tools.Result ping = Tools.run(work, Map.of("ANSIBLE_NOCOLOR", "1"), Duration.ofMinutes(3),
        List.of("ansible-playbook", "-i", inventory.toString(), playbook.toString()));
    assertEquals(0, ping.exitCode(), () -> "ansible-playbook ping:\n" + ping.stdout() + ping.stderr());
    System.out.println("dockerfleet: ansible.builtin.ping reached " + fleet.hosts().size() + " hosts");
    for (BootedHost host : fleet.hosts()) {
      assertTrue(ping.stdout().matches("(?s).*" + host.name() + "\\s*:\\s*ok=1 .*"),
          () -> host.name() + " not pinged:\n" + ping.stdout());
    }
  }
}
