package dev.basilica.cli;

import dev.basilica.operate.PlaybookRun;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code network keys}: distribute the SSH keys, or rotate the operator's login key. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Distribute the SSH keys: the hosts' keys into known_hosts (known-hosts.yml) and the services' "
            + "keys (servers.yml --tags service_ssh). With --rotate, rotate the key Ansible logs in with "
            + "instead (rotate-ssh-key.yml: one host first, never locking anyone out)."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica network keys --env production",
            "  basilica network keys --env production --rotate --new-key ~/.ssh/basilica_new --old-public-key ~/.ssh/basilica.pub"})
final class NetworkKeysCommand extends NetworkCommand.Action {
    @Option(names = "--rotate", description = "Rotate the operator's login key (needs --new-key and --old-public-key).")
    boolean rotate;

    @Option(names = "--new-key", paramLabel = "FILE", description = "The new private key (its .pub beside it).")
    String newKey;

    @Option(names = "--old-public-key", paramLabel = "FILE", description = "The public key to remove once the new one works.")
    String oldPublicKey;

    NetworkKeysCommand(Context ctx) {
        super(ctx);
    }

    @Override
    List<PlaybookRun> runs() {
        if (!rotate) {
            if (newKey != null || oldPublicKey != null) throw new IllegalArgumentException("--new-key and --old-public-key go with --rotate");
            return List.of(firstContact(), servers("service_ssh"));
        }
        if (newKey == null || oldPublicKey == null) {
            throw new IllegalArgumentException("--rotate needs --new-key FILE and --old-public-key FILE");
        }
        return List.of(PlaybookRun.of("rotate-ssh-key.yml").limit(options.limit)
                .extraVar("ssh_key_rotation_new_private_key=" + ctx.workspace().userPath(newKey))
                .extraVar("ssh_key_rotation_old_public_key=" + ctx.workspace().userPath(oldPublicKey)));
    }
}
