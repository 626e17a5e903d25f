package dev.basilica.testfleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cgroup of its own for each host's systemd-nspawn, in every hierarchy systemd uses.
 *
 * <p>systemd-nspawn puts itself into {@code OWN/supervisor} and the guest into {@code OWN/payload},
 * where OWN is the cgroup it was started in. Started straight from the test JVM, every host of every
 * fleet on the machine would share one {@code /payload}: their systemds would create and delete the
 * same {@code system.slice/*.service} cgroups, and units fail at random with "Failed to attach to
 * cgroup ...: No such file or directory" (seen here as a degraded host). So each systemd-nspawn is
 * started in {@code JVM's cgroup/MACHINE} instead, and that subtree is removed after it exits.
 */
final class HostCgroups {

  private static final Path ROOT = Path.of("/sys/fs/cgroup");

  private HostCgroups() {}

  /** Creates {@code MACHINE} under this JVM's cgroup in each hierarchy; returns the directories. */
  static List<Path> create(String machine) throws IOException {
    List<Path> groups = new ArrayList<>();
    for (Path own : ownCgroups()) {
      Path group = own.resolve(machine);
      remove(List.of(group)); // a leftover of a killed run with the same name
      groups.add(Files.createDirectory(group));
    }
    return groups;
  }

  /**
   * This JVM's cgroup directories: on the unified hierarchy (cgroup v2, at {@code /sys/fs/cgroup} or,
   * in hybrid mode, {@code /sys/fs/cgroup/unified}) and on the legacy {@code name=systemd} one.
   */
  static List<Path> ownCgroups() throws IOException {
    String unified = null;
    String named = null;
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      String[] fields = line.split(":", 3);
      if (fields.length < 3) {
        continue;
      }
      if (fields[0].equals("0") && fields[1].isEmpty()) {
        unified = fields[2];
      } else if (fields[1].equals("name=systemd")) {
        named = fields[2];
      }
    }
    List<Path> own = new ArrayList<>();
    if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
      if (unified != null) {
        own.add(under(ROOT, unified));
      }
      return own;
    }
    if (unified != null && Files.exists(ROOT.resolve("unified/cgroup.controllers"))) {
      own.add(under(ROOT.resolve("unified"), unified));
    }
    if (named != null && Files.exists(ROOT.resolve("systemd/cgroup.procs"))) {
      own.add(under(ROOT.resolve("systemd"), named));
    }
    return own;
  }

  private static Path under(Path mount, String cgroupPath) {
    String relative = cgroupPath.replaceFirst("^/+", "");
    return relative.isEmpty() ? mount : mount.resolve(relative);
  }

  /**
   * A shell command that moves itself into {@code groups} and then runs its arguments, so the
   * program starts inside them (with the same PID).
   */
  static List<String> launcher(List<Path> groups) {
    StringBuilder script = new StringBuilder();
    for (Path group : groups) {
      script.append("echo $$ > '").append(group.resolve("cgroup.procs")).append("' || exit 125; ");
    }
    script.append("exec \"$@\"");
    return List.of("sh", "-c", script.toString(), "testfleet-launch");
  }

  /** Removes the cgroups and what the guest's systemd created below them (deepest first). */
  static void remove(List<Path> groups) throws IOException {
    for (Path group : groups) {
      if (!Files.isDirectory(group)) {
        continue;
      }
      List<Path> directories;
      try (Stream<Path> tree = Files.walk(group)) {
        directories = tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
      }
      for (Path directory : directories) {
        Files.delete(directory); // rmdir; a cgroup's interface files go with it
      }
    }
  }
}
