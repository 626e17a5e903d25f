package dev.basilica.testfleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots two real hosts and checks what later convergence tests rely on: systemd up, SSH with a
 * pinned host key, packages from the local repository, no route past the test network, and nothing
 * left behind. Skipped (with the reason) where the machine cannot run a fleet. With the image cached
 * it takes 15-50 s (docs/testing.md has timings).
 */
@Tag("integration")
class TestFleetIT {

  /** TEST-NET-3 (RFC 5737): an address outside the test network that nothing should ever route to. */
  private static final String OUTSIDE = "203.0.113.1";

  @TempDir
  Path fixture;

  @Test
  void bootsIsolatedHostsThatInstallFromTheLocalRepositoryAndLeaveNothingBehind() throws Exception {
    Assumptions.assumeTrue(TestFleet.unavailableReason().isEmpty(),
        () -> "test fleet unavailable: " + TestFleet.unavailableReason().orElse(""));
    Files.writeString(fixture.resolve("probe.txt"), "bound in\n");
    TestFleet fleet = TestFleet.builder()
        .host("alpha")
        .host(HostSpec.named("beta")
            .capability("CAP_NET_ADMIN")
            .bindReadOnly(fixture.resolve("probe.txt"), "/etc/testfleet-probe.txt")
            .setenv("TESTFLEET_PROBE", "set"))
        .startOrSkip();
    List<Long> processes = new ArrayList<>();
    Path runDirectory = fleet.runDirectory();
    String gateway = fleet.gatewayAddress();
    int repositoryPort = fleet.repositoryUrl().getPort();
    long closing = 0;
    try (fleet) {
      TestHost alpha = fleet.host("alpha");
      TestHost beta = fleet.host("beta");
      for (TestHost host : fleet.hosts()) {
        assertTrue(host.pid() > 0 && host.initPid() > 0, () -> host + " has no nspawn or init PID");
        processes.add(host.pid());
        processes.add(host.initPid());
        System.out.printf("testfleet: %s at %s: ssh works %d ms after systemd-nspawn started%n",
            host.name(), host.address(), host.bootToSsh().toMillis());

        assertSystemUp(host);
        assertEquals(host.name(), host.ssh("hostname").orThrow().stdout().strip());
        assertOnlyTheTestNetwork(host, fleet.subnet());

        long start = System.nanoTime();
        Exec.Result install = host.ssh("apt-get update -q && DEBIAN_FRONTEND=noninteractive"
            + " apt-get install -y -q curl && curl --version");
        assertTrue(install.ok(), () -> host + ": installing curl from the local repository failed:\n"
            + install.stdout() + install.stderr());
        System.out.printf("testfleet: %s: apt-get update + install curl (%s) took %d ms%n", host.name(),
            fleet.repositoryUrl(), (System.nanoTime() - start) / 1_000_000);
      }
      assertTrue(fleet.repositoryRequests().stream()
              .anyMatch(r -> r.path().matches(".*/curl_[^/]*\\.deb") && r.status() == 200),
          () -> "the repository server never sent curl's .deb: " + fleet.repositoryRequests());

      // The hosts share one segment: each reaches the other's sshd.
      assertEquals("SSH-", alpha.ssh("timeout 5 bash -c 'exec 3<>/dev/tcp/" + beta.address()
          + "/22 && head -c 4 <&3'").orThrow().stdout());

      // --capability reaches the guest: only beta may change its network configuration.
      String addLoopbackAddress = "ip addr add 127.0.0.9/32 dev lo && ip addr del 127.0.0.9/32 dev lo";
      assertTrue(beta.ssh(addLoopbackAddress).ok(), "beta was started with CAP_NET_ADMIN");
      Exec.Result denied = alpha.ssh(addLoopbackAddress);
      assertFalse(denied.ok(), "alpha has no CAP_NET_ADMIN");
      assertTrue(denied.stderr().contains("Operation not permitted"), denied.stderr());

      // HostSpec's bind and environment reach the guest.
      assertEquals("bound in\n", beta.ssh("cat /etc/testfleet-probe.txt").orThrow().stdout());
      assertTrue(beta.ssh("tr '\\0' '\\n' < /proc/1/environ").orThrow().stdout()
          .lines().anyMatch("TESTFLEET_PROBE=set"::equals), "beta's PID 1 has TESTFLEET_PROBE");

      assertNotEquals(alpha.ssh("cat /etc/machine-id").orThrow().stdout(),
          beta.ssh("cat /etc/machine-id").orThrow().stdout(), "every host gets its own machine id");
      closing = System.nanoTime();
    }
    System.out.printf("testfleet: closing took %d ms%n", (System.nanoTime() - closing) / 1_000_000);
    if (fleet.kept()) {
      return; // kept for debugging: nothing was torn down
    }

    List<String> leftovers = fleet.leftovers();
    assertTrue(leftovers.isEmpty(), () -> "left behind after close: " + leftovers);
    for (long pid : processes) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "process " + pid + " of the fleet still runs after close");
    }
    assertFalse(Files.exists(runDirectory), runDirectory + " remains after close");
    assertThrows(IOException.class, () -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(gateway, repositoryPort), 1000);
      }
    }, "the repository server still answers after close");
  }

  private static void assertSystemUp(TestHost host) throws IOException {
    String state = host.ssh("timeout 60 systemctl is-system-running --wait").stdout().strip();
    if (state.equals("degraded")) {
      System.out.println("testfleet: " + host.name() + " is degraded; failed units and errors:\n"
          + host.ssh("systemctl --failed --no-legend --plain; journalctl -b -p err --no-pager | tail -n 20")
              .stdout());
    }
    assertTrue(Set.of("running", "degraded").contains(state),
        () -> host + ": systemctl is-system-running says " + state);
  }

  /** One on-link route to the test network, no default route, and nothing outside is reachable. */
  private static void assertOnlyTheTestNetwork(TestHost host, String subnet) throws IOException {
    List<String> routes = host.ssh("ip -4 route show table all | grep -v '^local \\|^broadcast '")
        .orThrow().stdout().strip().lines().toList();
    assertEquals(1, routes.size(), () -> host + " has routes " + routes);
    assertTrue(routes.get(0).startsWith(subnet + " dev host0"), () -> host + " has routes " + routes);
    assertTrue(host.ssh("ip -6 route show table all").stdout().isBlank(), host + " has IPv6 routes");

    // A connection to the outside fails at once, in the host's own kernel: nothing leaves it.
    Exec.Result outside = host.ssh("start=$(date +%s%N); timeout 5 bash -c 'exec 3<>/dev/tcp/"
        + OUTSIDE + "/80'; rc=$?; echo \"rc=$rc ms=$(( ($(date +%s%N) - start) / 1000000 ))\"");
    assertTrue(outside.stdout().contains("rc=1 "), () -> host + " connecting outside: " + outside);
    assertTrue(outside.stderr().contains("Network is unreachable"), () -> host + ": " + outside);
    long millis = Long.parseLong(outside.stdout().replaceAll("(?s).*ms=(\\d+).*", "$1"));
    assertTrue(millis < 1000, () -> host + " took " + millis + " ms to fail connecting outside");
  }
}
