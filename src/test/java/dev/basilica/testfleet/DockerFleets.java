package dev.basilica.testfleet;

import dev.basilica.support.Tools;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;

/**
 * How the converge tests boot their {@link DockerFleet}: the same skip reasons and boot timeout for
 * every one of them. Each converge runs {@code ansible-playbook} from this machine, so that is
 * assumed along with the Docker daemon.
 * <pre>{@code
 * try (DockerFleet fleet = DockerFleets.bootOrSkip(b -> b.extraPackage(deb), "monitor")) { ... }
 * }</pre>
 */
public final class DockerFleets {

  /** How long each host may take from start to a working SSH login. */
  public static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);

  private DockerFleets() {}

  /**
   * Skips the test, with the reason, where there is no Docker daemon (or no ssh, tar ...) or no
   * ansible-playbook. {@link #bootOrSkip} does it too; a test calls it first when it has more to
   * assume or to prepare before the fleet boots.
   */
  public static void assumeAvailable() {
    Optional<String> unavailable = DockerFleet.unavailableReason();
    Assumptions.assumeTrue(unavailable.isEmpty(),
        () -> "Docker test fleet unavailable: " + unavailable.orElse(""));
    Tools.assume("ansible-playbook", "ansible");
  }

  /** Boots these hosts (see {@link #bootOrSkip(Consumer, String...)}). */
  public static DockerFleet bootOrSkip(String... hosts) throws IOException {
    return bootOrSkip(builder -> { }, hosts);
  }

  /**
   * Boots these hosts in a Docker test fleet ({@link #BOOT_TIMEOUT} each at most), after
   * {@code customise} has had the builder (e.g. {@link DockerFleet.Builder#extraPackage}), or skips
   * the test with the reason where this machine cannot ({@link #assumeAvailable}, then
   * {@link DockerFleet.Builder#startOrSkip}).
   */
  public static DockerFleet bootOrSkip(Consumer<DockerFleet.Builder> customise, String... hosts)
      throws IOException {
    assumeAvailable();
    DockerFleet.Builder builder = DockerFleet.builder();
    for (String h : hosts) {
      builder.host(h);
    }
    builder.bootTimeout(BOOT_TIMEOUT);
    customise.accept(builder);
    return builder.startOrSkip();
  }
}
