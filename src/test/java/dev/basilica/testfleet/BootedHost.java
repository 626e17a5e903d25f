package dev.basilica.testfleet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One booted test host, whichever backend booted it ({@link TestHost} for systemd-nspawn,
 * {@link DockerHost} for Docker): its own systemd, sshd and address, reachable from the test JVM over
 * SSH as root with the fleet's key, its host key pinned in the fleet's known_hosts.
 */
public interface BootedHost {

  /** The host's name: its hostname, and its name in inventories. */
  String name();

  /** Its IPv4 address on the test network, reachable from the test JVM. */
  String address();

  int sshPort();

  String user();

  /** The fleet's private key, which every host accepts for root. */
  Path privateKey();

  /** A known_hosts file with every host of the fleet, for {@code StrictHostKeyChecking=yes}. */
  Path knownHosts();

  /** How long it took from starting the host until {@code ssh ... true} succeeded. */
  Duration bootToSsh();

  /**
   * Options for OpenSSH (also what {@code ansible_ssh_common_args} needs): this fleet's key and
   * known_hosts only, no agent, no user or system ssh_config, no prompts.
   */
  default List<String> sshOptions() {
    return List.of(
        "-F", "/dev/null",
        "-i", privateKey().toString(),
        "-o", "IdentitiesOnly=yes",
        "-o", "IdentityAgent=none",
        "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=yes",
        "-o", "UserKnownHostsFile=" + knownHosts(),
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "ConnectTimeout=10",
        "-o", "LogLevel=ERROR");
  }

  /** The ssh command line that runs {@code remoteCommand} on this host, host key checked. */
  default List<String> sshCommand(String remoteCommand) {
    List<String> command = new ArrayList<>(List.of("ssh"));
    command.addAll(sshOptions());
    command.add("-p");
    command.add(Integer.toString(sshPort()));
    command.add(user() + "@" + address());
    command.add("--");
    command.add(remoteCommand);
    return command;
  }

  /** Runs a shell command on the host as root and returns what it printed; no exception on failure. */
  default Exec.Result ssh(String remoteCommand) throws IOException {
    return ssh(remoteCommand, TestHost.DEFAULT_SSH_TIMEOUT);
  }

  default Exec.Result ssh(String remoteCommand, Duration timeout) throws IOException {
    return Exec.run(timeout, sshCommand(remoteCommand));
  }

  /** An Ansible INI inventory line for this host. */
  default String inventoryLine() {
    return name() + " ansible_host=" + address() + " ansible_port=" + sshPort() + " ansible_user="
        + user() + " ansible_ssh_private_key_file=" + privateKey()
        + " ansible_ssh_common_args='-o UserKnownHostsFile=" + knownHosts()
        + " -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes'";
  }
}
