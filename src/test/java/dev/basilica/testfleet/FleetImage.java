package dev.basilica.testfleet;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cached root filesystem every test host boots from and the local apt repository they install
 * from, both made by {@code scripts/testfleet/build-rootfs.sh}. The script runs at most once per JVM;
 * when its cache key is already built it only prints the paths.
 *
 * @param key the cache key (a hash of the script and its package lists)
 * @param rootfs the root filesystem; hosts boot it under a throw-away overlay and never change it
 * @param repo a flat apt repository: {@code Packages}, {@code Packages.gz}, {@code Release} and the .debs
 */
public record FleetImage(String key, Path rootfs, Path repo) {

  static final String SCRIPT = "scripts/testfleet/build-rootfs.sh";
  /** A cold build downloads about 200 MB and runs debootstrap; warm, it answers at once. */
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);

  private static FleetImage built;
  private static String unavailable;

  /** Builds the image unless this JVM has already done so (or already learnt that it cannot). */
  static synchronized FleetImage ensure() throws FleetUnavailableException, IOException {
    if (built != null) {
      return built;
    }
    if (unavailable != null) {
      throw new FleetUnavailableException(unavailable);
    }
    Path script = projectRoot().resolve(SCRIPT);
    System.err.println("testfleet: ensuring the root filesystem and apt repository (" + SCRIPT + ")");
    ProcessBuilder builder = new ProcessBuilder(List.of("bash", script.toString()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process = builder.start();
    // stderr carries the script's progress; a cold build takes minutes, so it is passed on line by
    // line (through System.err, which the test runner captures, not the JVM's own descriptor).
    AtomicReference<String> lastLine = new AtomicReference<>("");
    Thread progress = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        lines.lines().forEach(line -> {
          System.err.println(line);
          lastLine.set(line);
        });
      } catch (IOException ignored) {
        // the script is gone; its exit status says the rest
      }
    }, "testfleet-build-progress");
    progress.setDaemon(true);
    progress.start();
    String stdout;
    try (InputStream in = process.getInputStream()) {
      stdout = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int exit;
    try {
      if (!process.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroy();
        throw new IOException(SCRIPT + " ran past " + BUILD_TIMEOUT.toMinutes() + " minutes");
      }
      exit = process.exitValue();
      progress.join(5000);
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while building the test fleet image", e);
    }
    if (exit == 3 || exit == 4) {
      unavailable = SCRIPT + " cannot build the test fleet image here (exit " + exit + "): "
          + lastLine.get().replaceFirst("^testfleet: (\\[\\d+ s\\] )?", "");
      throw new FleetUnavailableException(unavailable);
    }
    if (exit != 0) {
      throw new IOException(SCRIPT + " failed with exit " + exit + ": " + lastLine.get()
          + " (its other messages are above)");
    }
    built = parse(stdout);
    return built;
  }

  /** Reads the script's KEY=, ROOTFS= and REPO= lines. */
  static FleetImage parse(String stdout) throws IOException {
    String key = null;
    Path rootfs = null;
    Path repo = null;
    for (String line : stdout.split("\n")) {
      if (line.startsWith("KEY=")) {
        key = line.substring(4).strip();
      } else if (line.startsWith("ROOTFS=")) {
        rootfs = Path.of(line.substring(7).strip());
      } else if (line.startsWith("REPO=")) {
        repo = Path.of(line.substring(5).strip());
      }
    }
    if (key == null || rootfs == null || repo == null) {
      throw new IOException(SCRIPT + " did not print KEY=, ROOTFS= and REPO=; it printed:\n" + stdout);
    }
    if (!Files.isDirectory(rootfs.resolve("etc")) || !Files.isRegularFile(repo.resolve("Packages"))) {
      throw new IOException(SCRIPT + " named " + rootfs + " and " + repo + ", which are incomplete");
    }
    return new FleetImage(key, rootfs, repo);
  }

  /**
   * The project's root directory: Surefire passes it as {@code basilica.repo}; otherwise the nearest
   * directory above the working directory that holds the build script.
   */
  static Path projectRoot() throws IOException {
    String configured = System.getProperty("basilica.repo");
    if (configured != null && Files.isRegularFile(Path.of(configured).resolve(SCRIPT))) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(SCRIPT))) {
        return dir;
      }
    }
    throw new IOException("cannot find " + SCRIPT + " above " + Path.of("").toAbsolutePath());
  }
}
