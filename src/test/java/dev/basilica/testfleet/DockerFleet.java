package dev.basilica.testfleet;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network.Ipam;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Disposable Debian hosts as systemd-booted Docker containers (through Testcontainers), on one
 * Docker network created {@code --internal}: the second backend of {@link BootedFleet}, for machines
 * with a Docker daemon, and for what systemd-nspawn hosts cannot do (running containers inside a host).
 * <pre>{@code
 * try (DockerFleet fleet = DockerFleet.builder().host("executor").startOrSkip()) {
 *   fleet.host("executor").ssh("apt-get update && apt-get install -y docker.io").orThrow();
 * }
 * }</pre>
 * Starting builds the cached image if needed ({@link FleetImage}), imports its root filesystem into
 * the daemon once per image key as {@code basilica-testfleet:KEY} (nothing is pulled), creates the
 * network, serves the apt repository from the test JVM on the network's gateway address
 * ({@link AptRepositoryServer}), and starts one container per host:
 * <ul>
 *   <li>command {@code /lib/systemd/systemd}, tmpfs on {@code /run} and {@code /run/lock}, the
 *       machine's cgroup tree mounted read-write in the host cgroup namespace, every capability but
 *       {@code CAP_SYS_RESOURCE}, no seccomp or AppArmor profile, all devices allowed in the device
 *       cgroup (what systemd, and a Docker daemon inside, need; {@code --privileged} fails where the
 *       daemon itself lacks {@code CAP_SYS_RESOURCE});
 *   <li>copied in before start: a host key generated for the host (so the fleet's known_hosts is
 *       written before boot), root's {@code authorized_keys} and the apt source line;
 *   <li>IPv6 disabled, and the default route Docker gives containers even on an internal network
 *       deleted before systemd gets far, so a host reaches its network and nothing else.
 * </ul>
 * Closing removes the containers and the network (the imported image stays, as a cache); a JVM
 * shutdown hook does the same for a fleet a failing test did not close, and the next fleet to start
 * removes what a killed JVM left (containers and networks labelled with an owner PID that is gone).
 * Testcontainers' Ryuk is not used (no registry to pull it from); Surefire sets
 * {@code TESTCONTAINERS_RYUK_DISABLED=true}.
 */
public final class DockerFleet implements BootedFleet {

  /** Set to 1 to keep the hosts running after the test, for debugging (the same as TestFleet). */
  public static final String KEEP_ENV = TestFleet.KEEP_ENV;
  static final String IMAGE_REPOSITORY = "basilica-testfleet";
  static final String LABEL_RUN = "dev.basilica.testfleet.run";
  static final String LABEL_OWNER = "dev.basilica.testfleet.owner";
  static final String LABEL_KEEP = "dev.basilica.testfleet.keep";
  static final String NAME_PREFIX = "bdf";
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

  private final Builder settings;
  private final FleetImage image;
  private final String runName = NAME_PREFIX
      + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
  private final Map<String, DockerHost> hosts = new LinkedHashMap<>();
  private final Thread shutdownHook = new Thread(this::closeOnExit, "dockerfleet-shutdown");
  private DockerClient client;
  private Path runDirectory;
  private Network network;
  private String networkId;
  private String subnet;
  private String gateway;
  private AptRepositoryServer repository;
  private boolean closed;

  private DockerFleet(Builder settings, FleetImage image) {
    this.settings = settings;
    this.image = image;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Why this machine cannot run a Docker fleet, or empty if it looks able to: a Docker daemon
   * reachable (Testcontainers' discovery: {@code DOCKER_HOST}, then the usual sockets) and
   * {@code ssh}/{@code ssh-keygen}/{@code tar} on PATH. The image needs {@link FleetImage}, whose
   * build needs root and debootstrap on Linux; that shows only when {@link Builder#start()} tries.
   */
  public static Optional<String> unavailableReason() {
    List<String> missing = Stream.of("ssh", "ssh-keygen", "tar", "docker").filter(t -> !onPath(t)).toList();
    if (!missing.isEmpty()) {
      return Optional.of("Docker test fleets need " + String.join(", ", missing) + " on PATH");
    }
    try {
      DockerClientFactory.instance().client();
    } catch (RuntimeException e) {
      String hint = "true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED")) ? ""
          : " (outside Maven, also set TESTCONTAINERS_RYUK_DISABLED=true and"
              + " TESTCONTAINERS_CHECKS_DISABLE=true: both would pull images)";
      return Optional.of("no Docker daemon reachable (set DOCKER_HOST, or start one;"
          + " scripts/test.sh starts its own)" + hint + ": " + e.getMessage());
    }
    return Optional.empty();
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    return Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  /** Which hosts to boot and how. */
  public static final class Builder implements BootedFleet.Builder {
    private final List<HostSpec> specs = new ArrayList<>();
    private Duration bootTimeout = Duration.ofSeconds(90);
    private boolean aptSource = true;
    private final List<Path> extraDebs = new ArrayList<>();
    private boolean keep = "1".equals(System.getenv(KEEP_ENV))
        || Boolean.getBoolean("basilica.testfleet.keep");

    private Builder() {}

    @Override
    public Builder host(String name) {
      return host(HostSpec.named(name));
    }

    /**
     * A host. Of the spec, binds (paths on the Docker daemon's machine) and the environment of PID 1
     * apply; capabilities are ignored, since every host already has all but CAP_SYS_RESOURCE.
     */
    @Override
    public Builder host(HostSpec spec) {
      if (specs.stream().anyMatch(s -> s.name().equals(spec.name()))) {
        throw new IllegalArgumentException("two hosts named " + spec.name());
      }
      specs.add(spec);
      return this;
    }

    @Override
    public Builder bootTimeout(Duration timeout) {
      this.bootTimeout = timeout;
      return this;
    }

    @Override
    public Builder aptSource(boolean enabled) {
      this.aptSource = enabled;
      return this;
    }

    /**
     * A {@code .deb} the repository serves besides the cached ones (listed in its index), e.g. a
     * stand-in a test builds for a package that is not in Debian; the cache is not changed.
     */
    public Builder extraPackage(Path deb) {
      extraDebs.add(deb);
      return this;
    }

    @Override
    public Builder keep(boolean keep) {
      this.keep = keep;
      return this;
    }

    @Override
    public DockerFleet start() throws IOException, FleetUnavailableException {
      if (specs.isEmpty()) {
        throw new IllegalStateException("a test fleet needs at least one host");
      }
      Optional<String> reason = unavailableReason();
      if (reason.isPresent()) {
        throw new FleetUnavailableException(reason.get());
      }
      FleetImage image = FleetImage.ensure();
      DockerFleet fleet = new DockerFleet(this, image);
      try {
        fleet.boot();
      } catch (IOException | FleetUnavailableException | RuntimeException | Error e) {
        try {
          fleet.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      return fleet;
    }

    @Override
    public DockerFleet startOrSkip() throws IOException {
      try {
        return start();
      } catch (FleetUnavailableException e) {
        Assumptions.abort("Docker test fleet unavailable: " + e.getMessage());
        throw new AssertionError("unreachable");
      }
    }
  }

  private void boot() throws IOException, FleetUnavailableException {
    client = DockerClientFactory.instance().client();
    removeStale(client);
    runDirectory = Files.createTempDirectory("basilica-dockerfleet-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    String imageName = ensureImage();

    // a kept fleet is labelled so, and left alone by the stale-fleet cleanup of later runs
    Map<String, String> labels = Map.of(LABEL_RUN, runName, LABEL_OWNER, owner(),
        LABEL_KEEP, Boolean.toString(settings.keep));
    network = Network.builder().createNetworkCmdModifier(cmd -> cmd
        .withName(runName)
        .withInternal(true)
        .withLabels(labels)
        // the bridge's name on the daemon's machine, to find it there (at most 15 characters)
        .withOptions(Map.of("com.docker.network.bridge.name", runName))).build();
    networkId = network.getId();
    Ipam.Config ipam = client.inspectNetworkCmd().withNetworkId(networkId).exec().getIpam().getConfig()
        .get(0);
    subnet = ipam.getSubnet();
    gateway = ipam.getGateway();
    try {
      Path overlay = settings.extraDebs.isEmpty() ? null
          : AptOverlay.write(image.repo(), settings.extraDebs, runDirectory.resolve("repo-overlay"));
      repository = AptRepositoryServer.start(image.repo(), overlay, InetAddress.getByName(gateway));
    } catch (BindException e) {
      throw new FleetUnavailableException("the Docker network's gateway " + gateway + " is not an"
          + " address of this machine, so the test JVM can reach neither the hosts nor serve them the"
          + " repository (a Docker daemon in a VM, such as Docker Desktop's?): " + e.getMessage());
    }

    Path key = runDirectory.resolve("id_ed25519");
    sshKeygen(key, "basilica-testfleet");
    Path authorizedKeys = Files.writeString(runDirectory.resolve("authorized_keys"),
        Files.readString(key.resolveSibling("id_ed25519.pub")).strip() + "\n");
    Path knownHosts = runDirectory.resolve("known_hosts");
    Files.writeString(knownHosts, "");

    for (HostSpec spec : settings.specs) {
      Path dir = Files.createDirectories(runDirectory.resolve("hosts").resolve(spec.name()));
      Path hostKey = dir.resolve("ssh_host_ed25519_key");
      sshKeygen(hostKey, "root@" + spec.name());
      Path aptList = Files.writeString(dir.resolve("apt.list"), settings.aptSource
          ? "# The test fleet's local repository (DockerFleet).\n" + aptSourceLine() + "\n"
          : "# No apt source: the fleet was started with aptSource(false).\n");
      GenericContainer<?> container = container(imageName, spec, labels)
          .withCopyFileToContainer(MountableFile.forHostPath(hostKey, 0600),
              "/etc/ssh/ssh_host_ed25519_key")
          .withCopyFileToContainer(MountableFile.forHostPath(dir.resolve("ssh_host_ed25519_key.pub"),
              0644), "/etc/ssh/ssh_host_ed25519_key.pub")
          .withCopyFileToContainer(MountableFile.forHostPath(authorizedKeys, 0600),
              "/root/.ssh/authorized_keys")
          .withCopyFileToContainer(MountableFile.forHostPath(aptList, 0644), TestFleet.APT_SOURCE_FILE);
      hosts.put(spec.name(), new DockerHost(spec.name(), key, knownHosts, container));
    }

    long bootStart = System.nanoTime();
    StringBuilder known = new StringBuilder();
    for (DockerHost host : hosts.values()) {
      host.container().start();
      var info = host.container().getContainerInfo();
      ContainerNetwork attached = info.getNetworkSettings().getNetworks().get(runName);
      if (attached == null || attached.getIpAddress() == null || attached.getIpAddress().isEmpty()) {
        throw new IOException("host " + host.name() + " has no address on " + runName + ": "
            + info.getNetworkSettings().getNetworks().keySet());
      }
      host.started(info.getId(), attached.getIpAddress());
      // Docker gives a container a default route via the gateway even on an internal network (its
      // isolation is firewall rules, which a daemon started with --iptables=false does not make).
      // Delete it, so that anything beyond the network fails in the host's own kernel.
      host.exec("sh", "-c", "ip -4 route del default 2>/dev/null; ip -4 route show default").orThrow();
      String[] hostPublic = Files.readString(runDirectory.resolve("hosts").resolve(host.name())
          .resolve("ssh_host_ed25519_key.pub")).strip().split("\\s+");
      known.append(host.name()).append(',').append(host.address()).append(' ')
          .append(hostPublic[0]).append(' ').append(hostPublic[1]).append('\n');
    }
    Files.writeString(knownHosts, known);
    long deadline = bootStart + settings.bootTimeout.toNanos();
    for (DockerHost host : hosts.values()) {
      awaitSsh(host, bootStart, deadline);
    }
  }

  private GenericContainer<?> container(String imageName, HostSpec spec, Map<String, String> labels) {
    GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(imageName))
        // never pull: the image is local (imported), and Testcontainers' own lookup of local images
        // misses imported ones and then tries a registry for minutes
        .withImagePullPolicy(name -> false)
        .withNetwork(network)
        .withNetworkAliases(spec.name())
        .withEnv(spec.environment())
        .withLabels(labels)
        .withCommand("/lib/systemd/systemd", "--show-status=yes")
        .withCreateContainerCmdModifier(cmd -> {
          cmd.withName(runName + "-" + spec.name()).withHostName(spec.name())
              .withStopSignal("SIGRTMIN+3");
          cmd.getHostConfig()
              .withCapAdd(Capability.ALL)
              .withCapDrop(Capability.SYS_RESOURCE)
              .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
              .withDeviceCgroupRules(List.of("a *:* rwm"))
              .withCgroupnsMode("host")
              .withTmpFs(Map.of("/run", "rw,nosuid,nodev,mode=755", "/run/lock", "rw,nosuid,nodev"))
              // ip_forward: a dockerd inside the host turns it on at start and cannot (/proc/sys is
              // read-only in a container); set here, in the host's own network namespace only, it lets
              // the host route between its own interfaces (eth0, docker0), as on a real Docker host.
              // The host still has no route past the test network.
              .withSysctls(Map.of("net.ipv6.conf.all.disable_ipv6", "1",
                  "net.ipv6.conf.default.disable_ipv6", "1",
                  "net.ipv4.ip_forward", "1"));
        });
    container.withFileSystemBind("/sys/fs/cgroup", "/sys/fs/cgroup", BindMode.READ_WRITE);
    spec.binds().forEach((hostPath, guest) ->
        container.withFileSystemBind(hostPath.toString(), guest, BindMode.READ_WRITE));
    spec.readOnlyBinds().forEach((hostPath, guest) ->
        container.withFileSystemBind(hostPath.toString(), guest, BindMode.READ_ONLY));
    return container;
  }

  /**
   * The image of the fleet's root filesystem in the daemon, imported ({@code docker import}) the first
   * time this image key is used on this daemon; later fleets reuse it.
   */
  private String ensureImage() throws IOException {
    String name = IMAGE_REPOSITORY + ":" + image.key();
    try {
      client.inspectImageCmd(name).exec();
      return name;
    } catch (NotFoundException absent) {
      // import it below
    }
    System.err.println("dockerfleet: importing " + image.rootfs() + " as " + name);
    // tar | docker import, through the CLI: docker-java's import (createImageCmd) sends a streamed body
    // that the daemon reads as a truncated archive ("unexpected EOF").
    String host = DockerClientFactory.instance().getTransportConfig().getDockerHost().toString();
    List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
        new ProcessBuilder("tar", "-C", image.rootfs().toString(), "--numeric-owner", "-c", ".")
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(ProcessBuilder.Redirect.DISCARD),
        new ProcessBuilder("docker", "-H", host, "import", "-", name)
            .redirectErrorStream(true)));
    try {
      for (Process step : pipeline) {
        if (!step.waitFor(5, TimeUnit.MINUTES)) {
          pipeline.forEach(Process::destroyForcibly);
          throw new IOException("importing " + name + " ran past 5 minutes");
        }
      }
      Process docker = pipeline.get(1);
      String output = new String(docker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (pipeline.get(0).exitValue() != 0 || docker.exitValue() != 0) {
        throw new IOException("tar -C " + image.rootfs() + " -c . | docker -H " + host + " import - "
            + name + " failed (tar " + pipeline.get(0).exitValue() + ", docker " + docker.exitValue()
            + "): " + output.strip());
      }
    } catch (InterruptedException e) {
      pipeline.forEach(Process::destroyForcibly);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while importing " + name, e);
    }
    client.inspectImageCmd(name).exec();
    return name;
  }

  /** This JVM, as the owner label records it: PID and start time. */
  private static String owner() {
    ProcessHandle self = ProcessHandle.current();
    return self.pid() + "@" + self.info().startInstant().map(Object::toString).orElse("?");
  }

  private static boolean ownerAlive(String owner) {
    if (owner == null || !owner.contains("@")) {
      return true; // not ours to judge
    }
    String[] parts = owner.split("@", 2);
    try {
      return ProcessHandle.of(Long.parseLong(parts[0]))
          .map(p -> p.info().startInstant().map(Object::toString).orElse("?").equals(parts[1]))
          .orElse(false);
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** Removes the containers and networks of Docker fleets whose JVM is gone (and were not kept). */
  private static void removeStale(DockerClient client) {
    client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(LABEL_OWNER)).exec().stream()
        .filter(c -> !ownerAlive(c.getLabels().get(LABEL_OWNER)))
        .filter(c -> !"true".equals(c.getLabels().get(LABEL_KEEP)))
        .forEach(c -> {
          System.err.println("dockerfleet: removing stale container " + String.join(",", c.getNames()));
          client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        });
    client.listNetworksCmd().exec().stream()
        .filter(n -> n.getLabels() != null && n.getLabels().containsKey(LABEL_OWNER))
        .filter(n -> !ownerAlive(n.getLabels().get(LABEL_OWNER)))
        .filter(n -> !"true".equals(n.getLabels().get(LABEL_KEEP)))
        .filter(n -> n.getContainers() == null || n.getContainers().isEmpty())
        .forEach(n -> {
          System.err.println("dockerfleet: removing stale network " + n.getName());
          client.removeNetworkCmd(n.getId()).exec();
        });
  }

  /** Waits for sshd's banner on port 22, then for a real key login with the host key checked. */
  private void awaitSsh(DockerHost host, long start, long deadline) throws IOException {
    host.reachable(SshReadiness.await(host, settings.bootTimeout, start, deadline, 100, new SshReadiness.Boot() {
      @Override
      public String gone() {
        return host.container().isRunning() ? null : "the container stopped";
      }

      @Override
      public String tail() {
        return logTail(host);
      }
    }));
  }

  private static String logTail(DockerHost host) {
    try {
      List<String> lines = host.container().getLogs().lines().toList();
      return "last lines of the container's console:\n  "
          + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    } catch (RuntimeException e) {
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

  @Override
  public List<DockerHost> hosts() {
    return List.copyOf(hosts.values());
  }

  @Override
  public DockerHost host(String name) {
    DockerHost host = hosts.get(name);
    if (host == null) {
      throw new IllegalArgumentException("no host " + name + " in this fleet; hosts: " + hosts.keySet());
    }
    return host;
  }

  @Override
  public URI repositoryUrl() {
    return repository.url();
  }

  @Override
  public List<AptRepositoryServer.Served> repositoryRequests() {
    return repository.served();
  }

  /** The Docker network's subnet, e.g. {@code 172.18.0.0/16}. */
  @Override
  public String subnet() {
    return subnet;
  }

  /** The Docker network's gateway: the bridge's address on this machine, where the repository listens. */
  @Override
  public String gatewayAddress() {
    return gateway;
  }

  /** The prefix of every name this fleet creates in the daemon: the network, the bridge, containers. */
  public String runName() {
    return runName;
  }

  /** The image the hosts run, {@code basilica-testfleet:KEY}. */
  public String imageName() {
    return IMAGE_REPOSITORY + ":" + image.key();
  }

  /** The Docker client the fleet uses (Testcontainers'). */
  public DockerClient dockerClient() {
    return client;
  }

  public FleetImage image() {
    return image;
  }

  @Override
  public Path runDirectory() {
    return runDirectory;
  }

  @Override
  public boolean kept() {
    return settings.keep;
  }

  /** Containers and networks of this fleet that the daemon still has, and its temporary directory. */
  @Override
  public List<String> leftovers() {
    List<String> found = new ArrayList<>();
    if (client == null) {
      return found;
    }
    client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL_RUN, runName)).exec()
        .forEach(c -> found.add("container " + String.join(",", c.getNames())));
    client.listNetworksCmd().exec().stream().filter(n -> n.getName().equals(runName))
        .forEach(n -> found.add("network " + n.getName()));
    if (runDirectory != null && Files.exists(runDirectory)) {
      found.add(runDirectory.toString());
    }
    // Where the daemon runs on this machine: the containers' cgroups (systemd inside made its own
    // below them) must be gone with the containers.
    for (DockerHost host : hosts.values()) {
      if (host.containerId() != null) {
        found.addAll(cgroupsOf(host.containerId()));
      }
    }
    return found;
  }

  /** The cgroup directories named after a container under /sys/fs/cgroup (v1 controllers and v2). */
  private static List<String> cgroupsOf(String containerId) {
    Path root = Path.of("/sys/fs/cgroup");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.find(root, 4,
        (path, attributes) -> attributes.isDirectory() && path.getFileName().toString().equals(containerId))) {
      return paths.map(Path::toString).toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of("(cannot search /sys/fs/cgroup: " + e.getMessage() + ")");
    }
  }

  /**
   * Removes the containers (Docker kills systemd; nothing of a host outlives its container), the
   * network, the repository server and the temporary directory. With keep, only prints how to reach
   * the hosts.
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
    if (settings.keep && networkId != null) {
      keepForDebugging();
      return;
    }
    List<String> problems = new ArrayList<>();
    for (DockerHost host : hosts.values()) {
      try {
        host.container().stop();
      } catch (RuntimeException e) {
        problems.add("removing the container of " + host.name() + ": " + e.getMessage());
      }
    }
    if (repository != null) {
      repository.close();
    }
    if (network != null && networkId != null) {
      try {
        client.removeNetworkCmd(networkId).exec();
      } catch (NotFoundException gone) {
        // already removed
      } catch (RuntimeException e) {
        problems.add("removing network " + runName + ": " + e.getMessage());
      }
    }
    if (runDirectory != null) {
      try {
        deleteRecursively(runDirectory);
      } catch (IOException | UncheckedIOException e) {
        problems.add("deleting " + runDirectory + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      System.err.println("dockerfleet: " + String.join("; ", problems));
    }
  }

  private void closeOnExit() {
    System.err.println("dockerfleet: the JVM is exiting with fleet " + runName + " still up; removing it");
    close();
  }

  private void keepForDebugging() {
    StringBuilder text = new StringBuilder();
    text.append("dockerfleet: ").append(KEEP_ENV).append("=1, so fleet ").append(runName).append(" (")
        .append(subnet).append(") keeps running. Its apt repository server stops with this JVM.\n");
    for (DockerHost host : hosts.values()) {
      text.append("  ").append(host.name()).append(' ').append(host.address()).append('\n')
          .append("    ssh:    ssh ").append(String.join(" ", host.sshOptions())).append(" root@")
          .append(host.address()).append('\n')
          .append("    shell:  docker exec -it ").append(runName).append('-').append(host.name())
          .append(" bash\n");
    }
    text.append("  remove it: docker rm -f $(docker ps -aq --filter label=").append(LABEL_RUN).append('=')
        .append(runName).append(") && docker network rm ").append(runName).append("; rm -rf ")
        .append(runDirectory).append('\n');
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
