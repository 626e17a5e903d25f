package dev.basilica.emit.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.plan.HostLayout;
import dev.basilica.support.GeneratedOut;
import dev.basilica.support.Repo;
import dev.basilica.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull mode's generated files: present only with {@code pull} in the model (a push-only tree is unchanged), one
 * service and timer for every host, the model's values as ExecStart= arguments escaped by {@link UnitValues}, and
 * both units clean under {@code systemd-analyze verify}.
 */
class PullUnitsTest {

    @TempDir
    Path dir;

    private Path generate(String pull) throws Exception {
        String model = Files.readString(Repo.root().resolve("environments/development.yaml")) + pull;
        Path file = Files.writeString(dir.resolve("development.yaml"), model);
        return GeneratedOut.write(file, "environments/development.yaml", dir.resolve("out"));
    }

    @Test
    void pushOnlyTreesHaveNoPullFiles() throws Exception {
        Path out = generate("");
        for (String f : List.of("systemd/basilica-pull.service", "systemd/basilica-pull.timer", "ansible/pull-bootstrap.yml",
                "ansible/files/basilica-pull")) {
            assertFalse(Files.exists(out.resolve(f)), f);
        }
    }

    @Test
    void theUnitsCarryTheModelsValuesEscaped() throws Exception {
        Path out = generate("\npull:\n  repository: \"https://git.internal/fleet%2Dx.git\"\n  ref: release/v1.2\n  interval_minutes: 45\n"
                + "  random_delay_minutes: 7\n  playbooks: [servers, configure]\n  keep_runs: 3\n");
        String service = Files.readString(out.resolve("systemd/basilica-pull.service"));
        assertTrue(service.contains("\nExecStart=/opt/basilica/bin/basilica-pull https://git.internal/fleet%%2Dx.git release/v1.2 "
                + "/var/lib/basilica/pull/checkout out/development/ansible/inventory/hosts.yml 3 out/development/ansible/servers.yml "
                + "out/development/ansible/configure.yml\n"), service);
        assertTrue(service.contains("\nType=oneshot\n") && service.contains("\nEnvironmentFile=/etc/basilica/pull.env\n")
                && service.contains("\nTimeoutStartSec=45min\n"), service);
        String timer = Files.readString(out.resolve("systemd/basilica-pull.timer"));
        assertTrue(timer.contains("\nOnUnitActiveSec=45min\n") && timer.contains("\nRandomizedDelaySec=7min\n"), timer);
        // The bootstrap and the wrapper name the on-host layout as HostLayout does.
        String bootstrap = Files.readString(out.resolve("ansible/pull-bootstrap.yml"));
        for (String path : List.of(HostLayout.PULL_COMMAND, HostLayout.PULL_ENV_FILE, HostLayout.PULL_DIR, "basilica-pull.timer")) {
            assertTrue(bootstrap.contains(path), path);
        }
        String wrapper = Files.readString(out.resolve("ansible/files/basilica-pull"));
        assertTrue(wrapper.startsWith("#!/bin/bash\n"));
        assertTrue(wrapper.contains("dir=" + HostLayout.PULL_DIR + "\n") && wrapper.contains(HostLayout.PULL_ENV_FILE), wrapper);
    }

    @Tag("tools")
    @Test
    void theUnitsPassSystemdAnalyzeVerify() throws Exception {
        Tools.assume("systemd-analyze", "systemd");
        Path out = generate("\npull: { repository: \"https://git.internal/fleet.git\" }\n");
        Path root = dir.resolve("root");
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        for (String u : List.of("basilica-pull.service", "basilica-pull.timer")) Files.copy(out.resolve("systemd/" + u), units.resolve(u));
        Path wrapper = root.resolve("opt/basilica/bin/basilica-pull");
        Files.createDirectories(wrapper.getParent());
        Files.writeString(wrapper, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(root.resolve("etc/basilica"));
        Files.writeString(root.resolve("etc/basilica/pull.env"), "BASILICA_PULL_HOST=dev-local\n");
        Tools.Result r = Tools.run(dir, java.util.Map.of("SYSTEMD_LOG_COLOR", "0"), Duration.ofMinutes(1),
                List.of("systemd-analyze", "verify", "--recursive-errors=no", "--root=" + root, "basilica-pull.service", "basilica-pull.timer"));
        assertEquals(0, r.exitCode(), r.output());
        assertFalse(r.output().contains("basilica-pull"), r.output());
    }
}
