package dev.basilica.testfleet;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Disposable Debian hosts booted with {@code systemd-nspawn --boot}, each in its own network
 * namespace with its own address, reachable over SSH, installing packages from a local apt
 * repository because they have no route past the test network.
 * <pre>{@code
 * try (TestFleet fleet = TestFleet.builder()
 *     .host("validator")
 *     .host(HostSpec.named("miner").capability("CAP_NET_ADMIN"))
 *     .startOrSkip()) {
 *   TestHost miner = fleet.host("miner");
 *   miner.ssh("apt-get update && apt-get install -y ufw").orThrow();
 * }
 * }</pre>
 * Starting builds the cached image if needed ({@link FleetImage}), claims a free 10.200.N.0/24
 * ({@link FleetNetwork}), serves the repository on 10.200.N.1 ({@link AptRepositoryServer}) and boots
 * the hosts in parallel. Closing stops them and removes every trace; a JVM shutdown hook does the same
 * for a fleet a failing test did not close, and {@code scripts/testfleet/cleanup.sh} removes what a
 * killed JVM left. With {@code BASILICA_TESTFLEET_KEEP=1} closing keeps the hosts running and prints
 * how to reach them.
 *
 * <p>Each host boots the same read-only root filesystem under a tmpfs overlay
 * ({@code --volatile=overlay}), so what differs per host is given to it at boot:
 * <ul>
 *   <li>{@code /root/.ssh}: a per-host directory bound read-write, holding the fleet's public key as
 *       {@code authorized_keys} (convergence may manage root's keys; the changes stay in the run's
 *       temporary directory);
 *   <li>{@code /etc/ssh/ssh_host_ed25519_key} and {@code .pub}: a key pair generated for the host
 *       and bound read-only, so the fleet's known_hosts is written before boot instead of trusted on
 *       first use;
 *   <li>{@code /etc/apt/sources.list.d/basilica-testfleet.list}: the local repository, bound
 *       read-only (the image's own {@code sources.list} is empty);
 *   <li>the hostname ({@code --hostname}) and a random machine id ({@code --uuid}; the image's
 *       {@code /etc/machine-id} is empty).
 * </ul>
 */
public final class TestFleet implements BootedFleet {

  /** Set to 1 to keep the hosts running after the test, for debugging. */
  public static final String KEEP_ENV = "BASILICA_TESTFLEET_KEEP";
  static final String APT_SOURCE_FILE = "/etc/apt/sources.list.d/basilica-testfleet.list";
  private static final Duration POWEROFF_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> TOOLS = List.of(
      "systemd-nspawn", "debootstrap", "ip", "ssh", "ssh-keygen", "setsid", "flock", "curl", "apt-get",
      "sysctl");

  private final Builder settings;
  private final FleetImage image;
  private final Path projectRoot;
  private final Map<String, TestHost> hosts = new LinkedHashMap<>();
  private final Thread shutdownHook = new Thread(this::closeOnExit, "testfleet-shutdown");
  private Path runDirectory;
  private FleetNetwork network;
  private AptRepositoryServer repository;
  private boolean closed;

  private TestFleet(Builder settings, FleetImage image, Path projectRoot) {
    this.settings = settings;
    this.image = image;
    this.projectRoot = projectRoot;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Why this machine cannot run a test fleet, or empty if it looks able to: Linux, root, and the
   * tools on PATH. (Whether the image can be built shows only when {@link Builder#start()} tries.)
   */
  public static Optional<String> unavailableReason() {
    if (!System.getProperty("os.name", "").equals("Linux")) {
      return Optional.of("test fleets need Linux (systemd-nspawn, network namespaces)");
    }
    try {
      String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("Uid:")).map(line -> line.split("\\s+")[1])
          .findFirst().orElse("?");
      if (!uid.equals("0")) {
        return Optional.of("test fleets need root (network namespaces, systemd-nspawn); uid is " + uid);
      }
    } catch (IOException e) {
      return Optional.of("cannot read /proc/self/status: " + e.getMessage());
    }
    List<String> missing = TOOLS.stream().filter(tool -> !onPath(tool)).toList();
    if (!missing.isEmpty()) {
      return Optional.of("test fleets need " + String.join(", ", missing)
          + " on PATH (Debian packages: systemd-container debootstrap iproute2 openssh-client"
          + " util-linux curl procps)");
    }
    return Optional.empty();
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    return Stream.of(path.split(":")).filter(dir -> !dir.isEmpty())
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  /** Which hosts to boot and how. */
  public static final class Builder implements BootedFleet.Builder {
    private final List<HostSpec> specs = new ArrayList<>();
    private Duration bootTimeout = Duration.ofSeconds(90);
    private boolean aptSource = true;
    private boolean keep = "1".equals(System.getenv(KEEP_ENV))
        || Boolean.getBoolean("basilica.testfleet.keep");

    private Builder() {}

    public Builder host(String name) {
      return host(HostSpec.named(name));
    }

    public Builder host(HostSpec spec) {
      if (specs.stream().anyMatch(s -> s.name().equals(spec.name()))) {
        throw new IllegalArgumentException("two hosts named " + spec.name());
      }
      specs.add(spec);
      return this;
    }

    /** How long a host may take from start to a working SSH login (default 90 s). */
    public Builder bootTimeout(Duration timeout) {
      this.bootTimeout = timeout;
      return this;
    }

    /**
     * Whether hosts get the local repository in {@value #APT_SOURCE_FILE} (default yes). Without it
     * they have no apt source at all until a test or its playbook adds one ({@link #aptSourceLine()}).
     */
    public Builder aptSource(boolean enabled) {
      this.aptSource = enabled;
      return this;
    }

    /** Keep the hosts running after close (default: {@value #KEEP_ENV}=1). */
    public Builder keep(boolean keep) {
      this.keep = keep;
      return this;
    }

    /** Boots the fleet; throws {@link FleetUnavailableException} if this machine cannot. */
    public TestFleet start() throws IOException, FleetUnavailableException {
      if (specs.isEmpty()) {
        throw new IllegalStateException("a test fleet needs at least one host");
      }
      Optional<String> reason = unavailableReason();
      if (reason.isPresent()) {
        throw new FleetUnavailableException(reason.get());
      }
      FleetImage image = FleetImage.ensure();
      TestFleet fleet = new TestFleet(this, image, FleetImage.projectRoot());
      try {
        fleet.boot();
      } catch (IOException | RuntimeException | Error e) {
        try {
          fleet.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      return fleet;
    }

    /** {@link #start()}, turning "this machine cannot" into a skipped test with the reason. */
    public TestFleet startOrSkip() throws IOException {
      try {
        return start();
      } catch (FleetUnavailableException e) {
        Assumptions.abort("test fleet unavailable: " + e.getMessage());
        throw new AssertionError("unreachable");
      }
    }
  }

  private void boot() throws IOException {
    runDirectory = Files.createTempDirectory("basilica-testfleet-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    Path key = runDirectory.resolve("id_ed25519");
    sshKeygen(key, "basilica-testfleet");
    String publicKey = Files.readString(key.resolveSibling("id_ed25519.pub")).strip();

    network = FleetNetwork.create(projectRoot);
    network.record("run_dir", runDirectory.toString());
    repository = AptRepositoryServer.start(image.repo(), InetAddress.getByName(network.gateway()));

    Path knownHosts = runDirectory.resolve("known_hosts");
    StringBuilder known = new StringBuilder();
    for (HostSpec spec : settings.specs) {
      String address = network.addHost(spec.name());
      Path dir = Files.createDirectories(runDirectory.resolve("hosts").resolve(spec.name()));
      Path rootSsh = Files.createDirectory(dir.resolve("root-ssh"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Files.writeString(Files.createFile(rootSsh.resolve("authorized_keys"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
          publicKey + "\n");
      Path hostKey = dir.resolve("ssh_host_ed25519_key");
      sshKeygen(hostKey, "root@" + spec.name());
      String[] hostPublic = Files.readString(dir.resolve("ssh_host_ed25519_key.pub")).strip().split("\\s+");
      known.append(spec.name()).append(',').append(address).append(' ')
          .append(hostPublic[0]).append(' ').append(hostPublic[1]).append('\n');
      Files.writeString(dir.resolve("apt.list"), settings.aptSource
          ? "# The test fleet's local repository (TestFleet).\n" + aptSourceLine() + "\n"
          : "# No apt source: the fleet was started with aptSource(false).\n");
      hosts.put(spec.name(), new TestHost(spec.name(), address, network.hostNamespace(spec.name()),
          network.hostNamespace(spec.name()), key, knownHosts, dir));
    }
    Files.writeString(knownHosts, known);

    List<String> cgroups = new ArrayList<>();
    for (TestHost host : hosts.values()) {
      host.cgroups(HostCgroups.create(host.machine()));
      host.cgroups().forEach(group -> cgroups.add(group.toString()));
    }
    network.record("cgroups", String.join(" ", cgroups));

    long bootStart = System.nanoTime();
    for (HostSpec spec : settings.specs) {
      TestHost host = hosts.get(spec.name());
      List<String> command = new ArrayList<>(HostCgroups.launcher(host.cgroups()));
      command.addAll(nspawnCommand(spec, host));
      host.started(new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true)
          .redirectOutput(host.consoleLog().toFile())
          .start());
    }
    network.record("nspawn_pids", hosts.values().stream().map(h -> Long.toString(h.pid()))
        .collect(Collectors.joining(" ")));
    long deadline = bootStart + settings.bootTimeout.toNanos();
    for (TestHost host : hosts.values()) {
      awaitSsh(host, bootStart, deadline);
    }
  }

  private List<String> nspawnCommand(HostSpec spec, TestHost host) {
    Path dir = host.hostDirectory();
    List<String> command = new ArrayList<>(List.of(
        // its own session: a Ctrl-C in the terminal reaches the JVM, whose shutdown hook stops the
        // hosts in order, instead of reaching systemd-nspawn directly
        "setsid",
        "systemd-nspawn",
        "--directory=" + image.rootfs(),
        "--boot",
        "--volatile=overlay",
        // no systemd or D-Bus on the machine to register with or to run a scope unit in
        "--register=no",
        "--keep-unit",
        "--network-namespace-path=" + network.namespacePath(host.namespace()),
        "--machine=" + host.machine(),
        "--hostname=" + spec.name(),
        // the image's /etc/machine-id is empty; without this, every host would get the same one
        "--uuid=" + UUID.randomUUID(),
        // the console (status lines, kernel-style messages of the guest) goes to console.log
        "--console=read-only",
        "--link-journal=no",
        "--resolv-conf=off",
        "--timezone=off",
        "--bind=" + dir.resolve("root-ssh") + ":/root/.ssh",
        "--bind-ro=" + dir.resolve("ssh_host_ed25519_key") + ":/etc/ssh/ssh_host_ed25519_key",
        "--bind-ro=" + dir.resolve("ssh_host_ed25519_key.pub") + ":/etc/ssh/ssh_host_ed25519_key.pub",
        "--bind-ro=" + dir.resolve("apt.list") + ":" + APT_SOURCE_FILE));
    command.addAll(spec.nspawnOptions());
    // An argument for the guest's systemd: always print unit status lines ("[  OK  ] Started ...",
    // "A stop job is running for ...") to the console, so console.log shows where a boot hangs.
    command.add("--");
    command.add("--show-status=yes");
    return command;
  }

  /** Waits for sshd's banner on port 22, then for a real key login with the host key checked. */
  private void awaitSsh(TestHost host, long start, long deadline) throws IOException {
    host.reachable(SshReadiness.await(host, settings.bootTimeout, start, deadline, 50, new SshReadiness.Boot() {
      @Override
      public String gone() {
        return host.process().isAlive() ? null : "systemd-nspawn exited with " + host.process().exitValue();
      }

      @Override
      public String tail() {
        return consoleTail(host);
      }
    }));
  }

  private static String consoleTail(TestHost host) {
    try {
      List<String> lines = Files.readAllLines(host.consoleLog(), StandardCharsets.UTF_8);
      return "last lines of " + host.consoleLog() + ":\n  "
          + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    } catch (IOException e) {
      return "(no console log: " + e.getMessage() + ")";
    }
  }

  private static void sshKeygen(Path file, String comment) throws IOException {
    Exec.run(TOOL_TIMEOUT, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment,
        "-f", file.toString()).orThrow();
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while booting test hosts", e);
    }
  }

  public List<TestHost> hosts() {
    return List.copyOf(hosts.values());
  }

  public TestHost host(String name) {
    TestHost host = hosts.get(name);
    if (host == null) {
      throw new IllegalArgumentException("no host " + name + " in this fleet; hosts: " + hosts.keySet());
    }
    return host;
  }

  /** The local repository as every host reaches it, e.g. {@code http://10.200.7.1:40123/}. */
  public URI repositoryUrl() {
    return repository.url();
  }

  /** The apt source line for the local repository (flat, unsigned, so marked trusted). */
  public String aptSourceLine() {
    return "deb [trusted=yes] " + repositoryUrl() + " ./";
  }

  /** The requests the repository server answered, e.g. to show that apt used it. */
  public List<AptRepositoryServer.Served> repositoryRequests() {
    return repository.served();
  }

  /** The test network, e.g. {@code 10.200.7.0/24}. */
  public String subnet() {
    return network.cidr();
  }

  /** This machine's address on the test network (where the repository listens). */
  public String gatewayAddress() {
    return network.gateway();
  }

  /** The prefix of every name this fleet creates, e.g. {@code bftf7}. */
  public String runName() {
    return network.runName();
  }

  public FleetImage image() {
    return image;
  }

  /** The fleet's temporary directory: keys, known_hosts, each host's console log. */
  public Path runDirectory() {
    return runDirectory;
  }

  /** An Ansible INI inventory with every host in group {@code fleet}. */
  public String ansibleInventory() {
    return "[fleet]\n" + hosts.values().stream().map(TestHost::inventoryLine)
        .collect(Collectors.joining("\n")) + "\n";
  }

  /** Whether closing keeps the hosts running ({@value #KEEP_ENV}=1 or {@link Builder#keep(boolean)}). */
  public boolean kept() {
    return settings.keep;
  }

  /**
   * Namespaces, interfaces, cgroups and the state file of this fleet that still exist (empty after
   * close).
   */
  public List<String> leftovers() throws IOException {
    List<String> found = new ArrayList<>(network == null ? List.of() : network.leftovers());
    hosts.values().stream().flatMap(host -> host.cgroups().stream()).filter(Files::exists)
        .forEach(group -> found.add(group.toString()));
    return found;
  }

  /**
   * Stops the hosts (SIGTERM to each systemd-nspawn, so each guest powers off cleanly; harder signals
   * when one takes longer than 10 s), stops the repository server, removes the network and the
   * temporary directory. With {@link Builder#keep(boolean)} it only prints how to reach the hosts.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException | IllegalArgumentException alreadyExitingOrNeverAdded) {
        // nothing to undo
      }
    }
    if (settings.keep && network != null) {
      keepForDebugging();
      return;
    }
    List<String> problems = new ArrayList<>();
    stopHosts(problems);
    for (TestHost host : hosts.values()) {
      try {
        HostCgroups.remove(host.cgroups());
      } catch (IOException e) {
        problems.add("removing the cgroups of " + host.name() + ": " + e);
      }
    }
    if (repository != null) {
      repository.close();
    }
    if (network != null) {
      network.destroy();
    }
    if (runDirectory != null) {
      try {
        deleteRecursively(runDirectory);
      } catch (IOException e) {
        problems.add("deleting " + runDirectory + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      System.err.println("testfleet: " + String.join("; ", problems));
    }
  }

  private void closeOnExit() {
    System.err.println("testfleet: the JVM is exiting with fleet " + (network == null ? "?" : runName())
        + " still up; stopping it");
    close();
  }

  /**
   * SIGTERM to each systemd-nspawn (the guest's systemd powers off); for a host still up after
   * {@link #POWEROFF_TIMEOUT}, a second SIGTERM (systemd-nspawn then kills the guest); after 5 s more,
   * SIGKILL to systemd-nspawn and the guest's init (which ends every process of its PID namespace).
   * Returns once the processes are gone, so a caller can check that nothing remains.
   */
  private void stopHosts(List<String> problems) {
    Map<TestHost, Long> running = new LinkedHashMap<>();
    for (TestHost host : hosts.values()) {
      Process process = host.process();
      if (process != null && process.isAlive()) {
        running.put(host, host.initPid());
        process.destroy();
      }
    }
    List<TestHost> stuck = awaitExit(running.keySet(), POWEROFF_TIMEOUT);
    for (TestHost host : stuck) {
      problems.add("host " + host.name() + " did not power off within " + POWEROFF_TIMEOUT.toSeconds()
          + " s; terminating it. " + consoleTail(host));
      host.process().destroy();
    }
    for (TestHost host : awaitExit(stuck, Duration.ofSeconds(5))) {
      problems.add("host " + host.name() + " still runs; killing it");
      host.process().destroyForcibly();
      ProcessHandle.of(running.get(host)).ifPresent(ProcessHandle::destroyForcibly);
    }
    awaitExit(stuck, Duration.ofSeconds(5));
    // The guest's init is reaped by the machine's init once systemd-nspawn is gone; wait for that too.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    for (long init : running.values()) {
      while (ProcessHandle.of(init).map(ProcessHandle::isAlive).orElse(false)
          && System.nanoTime() < deadline) {
        pause(50);
      }
    }
  }

  /** Waits for the hosts' systemd-nspawn processes to exit; returns those still running after it. */
  private static List<TestHost> awaitExit(Collection<TestHost> hosts, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<TestHost> alive = new ArrayList<>();
    for (TestHost host : hosts) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!host.process().waitFor(left, TimeUnit.NANOSECONDS)) {
          alive.add(host);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        alive.add(host);
      }
    }
    return alive;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }


  private void keepForDebugging() {
    try {
      network.record("keep", "true");
    } catch (IOException e) {
      System.err.println("testfleet: cannot mark " + runName() + " as kept: " + e.getMessage());
    }
    StringBuilder text = new StringBuilder();
    text.append("testfleet: ").append(KEEP_ENV).append("=1, so fleet ").append(runName())
        .append(" (").append(subnet()).append(") keeps running. Its apt repository server stops with this"
            + " JVM.\n");
    for (TestHost host : hosts.values()) {
      text.append("  ").append(host.name()).append(' ').append(host.address()).append('\n')
          .append("    ssh:      ssh ").append(String.join(" ", host.sshOptions())).append(" root@")
          .append(host.address()).append('\n')
          .append("    shell:    nsenter --target ").append(host.initPid()).append(" --all /bin/bash\n")
          .append("    netns:    ip netns exec ").append(host.namespace()).append(" ss -tlnp\n")
          .append("    console:  ").append(host.consoleLog()).append('\n');
    }
    text.append("  remove it: scripts/testfleet/cleanup.sh --run ").append(network.subnet())
        .append(" (also deletes ").append(runDirectory).append(")\n");
    System.err.print(text);
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
