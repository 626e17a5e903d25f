package dev.basilica.testfleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Waiting for a booted host of either backend: first sshd's banner, then a real key login with the host key checked. */
final class SshReadiness {

  /** What the backend knows about one host's boot. */
  interface Boot {
    /** Why the host can no longer come up (its process or container ended), or null while it can. */
    String gone();

    /** The last lines of its console or container log, for an error message. */
    String tail();
  }

  private SshReadiness() {}

  /**
   * Returns once {@code host} accepts a login; throws, with the boot's last log lines, when its boot ended or
   * {@code deadline} (a {@link System#nanoTime()} value) passed first.
   *
   * @return how long it took from {@code start}
   */
  static Duration await(BootedHost host, Duration bootTimeout, long start, long deadline, long pollMillis, Boot boot)
      throws IOException {
    InetSocketAddress target = new InetSocketAddress(host.address(), host.sshPort());
    while (!banner(target)) {
      String gone = boot.gone();
      if (gone != null) throw new IOException("host " + host.name() + ": " + gone + " before sshd answered\n" + boot.tail());
      if (System.nanoTime() > deadline) {
        throw new IOException("host " + host.name() + ": sshd did not answer on " + target + " within "
            + bootTimeout.toSeconds() + " s\n" + boot.tail());
      }
      sleep(pollMillis);
    }
    Exec.Result login;
    while (!(login = host.ssh("true", Duration.ofSeconds(30))).ok()) {
      if (System.nanoTime() > deadline) {
        throw new IOException("host " + host.name() + ": sshd answers but 'ssh " + host.user() + "@"
            + host.address() + " true' fails: " + login.stderr().strip() + "\n" + boot.tail());
      }
      sleep(200);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Whether something on {@code target} greets like sshd. */
  static boolean banner(InetSocketAddress target) {
    try (Socket socket = new Socket()) {
      socket.connect(target, 250);
      socket.setSoTimeout(2000);
      byte[] first = socket.getInputStream().readNBytes(4);
      return new String(first, StandardCharsets.US_ASCII).equals("SSH-");
    } catch (IOException notYet) {
      return false;
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for sshd", e);
    }
  }
}
