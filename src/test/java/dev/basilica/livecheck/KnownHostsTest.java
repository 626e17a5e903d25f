package dev.basilica.livecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsTest {

    private static final String ED = "AAAAC3NzaC1lZDI1NTE5AAAAIBm0i1JDy4kbm6N1tCoPwl1YBq3ZN+1ZbH6nLDRcKbUe";
    private static final String RSA = "AAAAB3NzaC1yc2EAAAADAQABAAABAQC7";

    @Test
    void findsPlainEntriesByAddressAndPort() {
        String text = "# comment\n10.0.0.5 ssh-ed25519 " + ED + "\n[10.0.0.6]:2222,other ssh-rsa " + RSA + "\n"
                + "@revoked 10.0.0.5 ssh-rsa " + RSA + "\n";
        assertEquals(Set.of(new KnownHosts.Key("ssh-ed25519", ED)), KnownHosts.keysFor(text, "10.0.0.5", 22));
        assertEquals(Set.of(new KnownHosts.Key("ssh-rsa", RSA)), KnownHosts.keysFor(text, "10.0.0.6", 2222));
        assertTrue(KnownHosts.keysFor(text, "10.0.0.6", 22).isEmpty(), "another port is another entry");
        assertEquals(List.of(new KnownHosts.Key("ssh-ed25519", ED)),
                KnownHosts.scanned("# 10.0.0.5:22 SSH-2.0-OpenSSH_9.2p1\n10.0.0.5 ssh-ed25519 " + ED + "\n"));
    }

    @Tag("tools")
    @Test
    void findsEntriesHashedByTheRealSshKeygen(@TempDir Path dir) throws Exception {
        Tools.assume("ssh-keygen", "openssh-client");
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, "[10.0.0.7]:2200 ssh-ed25519 " + ED + "\n10.0.0.8 ssh-rsa " + RSA + "\n");
        Tools.Result r = Tools.run(dir, Duration.ofSeconds(30), "ssh-keygen", "-H", "-f", file.toString());
        assertEquals(0, r.exitCode(), r.output());
        String hashed = Files.readString(file);
        assertTrue(hashed.startsWith("|1|"), hashed);
        assertEquals(Set.of(new KnownHosts.Key("ssh-ed25519", ED)), KnownHosts.keysFor(hashed, "10.0.0.7", 2200));
        assertEquals(Set.of(new KnownHosts.Key("ssh-rsa", RSA)), KnownHosts.keysFor(hashed, "10.0.0.8", 22));
        assertTrue(KnownHosts.keysFor(hashed, "10.0.0.9", 22).isEmpty());
    }
}
