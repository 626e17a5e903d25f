package dev.basilica.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.model.Diagnostic;
import dev.basilica.model.Environment;
import dev.basilica.model.Environment.Host;
import dev.basilica.model.Environment.Role;
import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import dev.basilica.model.Tier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The fixtures under src/test/resources/import/ follow the five layouts of the bash scripts'
 * environment files (template, development, staging, testnet, production) and setup-ops' servers.conf.
 */
class ConfImporterTest {

    /** A well-formed SS58 address (Bittensor's well-known development key "Bob"). */
    static final String SS58 = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

    static String fixture(String name) throws IOException {
        try (InputStream in = ConfImporterTest.class.getResourceAsStream("/import/" + name)) {
            Objects.requireNonNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static ImportResult convert(String file, String name, Map<String, String> vars, String ss58) throws Exception {
        return convert(file, null, name, vars, ss58);
    }

    static ImportResult convert(String file, String servers, String name, Map<String, String> vars, String ss58)
            throws Exception {
        ConfFile conf = ConfParser.parse(fixture(file), file);
        ConfFile srv = servers == null ? null : ConfParser.parse(fixture(servers), servers);
        return ConfImporter.convert(conf, srv, new ConfImporter.Options(name, vars, ss58));
    }

    static ImportResult convertText(String text, String name) throws Exception {
        return ConfImporter.convert(ConfParser.parse(text, name + ".conf"), null, new ConfImporter.Options(name, Map.of(), null));
    }

    private static List<String> keys(List<Finding> findings) {
        return findings.stream().map(Finding::key).filter(Objects::nonNull).toList();
    }

    private static Environment valid(ImportResult r) {
        try {
            return ModelLoader.parse(r.yaml(), r.name() + ".yaml").environment();
        } catch (ModelException e) {
            throw new AssertionError("the imported model does not validate:\n" + e.getMessage() + "\n" + r.yaml(), e);
        }
    }

    private static List<String> errors(ImportResult r) {
        try {
            ModelLoader.parse(r.yaml(), r.name() + ".yaml");
            return List.of();
        } catch (ModelException e) {
            return e.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::message).toList();
        }
    }

    private static void assertNoSecret(ImportResult r, String secret) {
        assertFalse(r.yaml().contains(secret), "the secret is in the model");
        for (Finding f : r.unmapped()) assertFalse(f.format().contains(secret), f.format());
        for (Finding f : r.attention()) assertFalse(f.format().contains(secret), f.format());
    }

    private static void assertHeader(ImportResult r, String file) {
        String[] lines = r.yaml().split("\n");
        assertEquals("# yaml-language-server: $schema=../schema/environment.schema.json", lines[0]);
        assertEquals("# Imported from " + file + " by basilica env import.", lines[2]);
    }

    private static Host host(Environment env, String name) {
        return env.hosts().stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no host " + name + " in " + env.hosts()));
    }

    @Test
    void template() throws Exception {
        ImportResult r = convert("template.conf", "template", Map.of(), null);
        assertHeader(r, "template.conf");
        assertEquals(List.of("ENVIRONMENT", "MINER_AXON_PORT", "VALIDATOR_COLDKEY_NAME", "MINER_COLDKEY_NAME",
                "VALIDATOR_TLS_ENABLED", "VALIDATOR_MIN_STAKE", "MINER_TLS_ENABLED", "MINER_MTLS_ENABLED",
                "EXECUTOR_VALIDATOR_ACCESS", "EXECUTOR_MAX_SESSIONS", "EXECUTOR_SESSION_TIMEOUT", "LOG_FORMAT",
                "DEPLOY_DIR", "CONFIG_DIR", "DATA_DIR", "LOG_DIR", "BINARY_DIR", "BASILICA_USER", "BASILICA_GROUP",
                "METRICS_ENABLED", "PROMETHEUS_HOST", "PROMETHEUS_PORT", "SSH_KEY_TYPE", "SSH_KEY_SIZE", "TLS_CERT_PATH",
                "TLS_KEY_PATH", "VALIDATOR_ALLOWED_PORTS", "MINER_ALLOWED_PORTS", "EXECUTOR_ALLOWED_PORTS", "DB_TYPE",
                "DB_PATH", "DB_PASSWORD", "DB_MAX_CONNECTIONS", "MAX_FILE_DESCRIPTORS", "MAX_PROCESSES", "DEBUG_MODE",
                "ENABLE_PROFILING", "ENABLE_TRACING", "HEALTH_CHECK_INTERVAL", "HEALTH_CHECK_TIMEOUT", "BACKUP_ENABLED",
                "BACKUP_DIR", "BACKUP_RETENTION_DAYS", "VALIDATION_TIMEOUT", "MAX_VALIDATION_RETRIES", "MIN_DISK_SPACE_GB",
                "MAX_CPU_USAGE", "MAX_MEMORY_USAGE", "SSH_CONNECT_TIMEOUT", "GRPC_TIMEOUT", "HTTP_TIMEOUT"), keys(r.unmapped()));
        // The placeholders are imported as written, and each is pointed out.
        assertTrue(keys(r.attention()).containsAll(List.of("VALIDATOR_HOST", "MINER_HOST", "EXECUTOR_HOST", "MINER_EXTERNAL_IP",
                "VALIDATOR_WALLET_NAME", "MINER_WALLET_NAME", "MINER_JWT_SECRET")), keys(r.attention()).toString());
        assertTrue(r.attention().stream().anyMatch(f -> f.key() == null && f.message().contains("--miner-hotkey-ss58")));
        assertEquals(1, r.todos());
        assertTrue(r.yaml().contains("    # hotkey_ss58: <SS58 address of the miner hotkey>  # TODO"), r.yaml());
        assertTrue(r.yaml().contains("tier: production  # from chain.network finney"), r.yaml());
        assertNoSecret(r, "your-db-password");
        assertTrue(errors(r).stream().anyMatch(e -> e.contains("missing hotkey_ss58")), errors(r).toString());

        Environment env = valid(convert("template.conf", "template", Map.of(), SS58));
        assertEquals(Tier.PRODUCTION, env.tier());
        assertEquals("finney", env.chain().network().id());
        assertEquals(39, env.chain().netuid());
        assertEquals("wss://entrypoint-finney.opentensor.ai:443", env.chain().endpoint());
        assertEquals(List.of("validator", "miner", "executor"), env.hosts().stream().map(Host::name).toList());
        assertEquals("your.validator.host", host(env, "validator").address());
        assertEquals("your.external.ip", host(env, "miner").publicAddress());
        for (Host h : env.hosts()) {
            assertEquals("root", h.ssh().user());
            assertEquals(22, h.ssh().port());
        }
        assertFalse(env.monitoring().enabled(), "no monitoring host, so monitoring is switched off");
        var v = env.services().validator();
        assertEquals(8080, v.apiPort());
        assertEquals(9090, v.metricsPort());
        assertEquals("info", v.logLevel().id());
        assertEquals(600, v.verification().intervalSecs());
        assertEquals(120, v.verification().challengeTimeoutSecs());
        assertEquals(1800, v.verification().minIntervalSecs());
        assertEquals(50, v.verification().maxConcurrent());
        assertEquals(20, v.verification().maxMinersPerRound());
        assertEquals(0.1, v.verification().minScore());
        var m = env.services().miner();
        assertEquals(8092, m.grpcPort());
        assertEquals(9090, m.metricsPort());
        assertEquals(100, m.maxSessions());
        assertEquals(10, m.rateLimit().requestsPerSecond());
        assertEquals(20, m.rateLimit().burstCapacity());
        assertEquals("MINER_JWT_SECRET", m.jwtSecret().env());
        var d = env.services().executor().docker();
        assertEquals(10, d.maxContainers());
        assertEquals(8, d.memoryGib());
        assertEquals(4.0, d.cpuCores());
        assertEquals(50051, env.services().executor().grpcPort());
        assertEquals("your_validator_wallet", env.wallets().validator().name());
        assertEquals("your_miner_hotkey", env.wallets().miner().hotkey());
        assertEquals(SS58, env.wallets().miner().hotkeySs58());
    }

    @Test
    void development() throws Exception {
        ImportResult r = convert("development.conf", "development", Map.of(), null);
        assertHeader(r, "development.conf");
        assertEquals(List.of("MINER_AXON_PORT", "VALIDATOR_COLDKEY_NAME", "MINER_COLDKEY_NAME", "VALIDATOR_TLS_ENABLED",
                "VALIDATOR_MIN_STAKE", "MINER_TLS_ENABLED", "MINER_MTLS_ENABLED", "EXECUTOR_VALIDATOR_ACCESS",
                "EXECUTOR_MAX_SESSIONS", "EXECUTOR_SESSION_TIMEOUT", "LOG_FORMAT", "DEPLOY_DIR", "CONFIG_DIR", "DATA_DIR",
                "LOG_DIR", "BINARY_DIR", "BASILICA_USER", "BASILICA_GROUP", "VALIDATOR_ALLOWED_PORTS", "DEBUG_MODE",
                "HOT_RELOAD_ENABLED", "MOCK_GPU_ENABLED", "LOCAL_DISCOVERY_ENABLED", "LOCAL_DISCOVERY_PORT"), keys(r.unmapped()));
        assertEquals(List.of("VALIDATOR_USER", "MINER_USER", "EXECUTOR_USER", "BITTENSOR_NETUID", "MINER_JWT_SECRET"),
                keys(r.attention()));
        Finding jwt = r.attention().stream().filter(f -> "MINER_JWT_SECRET".equals(f.key())).findFirst().orElseThrow();
        assertNull(jwt.shown(), "a secret's value is never shown");
        assertTrue(jwt.message().contains("literal secret was dropped"), jwt.message());
        assertTrue(jwt.format().contains("MINER_JWT_SECRET (value hidden)"), jwt.format());
        Finding user = r.attention().get(0);
        assertEquals("development.conf:9", user.where());
        assertEquals("$USER", user.shown());
        assertTrue(user.message().contains("--var USER=VALUE"), user.message());
        // $(id -gn) and $HOME are shown as written, never run.
        Finding group = r.unmapped().stream().filter(f -> f.key().equals("BASILICA_GROUP")).findFirst().orElseThrow();
        assertEquals("$(id -gn)", group.shown());
        assertEquals(2, r.todos());
        assertTrue(r.yaml().contains("# user: <SSH user>  # TODO: VALIDATOR_USER is $USER"), r.yaml());
        assertNoSecret(r, "dev-secret-change-in-production");
        assertTrue(r.yaml().contains("jwt_secret: { env: MINER_JWT_SECRET }"));

        ImportResult filled = convert("development.conf", "development", Map.of("USER", "alice"), SS58);
        assertEquals(0, filled.todos());
        assertNoSecret(filled, "dev-secret-change-in-production");
        Environment env = valid(filled);
        assertEquals(Tier.DEVELOPMENT, env.tier());
        assertEquals("test", env.chain().network().id());
        assertEquals(39, env.chain().netuid());
        // All three roles log in to localhost:22 as the same user: one host with three roles.
        assertEquals(1, env.hosts().size());
        Host h = env.hosts().get(0);
        assertEquals("validator-miner-executor", h.name());
        assertEquals(List.of(Role.VALIDATOR, Role.MINER, Role.EXECUTOR), h.roles());
        assertEquals("localhost", h.address());
        assertEquals("127.0.0.1", h.publicAddress());
        assertEquals("alice", h.ssh().user());
        assertEquals(22, h.ssh().port());
        var v = env.services().validator().verification();
        assertEquals(List.of(300L, 60L, 600L), List.of(v.intervalSecs(), v.challengeTimeoutSecs(), v.minIntervalSecs()));
        assertEquals(10, v.maxConcurrent());
        assertEquals(5, v.maxMinersPerRound());
        assertEquals(0.01, v.minScore());
        assertEquals(9091, env.services().miner().metricsPort());
        assertEquals(9092, env.services().executor().metricsPort());
        assertEquals(50, env.services().miner().rateLimit().requestsPerSecond());
        assertEquals(100, env.services().miner().rateLimit().burstCapacity());
        assertEquals(4, env.services().executor().docker().memoryGib());
        assertEquals(2.0, env.services().executor().docker().cpuCores());
        assertEquals("debug", env.services().executor().logLevel().id());
        assertEquals("dev_miner", env.wallets().miner().name());
        assertEquals("default", env.wallets().miner().hotkey());
    }

    @Test
    void staging() throws Exception {
        ImportResult r = convert("staging.conf", "staging", Map.of(), SS58);
        assertHeader(r, "staging.conf");
        assertEquals(List.of("MINER_AXON_PORT", "VALIDATOR_COLDKEY_NAME", "MINER_COLDKEY_NAME", "VALIDATOR_TLS_ENABLED",
                "VALIDATOR_MIN_STAKE", "MINER_TLS_ENABLED", "MINER_MTLS_ENABLED", "EXECUTOR_VALIDATOR_ACCESS",
                "EXECUTOR_MAX_SESSIONS", "EXECUTOR_SESSION_TIMEOUT", "LOG_FORMAT", "DEPLOY_DIR", "CONFIG_DIR", "DATA_DIR",
                "LOG_DIR", "BINARY_DIR", "BASILICA_USER", "BASILICA_GROUP", "ENABLE_LOAD_TESTING", "ENABLE_CHAOS_TESTING",
                "ENABLE_PREVIEW_FEATURES"), keys(r.unmapped()));
        Finding axon = r.unmapped().get(0);
        assertEquals("8091", axon.shown());
        assertTrue(axon.message().contains("grpc_port (8092) as the axon port"), axon.message());
        assertEquals(0, r.todos());
        Environment env = valid(r);
        assertEquals(Tier.STAGING, env.tier());
        assertEquals(3, env.hosts().size());
        assertEquals("staging-miner.basilica.local", host(env, "miner").address());
        assertNull(host(env, "miner").publicAddress(), "MINER_EXTERNAL_IP=${MINER_HOST} is the address already");
        assertEquals("ubuntu", host(env, "executor").ssh().user());
        var v = env.services().validator().verification();
        assertEquals(List.of(450L, 90L, 1200L), List.of(v.intervalSecs(), v.challengeTimeoutSecs(), v.minIntervalSecs()));
        assertEquals(25, v.maxConcurrent());
        assertEquals(0.05, v.minScore());
        assertEquals(50, env.services().miner().maxSessions());
        assertEquals(15, env.services().miner().rateLimit().requestsPerSecond());
        assertEquals(30, env.services().miner().rateLimit().burstCapacity());
        assertEquals(8, env.services().executor().docker().maxContainers());
        assertEquals(6, env.services().executor().docker().memoryGib());
        assertEquals(3.0, env.services().executor().docker().cpuCores());
        assertEquals("staging_validator", env.wallets().validator().name());
    }

    @Test
    void testnet() throws Exception {
        ImportResult r = convert("testnet.conf", "testnet", Map.of(), null);
        assertHeader(r, "testnet.conf");
        assertEquals(List.of("MINER_AXON_PORT", "EXECUTOR_HEALTH_PORT", "VALIDATOR_COLDKEY_NAME", "MINER_COLDKEY_NAME",
                "MINER_HOTKEY", "VALIDATOR_MIN_STAKE", "EXECUTOR_MAX_SESSIONS", "EXECUTOR_SESSION_TIMEOUT", "ENABLE_TLS",
                "VERIFY_SIGNATURES", "ENABLE_AUTH", "JWT_SECRET", "GRPC_PORT_OFFSET", "EXECUTOR_CONFIG", "LOG_FORMAT",
                "DEPLOY_DIR", "CONFIG_DIR", "DATA_DIR", "LOG_DIR", "SKIP_REGISTRATION"), keys(r.unmapped()));
        Finding hotkey = r.unmapped().stream().filter(f -> f.key().equals("MINER_HOTKEY")).findFirst().orElseThrow();
        assertTrue(hotkey.message().startsWith("not an SS58 address"), hotkey.message());
        Finding axon = r.unmapped().get(0);
        assertTrue(axon.message().contains("grpc_port (8080)"), "MINER_HTTP_PORT is the gRPC port: " + axon.message());
        assertNoSecret(r, "testnet-jwt-0b7e41c9d2");
        assertEquals(1, r.todos());
        assertTrue(r.yaml().contains("tier: staging  # ENVIRONMENT=testnet"), r.yaml());

        Environment env = valid(convert("testnet.conf", "testnet", Map.of(), SS58));
        assertEquals(Tier.STAGING, env.tier());
        assertEquals("test", env.chain().network().id());
        assertEquals(387, env.chain().netuid());
        assertEquals("wss://test.finney.opentensor.ai:443", env.chain().endpoint());
        Host validator = host(env, "validator");
        assertEquals("203.0.113.10", validator.address());
        assertEquals(41199, validator.ssh().port());
        assertEquals("root", validator.ssh().user());
        assertEquals(55960, host(env, "miner").ssh().port());
        assertNull(host(env, "miner").publicAddress());
        Host executor = host(env, "executor");
        assertEquals("198.51.100.30", executor.address());
        assertEquals("shadeform", executor.ssh().user());
        assertEquals(22, executor.ssh().port());
        assertEquals(8081, env.services().validator().apiPort());
        assertEquals(8080, env.services().miner().grpcPort());
        assertEquals(9090, env.services().miner().metricsPort());
        var v = env.services().validator().verification();
        assertEquals(300, v.intervalSecs());
        assertEquals(600, v.minIntervalSecs());
        assertEquals(90, v.challengeTimeoutSecs(), "not in testnet.conf: the staging tier's default");
        assertEquals(10, v.maxMinersPerRound());
        assertEquals("test_miner", env.wallets().miner().name());
        assertFalse(env.monitoring().enabled());
    }

    @Test
    void production() throws Exception {
        ImportResult r = convert("production.conf", "production", Map.of(), null);
        assertHeader(r, "production.conf");
        assertEquals(List.of("DEPLOY_DIR", "LOG_DIR", "DATA_DIR"), keys(r.unmapped()));
        assertEquals(List.of(), keys(r.attention()), "VALIDATOR=root@... agrees with VALIDATOR_HOST/_PORT/_USER");
        List<String> notes = r.attention().stream().map(Finding::message).toList();
        assertTrue(notes.stream().anyMatch(m -> m.startsWith("BITTENSOR_NETWORK is not set; chain.network is finney")), notes.toString());
        assertTrue(notes.stream().anyMatch(m -> m.contains("fill in wallets.validator.name")), notes.toString());
        assertEquals(3, r.todos());
        assertEquals(List.of("hosts[0]: host 'validator' runs the validator but has no wallet; set wallets.validator (or this host's wallet)",
                "hosts[1]: host 'miner' runs the miner but has no wallet; set wallets.miner (or this host's wallet)"), errors(r));

        Environment env = valid(convert("production.conf", "production",
                Map.of("VALIDATOR_WALLET_NAME", "validator", "MINER_WALLET_NAME", "miner"), SS58));
        assertEquals(Tier.PRODUCTION, env.tier());
        assertEquals("finney", env.chain().network().id());
        assertEquals(39, env.chain().netuid());
        assertNull(env.chain().endpoint());
        assertEquals(9001, host(env, "executor").ssh().port());
        assertEquals("198.51.100.40", host(env, "executor").address());
        assertEquals(8081, env.services().validator().apiPort());
        assertEquals(8080, env.services().miner().grpcPort());
        assertEquals(50051, env.services().executor().grpcPort());
        assertEquals("validator", env.wallets().validator().name());
    }

    @Test
    void serversConfAlone() throws Exception {
        ImportResult r = convert("servers.conf", "lab", Map.of(), SS58);
        assertHeader(r, "servers.conf");
        assertEquals(List.of(), r.unmapped());
        assertEquals(3, r.todos());
        assertTrue(r.yaml().contains("  # netuid: <subnet id>  # TODO"), r.yaml());
        assertTrue(r.yaml().contains("  # validator:\n  #   name: <wallet name>  # TODO"), r.yaml());

        // What servers.conf lacks can come from --var, as the scripts' shell environment would have given it.
        Environment env = valid(convert("servers.conf", "lab", Map.of("BITTENSOR_NETWORK", "test", "BITTENSOR_NETUID", "387",
                "VALIDATOR_WALLET_NAME", "lab_validator", "MINER_WALLET_NAME", "lab_miner"), SS58));
        assertEquals(Tier.STAGING, env.tier(), "no ENVIRONMENT: the tier follows the test network");
        assertEquals(List.of("validator", "miner", "executor"), env.hosts().stream().map(Host::name).toList());
        assertEquals("198.51.100.11", host(env, "miner").address());
        assertEquals(2222, host(env, "miner").ssh().port());
        assertEquals(22, host(env, "executor").ssh().port(), "EXECUTOR=ubuntu@198.51.100.21 has no port: 22");
        assertEquals("ubuntu", host(env, "executor").ssh().user());
    }

    @Test
    void envFileWinsOverServersConfAndDisagreementsAreReported() throws Exception {
        ImportResult r = convert("production.conf", "servers.conf", "production",
                Map.of("VALIDATOR_WALLET_NAME", "validator", "MINER_WALLET_NAME", "miner"), SS58);
        assertTrue(r.yaml().contains("# Imported from production.conf and servers.conf by basilica env import."));
        List<Finding> conflicts = r.attention().stream().filter(f -> f.where() != null && f.where().startsWith("servers.conf:")).toList();
        assertEquals(8, conflicts.size(), conflicts.toString());
        assertEquals("servers.conf:3: MINER=ubuntu@198.51.100.11:2222: MINER (servers.conf) says 2222 but MINER_PORT says 55960; "
                + "used 55960 (hosts[].ssh.port)", conflicts.get(4).format());
        Environment env = valid(r);
        assertEquals(55960, host(env, "miner").ssh().port());
    }

    @Test
    void serversConfFillsInRolesTheEnvFileLacks() throws Exception {
        String conf = "ENVIRONMENT=staging\nBITTENSOR_NETWORK=test\nBITTENSOR_NETUID=387\n"
                + "VALIDATOR_HOST=198.51.100.10\nVALIDATOR_USER=ubuntu\n"
                + "VALIDATOR_WALLET_NAME=v\nMINER_WALLET_NAME=m\n";
        ImportResult r = ConfImporter.convert(ConfParser.parse(conf, "partial.conf"), ConfParser.parse(fixture("servers.conf"), "servers.conf"),
                new ConfImporter.Options("partial", Map.of(), SS58));
        Environment env = valid(r);
        assertEquals(3, env.hosts().size());
        assertEquals("198.51.100.10", host(env, "validator").address());
        assertEquals("198.51.100.21", host(env, "executor").address());
        // VALIDATOR_HOST and servers.conf's VALIDATOR agree: nothing to report about them.
        assertTrue(r.attention().stream().noneMatch(f -> "VALIDATOR".equals(f.key())), r.attention().toString());
    }

    @Test
    void rolesOnTheSameLoginShareAHost() throws Exception {
        String conf = """
                ENVIRONMENT=development
                BITTENSOR_NETWORK=local
                BITTENSOR_NETUID=1
                VALIDATOR_HOST=192.0.2.5; VALIDATOR_USER=ops; VALIDATOR_PORT=2200
                MINER_HOST=192.0.2.5; MINER_USER=ops; MINER_PORT=2200
                EXECUTOR_HOST=192.0.2.5; EXECUTOR_USER=ops   # port 22: another sshd, so another host
                VALIDATOR_WALLET_NAME=v
                MINER_WALLET_NAME=m
                MINER_HOTKEY=%s
                MINER_JWT_SECRET=s3cr3t-value
                """.formatted(SS58);
        ImportResult r = convertText(conf, "shared");
        Environment env = valid(r);
        assertEquals(List.of("validator-miner", "executor"), env.hosts().stream().map(Host::name).toList());
        assertEquals(List.of(Role.VALIDATOR, Role.MINER), env.hosts().get(0).roles());
        assertEquals(2200, env.hosts().get(0).ssh().port());
        assertEquals(22, env.hosts().get(1).ssh().port());
        assertEquals(SS58, env.wallets().miner().hotkeySs58(), "an SS58 MINER_HOTKEY is the miner hotkey's address");
        assertTrue(r.yaml().contains("hotkey_ss58: " + SS58 + "  # MINER_HOTKEY"), r.yaml());
        assertEquals(List.of(), keys(r.unmapped()));
        assertNoSecret(r, "s3cr3t-value");
    }

    @Test
    void missingRolesAreDisabledAndValuesOutsideTheSchemaAreNotWritten() throws Exception {
        String conf = """
                ENVIRONMENT=staging
                BITTENSOR_NETWORK=mainnet
                BITTENSOR_NETUID=387
                BITTENSOR_ENDPOINT=https://not-a-websocket.example
                VALIDATOR_HOST=203.0.113.7
                VALIDATOR_USER=ubuntu
                VALIDATOR_PORT=70000
                VALIDATOR_API_PORT=8080
                VALIDATOR_HTTP_PORT=8081
                VALIDATOR_MIN_SCORE=1.5
                VALIDATOR_MAX_CONCURRENT=ten
                VALIDATOR_WALLET_NAME=v
                LOG_LEVEL=WARNING
                EXECUTOR_MAX_MEMORY=1536m
                """;
        ImportResult r = convertText(conf, "odd");
        assertEquals(List.of("BITTENSOR_NETWORK", "BITTENSOR_ENDPOINT", "VALIDATOR_PORT", "VALIDATOR_HTTP_PORT",
                "VALIDATOR_MIN_SCORE", "VALIDATOR_MAX_CONCURRENT", "EXECUTOR_MAX_MEMORY"), keys(r.unmapped()));
        assertEquals("odd.conf:2: BITTENSOR_NETWORK=mainnet: 'mainnet' is not one of finney, test, local (chain.network)",
                r.unmapped().get(0).format());
        assertEquals("odd.conf:7: VALIDATOR_PORT=70000: 70000 is outside 1-65535 (hosts[].ssh.port)", r.unmapped().get(2).format());
        assertTrue(r.unmapped().get(3).message().startsWith("differs from VALIDATOR_API_PORT=8080"), r.unmapped().get(3).message());
        assertEquals("1.5 is outside 0-1 (services.validator.verification.min_score)", r.unmapped().get(4).message());
        assertEquals("not a whole number of GiB (services.executor.docker.memory_gib)", r.unmapped().get(6).message());
        Environment env = valid(r);
        assertEquals("finney", env.chain().network().id(), "an unusable network falls back to the scripts' default");
        assertEquals(22, env.hosts().get(0).ssh().port());
        assertEquals("warn", env.services().validator().logLevel().id());
        assertFalse(env.services().miner().enabled());
        assertFalse(env.services().executor().enabled());
        assertTrue(r.yaml().contains("enabled: false  # the files name no MINER_HOST"), r.yaml());
    }

    @Test
    void valuesWrittenOverSeveralLinesKeepTheModelParseable() throws Exception {
        String conf = "ENVIRONMENT=development\nBITTENSOR_NETWORK=local\nBITTENSOR_NETUID=1\n"
                + "VALIDATOR_HOST=192.0.2.9\nVALIDATOR_USER=\"$USER\nsecond line\"\nVALIDATOR_WALLET_NAME='026'\nVALIDATOR_HOTKEY_NAME=y\n"
                + "NOTES=\"first\nsecond\"\n";
        ImportResult r = convertText(conf, "multi");
        assertEquals(List.of("hosts[0].ssh: missing required field 'user': User Ansible and the tool log in as (needs sudo "
                + "unless root). Expected string (a Unix user name (lower-case letters, digits, '_' and '-', starting with a "
                + "letter or '_'))."), errors(r));
        // Plain, YAML 1.1 would read it as the octal number 22 (and the loader refuses it): written quoted.
        assertTrue(r.yaml().contains("name: \"026\"  # VALIDATOR_WALLET_NAME"), r.yaml());
        assertTrue(r.yaml().contains("hotkey: \"y\"  # VALIDATOR_HOTKEY_NAME"), r.yaml());
        Finding notes = r.unmapped().get(0);
        assertEquals("multi.conf:9: NOTES='first\\nsecond': no counterpart in the model", notes.format());
        Finding user = r.attention().stream().filter(f -> "VALIDATOR_USER".equals(f.key())).findFirst().orElseThrow();
        assertEquals("\"$USER\\nsecond line\"", user.shown());
    }

    @Test
    void outputIsDeterministic() throws Exception {
        for (String f : List.of("template.conf", "development.conf", "staging.conf", "testnet.conf", "production.conf", "servers.conf")) {
            String name = f.replace(".conf", "");
            ImportResult a = convert(f, name, Map.of(), null);
            ImportResult b = convert(f, name, Map.of(), null);
            assertEquals(a.yaml(), b.yaml(), f);
            assertEquals(a.unmapped(), b.unmapped(), f);
            assertEquals(a.attention(), b.attention(), f);
            assertEquals(a.tier(), b.tier(), f);
        }
    }

    @Test
    void rejectsOptionsTheSchemaWouldReject() {
        ConfFile empty = new ConfFile("e.conf", List.of());
        assertThrows(IllegalArgumentException.class,
                () -> ConfImporter.convert(empty, null, new ConfImporter.Options("Bad_Name", Map.of(), null)));
        assertThrows(IllegalArgumentException.class,
                () -> ConfImporter.convert(empty, null, new ConfImporter.Options("ok", Map.of(), "default")));
    }

    @Test
    void secretLookingKeys() {
        for (String k : List.of("MINER_JWT_SECRET", "JWT_SECRET", "DB_PASSWORD", "API_TOKEN", "VALIDATOR_API_KEY", "SSH_PRIVATE_KEY", "WALLET_MNEMONIC")) {
            assertTrue(ConfImporter.isSecretKey(k), k);
        }
        for (String k : List.of("TLS_KEY_PATH", "SSH_KEY_TYPE", "MINER_HOTKEY", "MINER_HOTKEY_NAME", "VALIDATOR_HOST")) {
            assertFalse(ConfImporter.isSecretKey(k), k);
        }
    }
}
