package dev.basilica.testfleet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one test host is booted with beyond the common image:
 * <pre>{@code
 * HostSpec.named("gpu-1")
 *     .capability("CAP_NET_ADMIN")                  // e.g. so ufw can load its rules
 *     .bindReadOnly(Path.of("fixtures/nvidia-smi"), "/usr/local/bin/nvidia-smi")
 *     .setenv("BASILICA_ENV", "test");              // in PID 1's environment
 * }</pre>
 *
 * @param name the host's name: its hostname inside, and how tests and inventories refer to it
 * @param capabilities extra capabilities for the container, as {@code systemd-nspawn --capability=}
 * @param binds host paths mounted read-write at guest paths ({@code --bind=})
 * @param readOnlyBinds host paths mounted read-only at guest paths ({@code --bind-ro=})
 * @param environment variables for the guest's PID 1 ({@code --setenv=})
 */
public record HostSpec(
    String name,
    List<String> capabilities,
    Map<Path, String> binds,
    Map<Path, String> readOnlyBinds,
    Map<String, String> environment) {

  /** Lower case, digits and dashes, at most 30 characters: a valid hostname and netns name part. */
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,29}");
  private static final Pattern CAPABILITY = Pattern.compile("CAP_[A-Z_]+");

  public HostSpec {
    if (name == null || !NAME.matcher(name).matches() || name.endsWith("-")) {
      throw new IllegalArgumentException("host name must match " + NAME + " and not end in '-': " + name);
    }
    for (String capability : capabilities) {
      if (!CAPABILITY.matcher(capability).matches()) {
        throw new IllegalArgumentException("not a capability name: " + capability);
      }
    }
    binds.forEach(HostSpec::requireBindPaths);
    readOnlyBinds.forEach(HostSpec::requireBindPaths);
    capabilities = List.copyOf(capabilities);
    binds = Map.copyOf(binds);
    readOnlyBinds = Map.copyOf(readOnlyBinds);
    environment = Map.copyOf(environment);
  }

  public static HostSpec named(String name) {
    return new HostSpec(name, List.of(), Map.of(), Map.of(), Map.of());
  }

  public HostSpec capability(String capability) {
    List<String> more = new ArrayList<>(capabilities);
    more.add(capability);
    return new HostSpec(name, more, binds, readOnlyBinds, environment);
  }

  public HostSpec bind(Path hostPath, String guestPath) {
    Map<Path, String> more = new LinkedHashMap<>(binds);
    more.put(hostPath.toAbsolutePath(), guestPath);
    return new HostSpec(name, capabilities, more, readOnlyBinds, environment);
  }

  public HostSpec bindReadOnly(Path hostPath, String guestPath) {
    Map<Path, String> more = new LinkedHashMap<>(readOnlyBinds);
    more.put(hostPath.toAbsolutePath(), guestPath);
    return new HostSpec(name, capabilities, binds, more, environment);
  }

  public HostSpec setenv(String variable, String value) {
    Map<String, String> more = new LinkedHashMap<>(environment);
    more.put(variable, value);
    return new HostSpec(name, capabilities, binds, readOnlyBinds, more);
  }

  /** The {@code systemd-nspawn} options this spec adds, in a stable order. */
  List<String> nspawnOptions() {
    List<String> options = new ArrayList<>();
    capabilities.stream().sorted().forEach(c -> options.add("--capability=" + c));
    binds.entrySet().stream().sorted(Map.Entry.comparingByValue())
        .forEach(e -> options.add("--bind=" + e.getKey() + ":" + e.getValue()));
    readOnlyBinds.entrySet().stream().sorted(Map.Entry.comparingByValue())
        .forEach(e -> options.add("--bind-ro=" + e.getKey() + ":" + e.getValue()));
    environment.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> options.add("--setenv=" + e.getKey() + "=" + e.getValue()));
    return options;
  }

  /** systemd-nspawn separates a bind's paths with ':', so neither may contain one. */
  private static void requireBindPaths(Path hostPath, String guestPath) {
    if (hostPath.toString().contains(":") || !guestPath.startsWith("/") || guestPath.contains(":")) {
      throw new IllegalArgumentException(
          "bind paths must be free of ':' and the guest path absolute: " + hostPath + " -> " + guestPath);
    }
  }
}
