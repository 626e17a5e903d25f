package dev.basilica.testfleet;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Disposable booted Debian hosts for tests, whichever backend boots them, so that a test can run on
 * either: {@link TestFleet} (systemd-nspawn, network namespaces; root on Linux) or {@link DockerFleet}
 * (systemd in Docker containers through Testcontainers; any reachable Docker daemon on the same
 * machine). Both boot the same image ({@link FleetImage}) and serve the same local apt repository.
 * <pre>{@code
 * try (BootedFleet fleet = BootedFleet.builder(Backend.DOCKER).host("validator").startOrSkip()) {
 *   fleet.host("validator").ssh("apt-get update").orThrow();
 * }
 * }</pre>
 */
public interface BootedFleet extends AutoCloseable {

  /** How the hosts are booted. */
  enum Backend {
    /** {@link TestFleet}: systemd-nspawn in network namespaces. */
    NSPAWN,
    /** {@link DockerFleet}: systemd-booted containers on an internal Docker network. */
    DOCKER
  }

  /** A builder for the backend's fleet. */
  static Builder builder(Backend backend) {
    return switch (backend) {
      case NSPAWN -> TestFleet.builder();
      case DOCKER -> DockerFleet.builder();
    };
  }

  /** Which hosts to boot and how; the same options for both backends. */
  interface Builder {
    Builder host(String name);

    Builder host(HostSpec spec);

    /** How long a host may take from start to a working SSH login. */
    Builder bootTimeout(Duration timeout);

    /** Whether hosts get the local repository as their apt source (default yes). */
    Builder aptSource(boolean enabled);

    /** Keep the hosts running after close, for debugging. */
    Builder keep(boolean keep);

    /** Boots the fleet; throws {@link FleetUnavailableException} if this machine cannot. */
    BootedFleet start() throws IOException, FleetUnavailableException;

    /** {@link #start()}, turning "this machine cannot" into a skipped test with the reason. */
    BootedFleet startOrSkip() throws IOException;
  }

  List<? extends BootedHost> hosts();

  BootedHost host(String name);

  /** The local repository as every host reaches it, e.g. {@code http://10.200.7.1:40123/}. */
  URI repositoryUrl();

  /** The apt source line for the local repository (flat, unsigned, so marked trusted). */
  default String aptSourceLine() {
    return "deb [trusted=yes] " + repositoryUrl() + " ./";
  }

  /** The requests the repository server answered, e.g. to show that apt used it. */
  List<AptRepositoryServer.Served> repositoryRequests();

  /** The test network, e.g. {@code 10.200.7.0/24}. */
  String subnet();

  /** The test JVM's address on the test network (where the repository listens). */
  String gatewayAddress();

  /** The fleet's temporary directory: keys, known_hosts. */
  Path runDirectory();

  /** An Ansible INI inventory with every host in group {@code fleet}. */
  default String ansibleInventory() {
    return "[fleet]\n" + hosts().stream().map(BootedHost::inventoryLine)
        .collect(Collectors.joining("\n")) + "\n";
  }

  /** Whether closing keeps the hosts running. */
  boolean kept();

  /** What of this fleet still exists on the machine (empty after close). */
  List<String> leftovers() throws IOException;

  /** Stops the hosts and removes everything the fleet made, unless it is {@link #kept()}. */
  @Override
  void close();
}
