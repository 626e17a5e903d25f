package dev.basilica.operate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ssh} command line for one host of the inventory, as strict as the playbooks: keys only, no
 * prompts, and the host key checked against the project's {@code state/<env>/known_hosts} alone
 * ({@code StrictHostKeyChecking=yes}; the user's and the system's known hosts are not consulted).
 */
public final class Ssh {

    private final String program;
    private final Path knownHosts;

    /** @param program the ssh executable; @param knownHosts {@code state/<env>/known_hosts} */
    public Ssh(String program, Path knownHosts) {
        this.program = program;
        this.knownHosts = knownHosts;
    }

    /**
     * {@code ssh OPTIONS -l user -- address remoteCommand}; a non-root user runs it through {@code sudo -n}.
     * The remote command is shell text on the host: callers build it from fixed words and service ids only.
     */
    public List<String> command(Inventory.Host host, String remoteCommand, boolean asRoot) {
        List<String> cmd = new ArrayList<>(List.of(program,
                "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "ConnectTimeout=10",
                "-o", "ServerAliveInterval=15",
                "-o", "LogLevel=ERROR",
                "-p", Integer.toString(host.port())));
        if (host.key() != null) cmd.addAll(List.of("-i", host.key(), "-o", "IdentitiesOnly=yes"));
        if (host.user() != null) cmd.addAll(List.of("-l", host.user()));
        // "--" before the destination: an address that starts with '-' (-oProxyCommand=...) is then a host
        // name ssh refuses, never an option; ssh parses no options after the destination either.
        cmd.add("--");
        cmd.add(host.address());
        boolean sudo = asRoot && host.user() != null && !host.user().equals("root");
        cmd.add(sudo ? "sudo -n " + remoteCommand : remoteCommand);
        return cmd;
    }
}
