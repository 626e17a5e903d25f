package dev.basilica.emit.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.basilica.emit.Templates;
import dev.basilica.generate.Generator;
import dev.basilica.model.Environment;
import dev.basilica.model.Environment.Host;
import dev.basilica.model.Environment.Role;
import dev.basilica.model.Environment.SecretRef;
import dev.basilica.model.ModelLoader;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.testing.GeneratedModel;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads every generated service config back with a real TOML parser (jackson-dataformat-toml, not our
 * writer) and checks it against what the binaries' loaders accept (upstream reference §3): figment +
 * serde, so a duration is a {@code { secs, nanos }} table, an f64 is a TOML float, a misplaced key is
 * silently ignored (so placement is checked key by key), and executor ids are UUIDs.
 */
class ServiceConfigLoaderRulesTest {

    private static final TomlMapper TOML = new TomlMapper();

    // ---- The loaders' Duration fields (std::time::Duration, serde form), per service (§3.1–§3.4). ----

    private static final Set<String> COMMON_DURATIONS = Set.of(
            "server.request_timeout", "server.keep_alive_timeout",
            "metrics.collection_interval", "metrics.retention_period");

    private static final Set<String> DATABASE_DURATIONS = Set.of(
            "database.connect_timeout", "database.idle_timeout", "database.max_lifetime");

    private static final Set<String> VALIDATOR_DURATIONS = union(COMMON_DURATIONS, DATABASE_DURATIONS, Set.of(
            "verification.verification_interval", "verification.challenge_timeout",
            "verification.min_verification_interval", "verification.discovery_timeout",
            "verification.cache_miner_info_ttl",
            "ssh_session.key_cleanup_interval", "ssh_session.ssh_connection_timeout",
            "ssh_session.ssh_command_timeout", "ssh_session.ssh_retry_delay"));

    private static final Set<String> MINER_DURATIONS = union(COMMON_DURATIONS, DATABASE_DURATIONS, Set.of(
            "validator_comms.request_timeout", "validator_comms.auth.token_validation.clock_skew_tolerance",
            "validator_comms.rate_limit.window_duration",
            "executor_management.health_check_interval", "executor_management.health_check_timeout",
            "remote_executor_deployment.health_check_interval",
            "security.token_expiration",
            "ssh_session.session_cleanup_interval", "ssh_session.ssh_connection_timeout",
            "ssh_session.ssh_command_timeout", "ssh_session.key_cleanup_interval",
            "ssh_session.rate_limit_window", "ssh_session.ssh_retry_delay"));

    private static final Set<String> EXECUTOR_DURATIONS = union(COMMON_DURATIONS, Set.of(
            "system.update_interval", "docker.container_timeout"));

    /** Fields whose names sound like durations but are plain integers (u64 seconds, hours, blocks). */
    private static final Map<String, Set<String>> INTEGER_TIMES = Map.of(
            "validator", Set.of("ssh_session.default_session_duration", "ssh_session.max_session_duration",
                    "automatic_verification.discovery_interval"),
            "miner", Set.of("ssh_session.max_session_duration"),
            "executor", Set.of());

    /** A key with one of these name shapes holds a duration unless listed in INTEGER_TIMES. */
    private static final Pattern DURATION_NAME = Pattern.compile(
            ".*(_timeout|_interval|_duration|_ttl|_expiration|_delay|_period|_tolerance|_window)");

    /** Integer seconds, hours and blocks are named so by the structs; never a duration. */
    private static final Pattern INTEGER_NAME = Pattern.compile(".*(_secs|_seconds|_hours|_blocks)");

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    /** The public development key the executor falls back to when managing_miner_hotkey is missed. */
    private static final String ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i)(.*_)?(secret|jwt_secret|password|passwd|api_key|apikey|token|private_key|mnemonic|seed)");

    private static final Map<String, Map<String, JsonNode>> PARSED = new ConcurrentHashMap<>();

    static Stream<String> models() {
        return GeneratedModel.MODELS.stream();
    }

    // ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyConfigParsesWithARealTomlParser(String model) {
        GeneratedModel g = GeneratedModel.of(model);
        Map<String, JsonNode> configs = configs(model);
        int expected = 0;
        for (Fleet.HostPlan h : g.fleet().hosts()) {
            for (var s : h.services()) {
                expected++;
                String path = "configs/" + h.name() + "/" + s.id() + ".toml";
                assertTrue(configs.containsKey(path), model + ": no " + path);
            }
        }
        assertEquals(expected, configs.size(), model + ": one config per service and host: " + configs.keySet());
        assertTrue(expected > 0, model + " generates no config");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void durationFieldsAreSecsNanosTablesWithTheModelsValues(String model) {
        Environment env = GeneratedModel.of(model).environment();
        var v = env.services().validator();
        var m = env.services().miner();
        var x = env.services().executor();
        forEachConfig(model, "validator", (path, root) -> {
            assertDuration(path, root, "verification.verification_interval", v.verification().intervalSecs());
            assertDuration(path, root, "verification.challenge_timeout", v.verification().challengeTimeoutSecs());
            assertDuration(path, root, "verification.min_verification_interval", v.verification().minIntervalSecs());
        });
        forEachConfig(model, "miner", (path, root) -> {
            assertDuration(path, root, "validator_comms.request_timeout", null);
            assertDuration(path, root, "validator_comms.rate_limit.window_duration", null);
            assertDuration(path, root, "executor_management.health_check_interval", m.healthCheckIntervalSecs());
            assertDuration(path, root, "executor_management.health_check_timeout", m.healthCheckTimeoutSecs());
            assertDuration(path, root, "security.token_expiration", null);
        });
        forEachConfig(model, "executor", (path, root) -> {
            assertDuration(path, root, "system.update_interval", null);
            assertDuration(path, root, "docker.container_timeout", x.docker().containerTimeoutSecs());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void noDurationAnywhereIsAnIntegerOrAString(String model) {
        forEachConfig(model, null, (path, root) -> {
            String service = serviceOf(path);
            Set<String> durations = switch (service) {
                case "validator" -> VALIDATOR_DURATIONS;
                case "miner" -> MINER_DURATIONS;
                default -> EXECUTOR_DURATIONS;
            };
            Set<String> integers = INTEGER_TIMES.get(service);
            walk(root, "", (key, node) -> {
                String name = key.substring(key.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
                String field = key.replaceAll("\\[\\d+]", "");
                boolean looksLikeDuration = DURATION_NAME.matcher(name).matches() && !INTEGER_NAME.matcher(name).matches();
                if (durations.contains(field) || (looksLikeDuration && !integers.contains(field))) {
                    assertIsDuration(path, key, node);
                }
                if (integers.contains(field) || INTEGER_NAME.matcher(name).matches()) {
                    assertTrue(node.isIntegralNumber(), path + ": " + key + " is integer seconds in the struct, found " + node);
                }
                if (node.isObject() && (node.has("secs") || node.has("nanos"))) {
                    assertIsDuration(path, key, node);
                    assertTrue(durations.contains(field), path + ": " + key + " is written as a duration, but the "
                            + service + " has no Duration field there");
                }
            });
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void minerExecutorIdsAreUuidsDistinctPerHostAndAddressTheExecutors(String model) {
        Environment env = GeneratedModel.of(model).environment();
        Map<String, String> idByExecutor = executorIds(model);
        Set<String> executorHosts = new TreeSet<>();
        for (Host h : env.hostsWith(Role.EXECUTOR)) executorHosts.add(h.name());
        assertEquals(executorHosts, idByExecutor.keySet(), model + ": every executor host is listed by exactly one miner");
        for (var e : idByExecutor.entrySet()) {
            String id = e.getValue();
            assertTrue(UUID_TEXT.matcher(id).matches(), model + ": executor " + e.getKey() + " id is not a canonical UUID: " + id);
            assertEquals(id, UUID.fromString(id).toString(), model + ": id does not round-trip as a UUID");
        }
        assertEquals(idByExecutor.size(), new HashSet<>(idByExecutor.values()).size(),
                model + ": executor ids must be distinct per host: " + idByExecutor);

        int grpc = env.services().executor().grpcPort();
        forEachConfig(model, "miner", (path, root) -> {
            String miner = hostOf(path);
            Set<String> expected = new TreeSet<>();
            for (Host h : env.hostsWith(Role.EXECUTOR)) {
                if (miner.equals(managingMiner(env, h))) expected.add(h.name());
            }
            Set<String> listed = new TreeSet<>();
            JsonNode list = root.path("executor_management").path("executors");
            assertTrue(list.isArray() && !list.isEmpty(), path + ": the miner refuses to start without executors");
            for (JsonNode e : list) {
                String name = e.path("name").asText();
                listed.add(name);
                Host h = host(env, name);
                assertEquals(bracketed(advertised(h)) + ":" + grpc, e.path("grpc_address").asText(),
                        path + ": grpc_address of " + name + " (host:port, IPv6 in brackets)");
            }
            assertEquals(expected, listed, path + ": the executors this miner manages");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void executorIdsAreStableAcrossRunsAndUnrelatedModelChanges(String model) throws Exception {
        Map<String, String> first = executorIds(model);
        Map<String, String> again = executorIds(GeneratedModel.compile(model));
        assertEquals(first, again, model + ": a second run must give every executor the same id");

        // Adding a host (sorted before the others) must not renumber the existing executors.
        String text = Files.readString(GeneratedModel.repo().resolve(model), StandardCharsets.UTF_8);
        Environment env = GeneratedModel.of(model).environment();
        Host anyExecutor = env.hostsWith(Role.EXECUTOR).get(0);
        String marker = "  - name: " + anyExecutor.name() + "\n";
        assertTrue(text.contains(marker), model + ": cannot find " + marker.strip());
        String extra = "  - name: aaa-new-gpu\n    address: 192.0.2.250\n    roles: [executor]\n"
                + (anyExecutor.miner() != null ? "    miner: " + anyExecutor.miner() + "\n" : "")
                + "    ssh: { user: ops, port: 22 }\n";
        GeneratedModel grown = GeneratedModel.of(model, ModelLoader.parse(text.replace(marker, extra + marker), model));
        Fleet fleet = grown.fleet();
        Map<String, String> after = executorIds(grown);
        assertTrue(after.containsKey("aaa-new-gpu"), "the added executor is listed");
        first.forEach((name, id) -> assertEquals(id, after.get(name), model + ": adding a host changed the id of " + name));
        assertFalse(first.containsValue(after.get("aaa-new-gpu")), "the new executor got an existing id");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void managingMinerHotkeyIsATopLevelKeyOfTheManagingMiner(String model) {
        Environment env = GeneratedModel.of(model).environment();
        Map<String, String> texts = GeneratedModel.of(model).files("/executor.toml");
        forEachConfig(model, "executor", (path, root) -> {
            Host h = host(env, hostOf(path));
            Host miner = host(env, managingMiner(env, h));
            String expected = env.walletOf(miner, Role.MINER).hotkeySs58();
            JsonNode key = root.get("managing_miner_hotkey");
            assertTrue(key != null && key.isTextual(), path + ": no top-level managing_miner_hotkey (the executor would trust Alice)");
            assertEquals(expected, key.asText(), path + ": managing_miner_hotkey is the managing miner's hotkey");
            assertNotEquals(ALICE, key.asText(), path + ": the public Alice key");
            assertFalse(root.path("validator").has("managing_miner_hotkey"), path + ": [validator] managing_miner_hotkey is ignored");
            // Also in the text: the key stands above the first table header.
            String text = texts.get(path.substring(model.length() + 2));
            int key0 = text.indexOf("\nmanaging_miner_hotkey");
            int table0 = text.indexOf("\n[");
            assertTrue(key0 >= 0 && key0 < table0, path + ": managing_miner_hotkey must precede every [table]");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void metricsListenOnMetricsPrometheusOnly(String model) {
        Environment env = GeneratedModel.of(model).environment();
        boolean scraped = env.monitoring().enabled() || !env.firewall().metricsSources().isEmpty();
        forEachConfig(model, null, (path, root) -> {
            JsonNode metrics = root.path("metrics");
            for (String wrong : List.of("port", "host", "path", "address", "bind_address")) {
                assertFalse(metrics.has(wrong), path + ": [metrics] " + wrong + " is ignored; the listener is [metrics.prometheus]");
            }
            String service = serviceOf(path);
            if (service.equals("executor")) return; // its metrics come from --metrics-addr (unit test)
            int port = service.equals("validator") ? env.services().validator().metricsPort() : env.services().miner().metricsPort();
            JsonNode prom = metrics.path("prometheus");
            assertTrue(metrics.path("enabled").asBoolean(false), path + ": metrics.enabled");
            assertTrue(prom.path("port").isIntegralNumber(), path + ": [metrics.prometheus] port");
            assertEquals(port, prom.path("port").asInt(), path + ": [metrics.prometheus] port is the model's metrics port");
            String host = prom.path("host").asText();
            assertEquals(scraped ? "0.0.0.0" : "127.0.0.1", host,
                    path + ": metrics bind everywhere only when something remote scrapes them");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void validatorApiBindsTheModelsApiPort(String model) {
        Environment env = GeneratedModel.of(model).environment();
        forEachConfig(model, "validator", (path, root) -> {
            String bind = root.path("api").path("bind_address").asText("");
            int colon = bind.lastIndexOf(':');
            assertTrue(colon > 0, path + ": [api].bind_address is host:port, found '" + bind + "'");
            assertEquals(String.valueOf(env.services().validator().apiPort()), bind.substring(colon + 1),
                    path + ": [api].bind_address (the real HTTP listener) has the model's api_port");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void netuidAndNetworkAreTheModelsEverywhere(String model) {
        Environment env = GeneratedModel.of(model).environment();
        int netuid = env.chain().netuid();
        forEachConfig(model, null, (path, root) -> {
            String service = serviceOf(path);
            if (service.equals("executor")) return; // no chain access
            assertEquals(netuid, root.path("bittensor").path("netuid").asInt(-1), path + ": bittensor.netuid");
            assertTrue(root.path("bittensor").path("netuid").isIntegralNumber(), path + ": bittensor.netuid is an integer");
            assertEquals(env.chain().network().id(), root.path("bittensor").path("network").asText(), path + ": bittensor.network");
            if (service.equals("validator")) {
                assertEquals(netuid, root.path("verification").path("netuid").asInt(-1),
                        path + ": verification.netuid (metagraph discovery; the default is subnet 1)");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void minerAxonPortIsItsGrpcPort(String model) {
        Environment env = GeneratedModel.of(model).environment();
        forEachConfig(model, "miner", (path, root) -> {
            JsonNode axon = root.path("bittensor").path("axon_port");
            JsonNode server = root.path("server").path("port");
            assertTrue(axon.isIntegralNumber() && server.isIntegralNumber(), path + ": axon_port and server.port are integers");
            assertEquals(server.asInt(), axon.asInt(), path + ": validators dial the axon port registered on chain");
            assertEquals(env.services().miner().grpcPort(), server.asInt(), path + ": server.port is the model's grpc_port");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void advertisedAddressesUseThePublicAddress(String model) {
        Environment env = GeneratedModel.of(model).environment();
        var m = env.services().miner();
        var x = env.services().executor();
        forEachConfig(model, null, (path, root) -> {
            Host h = host(env, hostOf(path));
            String pub = advertised(h);
            String b = bracketed(pub);
            switch (serviceOf(path)) {
                case "miner" -> {
                    JsonNode a = root.path("advertised_addresses");
                    assertEquals("http://" + b + ":" + m.grpcPort(), a.path("grpc_endpoint").asText(), path + ": grpc_endpoint");
                    assertEquals("http://" + b + ":" + m.grpcPort(), a.path("axon_endpoint").asText(), path + ": axon_endpoint");
                    assertEquals("http://" + b + ":" + m.metricsPort(), a.path("metrics_endpoint").asText(), path + ": metrics_endpoint");
                    a.properties().forEach(e -> assertUrlHost(path + ": advertised_addresses." + e.getKey(),
                            e.getValue().asText(), b, "http", "https"));
                    assertExternalIp(path, root, pub);
                }
                case "executor" -> {
                    JsonNode a = root.path("advertised_endpoint");
                    assertEquals("http://" + b + ":" + x.grpcPort(), a.path("grpc_endpoint").asText(), path + ": grpc_endpoint");
                    assertEquals("ssh://" + b + ":" + h.ssh().port(), a.path("ssh_endpoint").asText(), path + ": ssh_endpoint");
                    assertUrlHost(path + ": grpc_endpoint", a.path("grpc_endpoint").asText(), b, "http", "https");
                    assertUrlHost(path + ": ssh_endpoint", a.path("ssh_endpoint").asText(), b, "ssh");
                }
                default -> assertExternalIp(path, root, pub);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void f64FieldsAreTomlFloatsAndIntegersAreIntegers(String model) {
        Environment env = GeneratedModel.of(model).environment();
        var v = env.services().validator();
        forEachConfig(model, null, (path, root) -> {
            switch (serviceOf(path)) {
                case "validator" -> {
                    assertFloat(path, root, "verification.min_score_threshold", v.verification().minScore());
                    assertFloat(path, root, "verification.binary_validation.score_weight", v.verification().binaryValidation().scoreWeight());
                    assertFloat(path, root, "emission.burn_percentage", v.emission().burnPercentage());
                    root.path("emission").path("gpu_allocations").properties().forEach(e ->
                            assertTrue(e.getValue().isFloatingPointNumber(),
                                    path + ": emission.gpu_allocations." + e.getKey() + " is f64, found " + e.getValue()));
                    assertIntegers(path, root, "bittensor.netuid", "bittensor.axon_port", "verification.netuid",
                            "verification.max_concurrent_verifications", "verification.max_miners_per_round",
                            "verification.binary_validation.execution_timeout_secs", "metrics.prometheus.port",
                            "ssh_session.max_concurrent_sessions", "ssh_session.session_rate_limit",
                            "ssh_session.default_session_duration", "ssh_session.max_session_duration",
                            "emission.burn_uid", "emission.weight_set_interval_blocks");
                }
                case "miner" -> assertIntegers(path, root, "bittensor.netuid", "bittensor.axon_port", "server.port",
                        "metrics.prometheus.port", "validator_comms.max_concurrent_sessions",
                        "validator_comms.rate_limit.requests_per_second", "validator_comms.rate_limit.burst_capacity",
                        "executor_management.max_retry_attempts");
                default -> {
                    assertFloat(path, root, "docker.resource_limits.cpu_cores", env.services().executor().docker().cpuCores());
                    for (String f32 : List.of("system.max_cpu_usage", "system.max_memory_usage", "system.max_gpu_memory_usage")) {
                        JsonNode n = at(root, f32);
                        assertTrue(n.isMissingNode() || n.isFloatingPointNumber(), path + ": " + f32 + " is a float");
                    }
                    assertIntegers(path, root, "server.port", "docker.max_concurrent_containers", "docker.resource_limits.memory_bytes");
                    assertEquals((long) env.services().executor().docker().memoryGib() << 30,
                            at(root, "docker.resource_limits.memory_bytes").asLong(), path + ": memory_bytes in bytes");
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gpuAllocationsKeepTheDefaultModelsAndSumTo100(String model) {
        Environment env = GeneratedModel.of(model).environment();
        forEachConfig(model, "validator", (path, root) -> {
            JsonNode table = root.path("emission").path("gpu_allocations");
            assertTrue(table.isObject() && !table.isEmpty(), path + ": emission.gpu_allocations");
            // The binary unions this map with its defaults {H100, H200}: both must be written, or the
            // defaults' shares join the table and the sum is no longer 100.
            assertTrue(table.has("H100") && table.has("H200"), path + ": gpu_allocations must name H100 and H200: " + table);
            double sum = 0;
            for (var e : table.properties()) {
                assertTrue(e.getValue().asDouble() >= 0, path + ": negative share for " + e.getKey());
                sum += e.getValue().asDouble();
            }
            assertEquals(100.0, sum, 0.01, path + ": gpu_allocations must sum to 100 (the validator refuses to start)");
            for (Host h : env.hostsWith(Role.EXECUTOR)) {
                for (var gpu : h.gpus()) {
                    assertTrue(table.has(gpu.model()), path + ": " + h.name() + "'s " + gpu.model() + " earns no emission");
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void noSecretIsWrittenToAConfig(String model) {
        Environment env = GeneratedModel.of(model).environment();
        List<String> references = new ArrayList<>();
        List<SecretRef> refs = new ArrayList<>();
        refs.add(env.services().validator().apiKey());
        refs.add(env.services().miner().jwtSecret());
        if (env.wallets().validator() != null) refs.add(env.wallets().validator().hotkeyFile());
        if (env.wallets().miner() != null) refs.add(env.wallets().miner().hotkeyFile());
        for (Host h : env.hosts()) if (h.wallet() != null) refs.add(h.wallet().hotkeyFile());
        for (SecretRef r : refs) {
            if (r == null) continue;
            Stream.of(r.env(), r.file(), r.vault()).filter(Objects::nonNull).forEach(references::add);
        }
        forEachConfig(model, null, (path, root) -> walk(root, "", (key, node) -> {
            String name = key.substring(key.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
            assertFalse(SECRET_KEY.matcher(name).matches(),
                    path + ": " + key + " would hold a secret; secrets reach the service as BASILCA_* variables");
            if (node.isTextual()) {
                for (String ref : references) {
                    assertFalse(node.asText().contains(ref), path + ": " + key + " contains the secret reference " + ref);
                }
            }
        }));
    }

    /** The writer's float form must read back as a TOML float with the same value, at any magnitude. */
    @Test
    void floatFormattingAlwaysReadsBackAsAFloat() throws JsonProcessingException {
        for (double d : new double[] {0.0, 1.0, 2.0, 0.1, 0.01, 99.99, 100.0, 1e-7, 1.5e-10, 123456.789, 1e15, 1.5e15,
                4503599627370497.0, 1e22, -3.0, -0.25}) {
            String text = TomlWriter.formatFloat(d);
            JsonNode n = TOML.readTree("x = " + text + "\n").get("x");
            assertTrue(n.isFloatingPointNumber(), d + " was written as " + text + ", which TOML reads as " + n.getNodeType());
            assertEquals(d, n.asDouble(), 0.0, d + " was written as " + text);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> out = new HashSet<>();
        for (Set<String> s : sets) out.addAll(s);
        return Set.copyOf(out);
    }

    private static Map<String, JsonNode> configs(String model) {
        return PARSED.computeIfAbsent(model, m -> parseAll(GeneratedModel.of(m)));
    }

    private static Map<String, JsonNode> parseAll(GeneratedModel g) {
        Map<String, JsonNode> out = new TreeMap<>();
        g.files(".toml").forEach((path, text) -> {
            try {
                JsonNode root = TOML.readTree(text);
                assertTrue(root != null && root.isObject(), path + " is not a TOML document");
                out.put(path, root);
            } catch (JsonProcessingException e) {
                fail(g.model() + ": " + path + " is not valid TOML: " + e.getOriginalMessage());
            }
        });
        return out;
    }

    /** Runs {@code check} on every config of {@code service} (or every config, when null). */
    private static void forEachConfig(String model, String service, BiConsumer<String, JsonNode> check) {
        int n = 0;
        for (var e : configs(model).entrySet()) {
            if (service == null || serviceOf(e.getKey()).equals(service)) {
                check.accept(model + ": " + e.getKey(), e.getValue());
                n++;
            }
        }
        if (service != null) {
            boolean runs = GeneratedModel.of(model).fleet().hosts().stream()
                    .anyMatch(h -> h.services().stream().anyMatch(s -> s.id().equals(service)));
            assertEquals(runs, n > 0, model + ": configs of " + service);
        }
    }

    private static String serviceOf(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.substring(0, file.length() - ".toml".length());
    }

    private static String hostOf(String path) {
        String[] parts = path.substring(path.indexOf("configs/")).split("/");
        return parts[1];
    }

    /** Every key/value pair below {@code node}, depth first, with dotted keys ({@code a.b[0].c}). */
    private static void walk(JsonNode node, String prefix, BiConsumer<String, JsonNode> visit) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                visit.accept(key, e.getValue());
                walk(e.getValue(), key, visit);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String key = prefix + "[" + i + "]";
                if (node.get(i).isObject() || node.get(i).isArray()) walk(node.get(i), key, visit);
            }
        }
    }

    private static JsonNode at(JsonNode root, String dotted) {
        JsonNode n = root;
        for (String part : dotted.split("\\.")) n = n.path(part);
        return n;
    }

    private static void assertIsDuration(String path, String key, JsonNode node) {
        assertTrue(node.isObject(), path + ": " + key + " is a Duration, so a { secs = N, nanos = 0 } table; found "
                + node.getNodeType() + " " + node);
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        assertEquals(Set.of("nanos", "secs"), keys, path + ": " + key + " has exactly secs and nanos");
        assertTrue(node.get("secs").isIntegralNumber() && node.get("secs").asLong() >= 0,
                path + ": " + key + ".secs is a non-negative integer: " + node);
        assertTrue(node.get("nanos").isIntegralNumber() && node.get("nanos").asLong() >= 0
                && node.get("nanos").asLong() < 1_000_000_000L, path + ": " + key + ".nanos is an integer below 1e9: " + node);
    }

    private static void assertDuration(String path, JsonNode root, String field, Long expectedSecs) {
        JsonNode n = at(root, field);
        assertFalse(n.isMissingNode(), path + ": " + field + " is missing");
        assertIsDuration(path, field, n);
        if (expectedSecs != null) {
            assertEquals(expectedSecs.longValue(), n.get("secs").asLong(), path + ": " + field + ".secs is the model's value");
        }
        assertEquals(0, n.get("nanos").asLong(), path + ": " + field + ".nanos");
    }

    private static void assertFloat(String path, JsonNode root, String field, double expected) {
        JsonNode n = at(root, field);
        assertTrue(n.isFloatingPointNumber(), path + ": " + field + " is f64, so a TOML float; found " + n.getNodeType() + " " + n);
        assertEquals(expected, n.asDouble(), 1e-12, path + ": " + field);
    }

    private static void assertIntegers(String path, JsonNode root, String... fields) {
        for (String f : fields) {
            JsonNode n = at(root, f);
            assertTrue(n.isIntegralNumber(), path + ": " + f + " is an integer field; found " + n.getNodeType() + " " + n);
        }
    }

    private static void assertUrlHost(String what, String url, String bracketedHost, String... schemes) {
        URI u = URI.create(url);
        assertTrue(List.of(schemes).contains(u.getScheme()), what + ": scheme of " + url);
        assertEquals(bracketedHost, u.getHost(), what + ": host of " + url);
        assertTrue(u.getPort() > 0, what + ": port of " + url);
    }

    private static void assertExternalIp(String path, JsonNode root, String pub) {
        JsonNode ip = root.path("bittensor").path("external_ip");
        if (isIp(pub)) {
            assertEquals(pub, ip.asText(), path + ": bittensor.external_ip is the public address, without brackets");
        } else {
            assertTrue(ip.isMissingNode(), path + ": external_ip only takes an IP address; found " + ip);
        }
    }

    private static boolean isIp(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || s.contains(":");
    }

    private static String bracketed(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static String advertised(Host h) {
        return h.publicAddress() != null ? h.publicAddress() : h.address();
    }

    private static Host host(Environment env, String name) {
        return env.hosts().stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no host " + name));
    }

    /** Which miner manages an executor: the one it names, else the only miner of the model. */
    private static String managingMiner(Environment env, Host executor) {
        if (executor.miner() != null) return executor.miner();
        List<Host> miners = env.hostsWith(Role.MINER);
        assertEquals(1, miners.size(), executor.name() + " names no miner, so the model has exactly one");
        return miners.get(0).name();
    }

    private static Map<String, String> executorIds(String model) {
        return executorIds(model, configs(model));
    }

    private static Map<String, String> executorIds(GeneratedModel g) {
        return executorIds(g.model(), parseAll(g));
    }

    /** Executor name → id, from every miner.toml of a compilation. */
    private static Map<String, String> executorIds(String model, Map<String, JsonNode> parsed) {
        Map<String, String> out = new TreeMap<>();
        Map<String, String> seenIn = new HashMap<>();
        parsed.forEach((path, root) -> {
            if (!serviceOf(path).equals("miner")) return;
            for (JsonNode e : root.path("executor_management").path("executors")) {
                String name = e.path("name").asText();
                String prev = seenIn.put(name, path);
                assertTrue(prev == null, model + ": executor " + name + " is listed by " + prev + " and " + path);
                out.put(name, e.path("id").asText());
            }
        });
        return out;
    }
}
