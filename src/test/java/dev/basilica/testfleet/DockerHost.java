package dev.basilica.testfleet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;

/**
 * One host of a {@link DockerFleet}: a container running systemd as PID 1, with sshd, its own
 * address on the fleet's internal Docker network, root's key and a pinned host key. Besides SSH, a
 * test can reach it through Docker ({@link #exec(String...)}, {@link #container()}), e.g. to look at
 * it without going through sshd.
 */
public final class DockerHost implements BootedHost {

  private final String name;
  private final Path privateKey;
  private final Path knownHosts;
  private final GenericContainer<?> container;
  private volatile String address;
  private volatile String containerId;
  private volatile Duration bootToSsh;

  DockerHost(String name, Path privateKey, Path knownHosts, GenericContainer<?> container) {
    this.name = name;
    this.privateKey = privateKey;
    this.knownHosts = knownHosts;
    this.container = container;
  }

  @Override
  public String name() {
    return name;
  }

  /** Its IPv4 address on the fleet's Docker network, e.g. {@code 172.18.0.2}. */
  @Override
  public String address() {
    return address;
  }

  @Override
  public int sshPort() {
    return 22;
  }

  @Override
  public String user() {
    return "root";
  }

  @Override
  public Path privateKey() {
    return privateKey;
  }

  @Override
  public Path knownHosts() {
    return knownHosts;
  }

  @Override
  public Duration bootToSsh() {
    return bootToSsh;
  }

  /** The container's id (what {@code docker exec}, {@code docker inspect} take). */
  public String containerId() {
    return containerId;
  }

  /** The Testcontainers container, for what SSH cannot do (logs, copying files in or out). */
  public GenericContainer<?> container() {
    return container;
  }

  /** Runs a command in the container through Docker ({@code docker exec}), as root, not through sshd. */
  public Exec.Result exec(String... command) throws IOException {
    long start = System.nanoTime();
    try {
      Container.ExecResult result = container.execInContainer(command);
      return new Exec.Result(List.of(command), result.getExitCode(), result.getStdout(),
          result.getStderr(), Duration.ofNanos(System.nanoTime() - start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", command) + " in " + name, e);
    }
  }

  void started(String id, String address) {
    this.containerId = id;
    this.address = address;
  }

  void reachable(Duration elapsed) {
    this.bootToSsh = elapsed;
  }

  @Override
  public String toString() {
    return name + "@" + address;
  }
}
