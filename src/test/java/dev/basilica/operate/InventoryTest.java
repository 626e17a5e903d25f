package dev.basilica.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.plan.ServiceKind;
import dev.basilica.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated staging inventory (golden tree), read as manage status and logs read it. */
class InventoryTest {

    private static final Path STAGING = Repo.path("src/test/resources/golden/staging/out/ansible");

    @Test
    void hostsCarryAddressPortUserKeyAndServices() throws Exception {
        Inventory inv = Inventory.read(STAGING, "/home/op");
        Inventory.Host v = inv.hosts().values().stream().filter(h -> h.services().contains(ServiceKind.VALIDATOR)).findFirst().orElseThrow();
        assertEquals("10.20.0.10", v.address());
        assertEquals(22, v.port());
        assertEquals("ubuntu", v.user());
        assertEquals("/home/op/.ssh/basilica_staging", v.key(), "~/ is expanded");
        assertTrue(inv.groups().get("basilica_hosts").containsAll(inv.groups().get("executors")), "children are members");
    }

    /** The generated inventory lists each host once, in a set group; the groups read back are the role and feature groups. */
    @Test
    void setGroupsAreLayoutNotGroups() throws Exception {
        Inventory inv = Inventory.read(STAGING, "/home/op");
        assertTrue(inv.groups().keySet().stream().noneMatch(g -> g.startsWith("basilica_set_")), inv.groups().keySet().toString());
        assertEquals(java.util.Set.of("staging-gpu-1", "staging-gpu-2"), inv.groups().get("nvidia_driver_hosts"));
        assertEquals(java.util.Set.of(), inv.groups().get("tls_hosts"), "an empty group is still a group");
        assertEquals(inv.hosts().keySet(), inv.groups().get("all"));
        assertThrows(IllegalArgumentException.class, () -> inv.select("basilica_set_5a4f97d93c"));
    }

    @Test
    void limitsSelectHostsAndGroupsAndNameWhatMatchesNothing() throws Exception {
        Inventory inv = Inventory.read(STAGING, "/home/op");
        List<String> executors = inv.select("executors").stream().map(Inventory.Host::name).toList();
        assertEquals(inv.groups().get("executors").stream().sorted().toList(), executors);
        assertEquals(inv.hosts().size(), inv.select(null).size());
        assertEquals(executors, inv.running(inv.select(null), ServiceKind.EXECUTOR).stream().map(Inventory.Host::name).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inv.select("executor"));
        assertTrue(e.getMessage().contains("no host or group named executor") && e.getMessage().contains("did you mean 'executors'"),
                e.getMessage());
    }

    @Test
    void sshIsStrictAboutHostKeysAndUsesSudoForNonRootUsers() throws Exception {
        Inventory inv = Inventory.read(STAGING, "/home/op");
        Inventory.Host h = inv.select("validators").get(0);
        List<String> cmd = new Ssh("ssh", Path.of("out/staging/known_hosts")).command(h, "journalctl -n 1", true);
        assertEquals(List.of("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=out/staging/known_hosts",
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10", "-o", "ServerAliveInterval=15", "-o", "LogLevel=ERROR",
                "-p", "22", "-i", "/home/op/.ssh/basilica_staging", "-o", "IdentitiesOnly=yes", "-l", "ubuntu", "--", "10.20.0.10",
                "sudo -n journalctl -n 1"), cmd);
    }

    /** An address or user that looks like an option stays a destination and a user name. */
    @Test
    void optionLikeInventoryValuesAreNotSshOptions() {
        Inventory.Host h = new Inventory.Host("h", "-oProxyCommand=touch /tmp/x", 22, "-oProxyCommand=id", null, List.of(ServiceKind.MINER));
        List<String> cmd = new Ssh("ssh", Path.of("known_hosts")).command(h, "true", false);
        int end = cmd.indexOf("--");
        assertEquals(List.of("--", "-oProxyCommand=touch /tmp/x", "true"), cmd.subList(end, cmd.size()));
        assertEquals("-l", cmd.get(cmd.indexOf("-oProxyCommand=id") - 1), "the user is -l's argument");
    }

    /** Remote commands are built from service ids only: host_vars naming anything else is refused when read. */
    @Test
    void hostVarsNamingAnUnknownServiceAreRefused(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("inventory/host_vars"));
        Files.writeString(dir.resolve("inventory/hosts.yml"), "all:\n  hosts:\n    h: {}\n");
        Files.writeString(dir.resolve("inventory/host_vars/h.yml"), "basilica_services: [miner, 'miner; touch /tmp/x']\n");
        IOException e = assertThrows(IOException.class, () -> Inventory.read(dir, "/home/op"));
        assertTrue(e.getMessage().endsWith("basilica_services names 'miner; touch /tmp/x', which is not a Basilica service"), e.getMessage());
    }

    @Test
    void systemctlShowBlocksAreReadPerUnit() {
        var units = ServiceStatus.parse("Id=basilica-miner.service\nLoadState=loaded\nActiveState=active\nSubState=running\n\n"
                + "Id=basilica-executor.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\n");
        assertEquals("active", units.get("basilica-miner.service").get("ActiveState"));
        assertEquals("not-found", units.get("basilica-executor.service").get("LoadState"));
        assertEquals("journalctl --no-pager --output=short-iso --lines=5 --unit=basilica-miner.service --unit=basilica-executor.service --follow",
                JournalLogs.remoteCommand(List.of(ServiceKind.MINER, ServiceKind.EXECUTOR), 5, true));
    }
}
