package dev.basilica.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.cli.Context;
import dev.basilica.cli.Main;
import dev.basilica.cli.Workspace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code basilica env import} run in process, the way a user runs it, in a scratch workspace. */
class EnvImportCliTest {

    @TempDir
    Path home;

    private String out;
    private String err;

    @BeforeEach
    void fixtures() throws IOException {
        Files.createDirectories(home.resolve("old"));
        for (String f : new String[] {"development.conf", "testnet.conf", "production.conf", "servers.conf"}) {
            Files.writeString(home.resolve("old").resolve(f), ConfImporterTest.fixture(f));
        }
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        Context ctx = new Context(new Workspace(home, home), new PrintWriter(o, true), new PrintWriter(e, true), Map.of());
        int code = Main.run(args, ctx);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private String read(String path) throws IOException {
        return Files.readString(home.resolve(path), StandardCharsets.UTF_8);
    }

    @Test
    void writesAValidModelThatEnvCheckAccepts() throws IOException {
        assertEquals(0, run("env", "import", "old/development.conf", "--var", "USER=alice",
                "--miner-hotkey-ss58", ConfImporterTest.SS58), err);
        String yaml = read("environments/development.yaml");
        assertTrue(yaml.startsWith("# yaml-language-server: $schema=../schema/environment.schema.json\n#\n"
                + "# Imported from development.conf by basilica env import.\n"), yaml);
        assertTrue(err.contains("Could not map 24 keys (not carried over):"), err);
        assertTrue(err.contains("  development.conf:23: MINER_AXON_PORT=8091: the model advertises services.miner.grpc_port (8092)"), err);
        assertTrue(err.contains("  development.conf:57: MINER_JWT_SECRET (value hidden): the literal secret was dropped"), err);
        assertTrue(err.contains("Wrote environments/development.yaml (development, 1 host); it is valid."), err);
        assertFalse(err.contains("dev-secret-change-in-production") || yaml.contains("dev-secret-change-in-production"));
        assertFalse(Files.list(home.resolve("environments")).anyMatch(p -> p.getFileName().toString().startsWith(".")),
                "no temporary file is left behind");

        assertEquals(0, run("env", "check", "--env", "development"), err);
        assertTrue(out.contains("environments/development.yaml: valid (development, 1 host"), out);
    }

    @Test
    void refusesToOverwriteWithoutForce() throws IOException {
        assertEquals(0, run("env", "import", "old/production.conf", "--var", "VALIDATOR_WALLET_NAME=validator",
                "--var", "MINER_WALLET_NAME=miner", "--miner-hotkey-ss58", ConfImporterTest.SS58), err);
        Path target = home.resolve("environments/production.yaml");
        Files.writeString(target, "# edited by hand\n");

        assertEquals(2, run("env", "import", "old/production.conf"));
        assertEquals("basilica: environments/production.yaml already exists; use --force to overwrite it\n", err);
        assertEquals("# edited by hand\n", read("environments/production.yaml"));

        assertEquals(1, run("env", "import", "old/production.conf", "--force"));
        assertTrue(read("environments/production.yaml").contains("# Imported from production.conf"));
    }

    @Test
    void writesButExitsOneWhenTheModelNeedsEdits() throws IOException {
        assertEquals(1, run("env", "import", "old/testnet.conf"));
        String yaml = read("environments/testnet.yaml");
        assertTrue(yaml.contains("# hotkey_ss58: <SS58 address of the miner hotkey>  # TODO"), yaml);
        assertTrue(err.contains("environments/testnet.yaml:"), "diagnostics name the written file: " + err);
        assertTrue(err.contains("missing hotkey_ss58 of miner 'miner'"), err);
        assertTrue(err.contains("Wrote environments/testnet.yaml (staging, 3 hosts); it does not validate yet: 1 error above, "
                + "1 TODO line to fill in. Edit it, then run 'basilica env check --env testnet'."), err);
        assertTrue(err.contains("testnet.conf:56: JWT_SECRET (value hidden):"), err);
        assertFalse(err.contains("testnet-jwt-0b7e41c9d2") || yaml.contains("testnet-jwt-0b7e41c9d2"));
    }

    @Test
    void nameOutputAndServersOptions() throws IOException {
        assertEquals(0, run("env", "import", "old/production.conf", "--name", "prod-eu", "--servers", "old/servers.conf",
                "--output", "models/prod.yaml", "--var", "VALIDATOR_WALLET_NAME=v", "--var", "MINER_WALLET_NAME=m",
                "--miner-hotkey-ss58", ConfImporterTest.SS58), err);
        String yaml = read("models/prod.yaml");
        assertTrue(yaml.contains("\nname: prod-eu\n"), yaml);
        assertTrue(yaml.contains("# Imported from production.conf and servers.conf by basilica env import."), yaml);
        assertTrue(err.contains("servers.conf:2: VALIDATOR=ubuntu@198.51.100.10:22: VALIDATOR (servers.conf) says 198.51.100.10"), err);
        assertTrue(err.contains("then run 'basilica env check --file models/prod.yaml'"), err);
        assertFalse(Files.exists(home.resolve("environments/prod-eu.yaml")));
    }

    @Test
    void stdoutPrintsAndWritesNothing() {
        assertEquals(1, run("env", "import", "old/testnet.conf", "--stdout"));
        assertTrue(out.startsWith("# yaml-language-server: $schema=../schema/environment.schema.json\n"), out);
        assertTrue(out.contains("\nname: testnet\n"), out);
        assertTrue(err.contains("<stdout>:"), err);
        assertTrue(err.contains("The model (staging, 3 hosts) does not validate yet"), err);
        assertFalse(Files.exists(home.resolve("environments")));
    }

    @Test
    void malformedInputIsReportedWithItsLineAndNothingIsWritten() throws IOException {
        Files.writeString(home.resolve("old/broken.conf"), "VALIDATOR_HOST=192.0.2.1\nMINER_HOST=\"192.0.2.2\n");
        assertEquals(2, run("env", "import", "old/broken.conf"));
        assertTrue(err.startsWith("old/broken.conf:2:12: unterminated double quote"), err);
        assertFalse(Files.exists(home.resolve("environments/broken.yaml")));

        Files.writeString(home.resolve("old/script.conf"), "# sets up\nA=1\nssh root@192.0.2.1 reboot\n");
        assertEquals(2, run("env", "import", "old/script.conf"));
        assertTrue(err.startsWith("old/script.conf:3:1: 'ssh' is a command, not a variable assignment"), err);
        assertTrue(err.contains("nothing written"), err);
    }

    @Test
    void badArguments() {
        assertEquals(2, run("env", "import", "old/missing.conf"));
        assertEquals("basilica: old/missing.conf: no such file\n", err);
        assertEquals(2, run("env", "import", "old/testnet.conf", "--name", "Not_A_Name"));
        assertTrue(err.contains("'Not_A_Name' is not a valid environment name"), err);
        assertEquals(2, run("env", "import", "old/testnet.conf", "--miner-hotkey-ss58", "default"));
        assertTrue(err.contains("is not an SS58 address"), err);
        assertEquals(2, run("env", "import", "old/testnet.conf", "--stdout", "--output", "x.yaml"));
        assertEquals(2, run("env", "import", "old/testnet.conf", "--var", "1BAD=x"));
        assertEquals(2, run("env", "import"));
        assertTrue(err.contains("Missing required parameter: 'FILE'"), err);
    }

    @Test
    void help() {
        assertEquals(0, run("env", "import", "--help"));
        assertTrue(out.contains("Usage: basilica env import"), out);
        assertTrue(out.contains("Examples:\n  basilica env import old/production.conf"), out);
        assertTrue(out.contains("--miner-hotkey-ss58=ADDRESS"), out);
        assertEquals(0, run("env", "--help"));
        assertTrue(out.contains("  import "), out);
    }
}
