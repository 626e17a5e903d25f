package dev.basilica.testfleet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One booted host of a {@link TestFleet}: its own systemd, sshd and address, reachable from the test
 * JVM over SSH as root with the fleet's key, its host key pinned in the fleet's known_hosts.
 */
public final class TestHost implements BootedHost {

  static final Duration DEFAULT_SSH_TIMEOUT = Duration.ofMinutes(5);

  private final String name;
  private final String address;
  private final String namespace;
  private final String machine;
  private final Path privateKey;
  private final Path knownHosts;
  private final Path consoleLog;
  private final Path hostDirectory;
  private volatile Process nspawn;
  private volatile List<Path> cgroups = List.of();
  private volatile Duration bootToSsh;

  TestHost(String name, String address, String namespace, String machine, Path privateKey,
      Path knownHosts, Path hostDirectory) {
    this.name = name;
    this.address = address;
    this.namespace = namespace;
    this.machine = machine;
    this.privateKey = privateKey;
    this.knownHosts = knownHosts;
    this.hostDirectory = hostDirectory;
    this.consoleLog = hostDirectory.resolve("console.log");
  }

  /** The host's name: its hostname, and its name in inventories. */
  public String name() {
    return name;
  }

  /** Its IPv4 address on the test network, e.g. {@code 10.200.7.2}. */
  public String address() {
    return address;
  }

  public int sshPort() {
    return 22;
  }

  public String user() {
    return "root";
  }

  /** The fleet's private key, which every host accepts for root. */
  public Path privateKey() {
    return privateKey;
  }

  /** A known_hosts file with every host of the fleet, for {@code StrictHostKeyChecking=yes}. */
  public Path knownHosts() {
    return knownHosts;
  }

  /** The network namespace the host runs in ({@code ip netns exec NAME ...} reaches it from outside). */
  public String namespace() {
    return namespace;
  }

  /** The {@code systemd-nspawn --machine} name, unique on this machine. */
  public String machine() {
    return machine;
  }

  /** What systemd-nspawn and the guest's console printed. */
  public Path consoleLog() {
    return consoleLog;
  }

  /** The PID of the host's {@code systemd-nspawn}, or -1 before it starts. */
  public long pid() {
    Process process = nspawn;
    return process == null ? -1 : process.pid();
  }

  /** The PID (on this machine) of the host's init, or -1 when it does not run. */
  public long initPid() {
    Process process = nspawn;
    if (process == null) {
      return -1;
    }
    return process.toHandle().children()
        .filter(child -> child.info().command().map(c -> c.endsWith("/systemd") || c.endsWith("/init"))
            .orElse(false))
        .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
  }

  /** How long it took from starting systemd-nspawn until {@code ssh ... true} succeeded. */
  public Duration bootToSsh() {
    return bootToSsh;
  }

  /** The ssh command line that runs {@code remoteCommand} on this host, host key checked. */
  public List<String> sshCommand(String remoteCommand) {
    List<String> command = new ArrayList<>(List.of("ssh"));
    command.addAll(sshOptions());
    command.add("-p");
    command.add(Integer.toString(sshPort()));
    command.add(user() + "@" + address);
    command.add("--");
    command.add(remoteCommand);
    return command;
  }

  /**
   * Options for OpenSSH (also what {@code ansible_ssh_common_args} needs): this fleet's key and
   * known_hosts only, no agent, no user or system ssh_config, no prompts.
   */
  public List<String> sshOptions() {
    return List.of(
        "-F", "/dev/null",
        "-i", privateKey.toString(),
        "-o", "IdentitiesOnly=yes",
        "-o", "IdentityAgent=none",
        "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=yes",
        "-o", "UserKnownHostsFile=" + knownHosts,
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "ConnectTimeout=10",
        "-o", "LogLevel=ERROR");
  }

  /** Runs a shell command on the host as root and returns what it printed; no exception on failure. */
  public Exec.Result ssh(String remoteCommand) throws IOException {
    return ssh(remoteCommand, DEFAULT_SSH_TIMEOUT);
  }

  public Exec.Result ssh(String remoteCommand, Duration timeout) throws IOException {
    return Exec.run(timeout, sshCommand(remoteCommand));
  }

  /** An Ansible INI inventory line for this host. */
  public String inventoryLine() {
    return name + " ansible_host=" + address + " ansible_port=" + sshPort() + " ansible_user=" + user()
        + " ansible_ssh_private_key_file=" + privateKey
        + " ansible_ssh_common_args='-o UserKnownHostsFile=" + knownHosts
        + " -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes'";
  }

  Path hostDirectory() {
    return hostDirectory;
  }

  Process process() {
    return nspawn;
  }

  /** The cgroups systemd-nspawn runs in (see {@link HostCgroups}). */
  List<Path> cgroups() {
    return cgroups;
  }

  void cgroups(List<Path> groups) {
    this.cgroups = List.copyOf(groups);
  }

  void started(Process process) {
    this.nspawn = process;
  }

  void reachable(Duration elapsed) {
    this.bootToSsh = elapsed;
  }

  @Override
  public String toString() {
    return name + "@" + address;
  }
}
