package dev.basilica.emit.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.basilica.emit.Templates;
import dev.basilica.generate.Generator;
import dev.basilica.model.Environment;
import dev.basilica.model.ModelLoader;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.ServiceKind;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.testing.GeneratedModel;
import dev.basilica.testing.ModelStrings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated units against systemd itself: {@code systemd-analyze verify} in a throw-away root
 * (warnings are failures) and {@code systemd-analyze security --offline} with a per-service exposure
 * threshold; plus the unit rules of the upstream reference §4 and §10, which need no tool.
 *
 * <p>Exposure thresholds, measured with systemd 252 (Debian 12), in systemd's tenths (15 = 1.5); each
 * is the measured score plus 0.1, so a change that weakens a unit fails here. Why each service keeps
 * what it keeps (also in docs/systemd.md):
 * <ul>
 *   <li>validator: measured 1.3. Keeps the host network (chain RPC, its HTTP API, SSH and scp to every
 *       executor, so no PrivateNetwork or IP allow list), AF_UNIX (NSS lookups for the ssh client),
 *       and writable-executable memory (it runs the third-party veritas validator-binary, which cannot
 *       be checked for W+X mappings). Its wallet is under /var/lib/basilica, so ProtectHome=yes.
 *   <li>miner: measured 1.2. Same network needs (gRPC listener, chain, executors); the only service
 *       with MemoryDenyWriteExecute, since it runs nothing but its own Rust binary.
 *   <li>executor: measured 1.7. Additionally keeps the GPU device nodes (NVML; no PrivateDevices or
 *       device ACL), netlink (interface statistics), the docker supplementary group (Docker socket),
 *       a read-only view of its home (it appends validators' keys to ~/.ssh/authorized_keys, the only
 *       writable part), and W+X memory for NVIDIA's closed NVML library.
 * </ul>
 */
class SystemdUnitVerifyTest {

    /** Highest allowed overall exposure per service, in tenths (systemd-analyze security --threshold). */
    static final Map<String, Integer> THRESHOLD = Map.of(
            "validator", 14,  // measured 1.3
            "miner", 13,      // measured 1.2
            "executor", 18);  // measured 1.7

    private static final String TOOL = "systemd-analyze";
    private static final String LEVELS = "(trace|debug|info|warn|error)";
    private static final Pattern SCORE = Pattern.compile("Overall exposure level for (\\S+): (\\d+)\\.(\\d)");
    private static final TomlMapper TOML = new TomlMapper();

    static Stream<String> models() {
        return GeneratedModel.MODELS.stream();
    }

    // ---- Rules that need no tool ---------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void unitsFollowTheServiceRules(String model) {
        GeneratedModel g = GeneratedModel.of(model);
        Environment env = g.environment();
        Map<String, String> units = g.files(".service");
        assertFalse(units.isEmpty(), model + ": no units");
        for (var e : units.entrySet()) {
            String where = model + ": " + e.getKey();
            String service = serviceOf(e.getKey());
            Unit u = Unit.parse(where, e.getValue());

            assertTrue(u.all("Service", "ExecReload").isEmpty(),
                    where + ": no ExecReload (the services have no SIGHUP handler; a reload kills them)");
            assertTrue(u.all("Service", "MemoryLimit").isEmpty(), where + ": MemoryLimit= is the deprecated cgroup-v1 name");
            assertTrue(u.one("Service", "MemoryMax").isPresent(), where + ": MemoryMax=");
            assertEquals(Optional.of("journal"), u.one("Service", "StandardOutput"), where + ": StandardOutput=journal");
            assertEquals(Optional.of("journal"), u.one("Service", "StandardError"), where + ": StandardError=journal");
            String user = u.one("Service", "User").orElse("");
            assertFalse(user.isEmpty() || user.equals("root") || user.equals("0") || user.equals("nobody"),
                    where + ": runs as a dedicated non-root user, found User=" + user);
            assertEquals(List.of("-/etc/basilica/" + service + ".env"), u.all("Service", "EnvironmentFile"),
                    where + ": secrets come from the optional root-only EnvironmentFile");
            assertEquals(Optional.of("yes"), u.one("Service", "NoNewPrivileges"), where + ": NoNewPrivileges=yes");
            assertEquals(Optional.of("strict"), u.one("Service", "ProtectSystem"), where + ": ProtectSystem=strict");
            // No capabilities, except binding a listener port below 1024 when the model asks for one.
            String caps = privilegedPorts(env, service).isEmpty() ? "" : "CAP_NET_BIND_SERVICE";
            assertEquals(Optional.of(caps), u.one("Service", "CapabilityBoundingSet"), where + ": capabilities");
            assertEquals(Optional.of(caps), u.one("Service", "AmbientCapabilities"), where + ": ambient capabilities");
            // ProtectSystem=strict leaves only the state directory writable: the working directory is it.
            assertEquals(Optional.of("/var/lib/basilica/" + service), u.one("Service", "WorkingDirectory"), where);
            assertEquals(Optional.of("basilica/" + service), u.one("Service", "StateDirectory"), where);
            assertEquals(Optional.of("multi-user.target"), u.one("Install", "WantedBy"), where);

            String exec = u.one("Service", "ExecStart").orElse("");
            List<String> groups = u.all("Service", "SupplementaryGroups");
            String home = u.all("Service", "Environment").stream().filter(s -> s.startsWith("HOME="))
                    .map(s -> s.substring(5)).findFirst().orElse("");
            String protectHome = u.one("Service", "ProtectHome").orElse("no");
            switch (service) {
                case "validator" -> {
                    assertEquals("/opt/basilica/bin/validator start --config /etc/basilica/validator.toml", exec,
                            where + ": the handler reads only start's own --config");
                    assertTrue(groups.isEmpty(), where + ": no supplementary groups");
                    assertTrue(u.one("Service", "MemoryDenyWriteExecute").isEmpty(),
                            where + ": the veritas validator-binary runs under this unit; W+X memory must stay possible");
                }
                case "miner" -> {
                    Matcher m = Pattern.compile("/opt/basilica/bin/miner --config /etc/basilica/miner\\.toml"
                            + "( --log-level " + LEVELS + ")? --metrics").matcher(exec);
                    assertTrue(m.matches(), where + ": miner --config ... --metrics (metrics need the flag), found " + exec);
                    assertTrue(groups.isEmpty(), where + ": no supplementary groups");
                }
                case "executor" -> {
                    Matcher m = Pattern.compile("/opt/basilica/bin/executor --server --config /etc/basilica/executor\\.toml"
                            + "( --log-level " + LEVELS + ")? --metrics --metrics-addr (\\S+):(\\d+)").matcher(exec);
                    assertTrue(m.matches(), where + ": executor --server --config ... --metrics --metrics-addr, found " + exec);
                    assertEquals(env.services().executor().metricsPort(), Integer.parseInt(m.group(4)),
                            where + ": --metrics-addr has the model's executor metrics_port");
                    String execUser = env.services().executor().user();
                    assertEquals(execUser, user, where + ": validators log in over SSH as this user");
                    assertEquals(List.of("docker"), groups, where + ": SupplementaryGroups=docker (the Docker socket)");
                    assertEquals("/home/" + execUser, home, where + ": HOME of the SSH-loginable executor user");
                    assertEquals("read-only", protectHome, where + ": the executor's home must stay visible");
                    assertTrue(String.join(" ", u.all("Service", "ReadWritePaths")).contains("/home/" + execUser + "/.ssh"),
                            where + ": ~/.ssh stays writable for validators' authorized_keys");
                    assertTrue(u.one("Service", "PrivateDevices").isEmpty(), where + ": NVML needs /dev/nvidia*");
                    assertTrue(u.one("Service", "DevicePolicy").isEmpty(), where + ": NVML needs /dev/nvidia*");
                    assertTrue(u.one("Service", "RestrictAddressFamilies").orElse("AF_UNIX").contains("AF_UNIX"),
                            where + ": the Docker socket is AF_UNIX");
                    assertTrue(u.one("Unit", "Requires").orElse("").contains("docker.service"), where + ": Requires=docker.service");
                    assertTrue(u.one("Unit", "After").orElse("").contains("docker.service"), where + ": After=docker.service");
                }
                default -> fail(where + ": unexpected unit");
            }
            if (!service.equals("executor")) {
                assertEquals("basilica", user, where + ": validator and miner run as basilica");
                assertEquals("/var/lib/basilica", home, where + ": the wallets live under the service home");
            }
            if (protectHome.equals("yes") || protectHome.equals("tmpfs")) {
                assertFalse(home.startsWith("/home/") || home.startsWith("/root") || home.startsWith("/run/user"),
                        where + ": ProtectHome=" + protectHome + " would hide the service's home " + home);
            }
        }
    }

    /** Whatever a service writes, as its config says, is inside what its unit leaves writable. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void configuredWritablePathsAreInsideTheStateDirectory(String model) throws JsonProcessingException {
        GeneratedModel g = GeneratedModel.of(model);
        for (var e : g.files(".toml").entrySet()) {
            String service = serviceOf(e.getKey());
            JsonNode root = TOML.readTree(e.getValue());
            String state = "/var/lib/basilica/" + service;
            List<String> written = new ArrayList<>();
            switch (service) {
                case "validator" -> {
                    written.add(root.path("database").path("url").asText().replaceFirst("^sqlite:", "").replaceFirst("\\?.*", ""));
                    written.add(root.path("storage").path("data_dir").asText());
                    written.add(root.path("ssh_session").path("ssh_key_directory").asText());
                    written.add(root.path("ssh_session").path("audit_log_path").asText());
                }
                case "miner" -> {
                    written.add(root.path("database").path("url").asText().replaceFirst("^sqlite:", "").replaceFirst("\\?.*", ""));
                    written.add(root.path("ssh_session").path("audit_log_path").asText());
                }
                default -> { }
            }
            for (String p : written) {
                assertTrue(p.equals(state) || p.startsWith(state + "/"),
                        model + ": " + e.getKey() + " writes " + p + ", outside its StateDirectory " + state
                                + " (read-only under ProtectSystem=strict)");
            }
        }
    }

    /** A listener below 1024 gets CAP_NET_BIND_SERVICE and nothing else; the other units stay capability-free. */
    @Test
    void aPrivilegedListenerPortGetsOnlyNetBindService() throws Exception {
        for (var e : privilegedListenerUnits().entrySet()) {
            Unit u = Unit.parse(e.getKey(), e.getValue());
            String expected = serviceOf(e.getKey()).equals("validator") ? "CAP_NET_BIND_SERVICE" : "";
            assertEquals(Optional.of(expected), u.one("Service", "CapabilityBoundingSet"), e.getKey());
            assertEquals(Optional.of(expected), u.one("Service", "AmbientCapabilities"), e.getKey());
        }
    }

    /** The same units pass systemd-analyze verify, and the capability keeps the validator under its threshold. */
    @Tag("tools")
    @Test
    void aPrivilegedListenerPortKeepsTheValidatorUnderItsThreshold(@TempDir Path tmp) throws Exception {
        assumeTool();
        Map<String, String> host = byHost(privilegedListenerModel()).values().iterator().next();
        Path root = tmp.resolve("root");
        install(root, host);
        Result r = verify(root, host.keySet());
        assertTrue(r.clean(host.keySet(), root), "rc=" + r.rc + "\n" + r.output);
        int score = score(security(root, "basilica-validator.service", 100), "basilica-validator.service");
        System.out.printf("validator with a listener on port 443: exposure %d.%d%n", score / 10, score % 10);
        assertTrue(score <= THRESHOLD.get("validator"), "the capability alone must not push the validator over its "
                + "threshold; exposure " + score / 10.0);
    }

    /** The development model's units with the validator's API on port 443. */
    private static Map<String, String> privilegedListenerUnits() throws Exception {
        return privilegedListenerModel().files(".service");
    }

    private static GeneratedModel privilegedListenerModel() throws Exception {
        String model = GeneratedModel.MODELS.get(0);
        String text = Files.readString(GeneratedModel.repo().resolve(model), StandardCharsets.UTF_8);
        assertTrue(text.contains("\nservices:\n"), "unexpected development model");
        String edited = text.replace("\nservices:\n", "\nservices:\n  validator:\n    api_port: 443\n");
        return GeneratedModel.of(model, ModelLoader.parse(edited, model));
    }

    // ---- systemd-analyze verify ------------------------------------------------------------------------

    @Tag("tools")
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void generatedUnitsPassSystemdAnalyzeVerify(String model, @TempDir Path tmp) throws Exception {
        assumeTool();
        GeneratedModel g = GeneratedModel.of(model);
        // One root per host; hosts with the very same units are verified once.
        Map<Map<String, String>, String> distinct = new LinkedHashMap<>();
        byHost(g).forEach((host, units) -> distinct.putIfAbsent(units, host));
        for (var host : distinct.entrySet()) {
            Path root = tmp.resolve(host.getValue());
            install(root, host.getKey());
            Result r = verify(root, host.getKey().keySet());
            assertTrue(r.clean(host.getKey().keySet(), root),
                    model + ": " + host.getValue() + ": systemd-analyze verify rc=" + r.rc + ":\n" + r.output);
        }
    }

    /**
     * Specifiers in model values are text: an executor user {@code ex%Q%hec} (User=, Group=, HOME,
     * ReadWritePaths=) passes verify as literal characters; the same units with {@code %%} undone make
     * systemd complain about the unknown {@code %Q}, so the check can fail. A newline is refused before
     * anything is written. (Log levels are an enum, so no model text reaches RUST_LOG or --log-level.)
     */
    @Tag("tools")
    @Test
    void specifiersInModelValuesStayText(@TempDir Path tmp) throws Exception {
        Fleet fleet = ModelStrings.plan(GeneratedModel.MODELS.get(0), (path, v) -> switch (path) {
            case "services.executor.user" -> "ex%Q%hec";
            default -> v;
        });
        GeneratedModel g = new GeneratedModel("specifiers", null, fleet, new Generator(Templates.packaged()).emit(fleet));
        Map<String, String> units = byHost(g).values().iterator().next();
        assertEquals(Optional.of("ex%%Q%%hec"), Unit.parse("executor", units.get("basilica-executor.service")).one("Service", "User"));

        assertThrows(IllegalArgumentException.class, () -> new Generator(Templates.packaged()).emit(ModelStrings.plan(
                GeneratedModel.MODELS.get(0), (path, v) -> path.equals("services.executor.memory_max")
                        ? "4G\nExecStartPre=+/bin/sh -c 'id'\nUser=root" : v)));

        assumeTool();
        Path root = tmp.resolve("escaped");
        install(root, units);
        Result r = verify(root, units.keySet());
        assertTrue(r.clean(units.keySet(), root), "rc=" + r.rc + "\n" + r.output);

        Map<String, String> unescaped = new TreeMap<>();
        units.forEach((name, text) -> unescaped.put(name, text.replace("%%", "%")));
        Path control = tmp.resolve("unescaped");
        install(control, unescaped);
        Result c = verify(control, unescaped.keySet());
        assertFalse(c.clean(unescaped.keySet(), control), "unescaped %Q must make systemd complain:\n" + c.output);
        assertTrue(c.output.contains("%Q") || c.output.contains("specifier"), c.output);
    }

    /** The check above must be able to fail: a misspelt directive, a bad value, a missing binary. */
    @Tag("tools")
    @Test
    void verifyRejectsBrokenUnits(@TempDir Path tmp) throws Exception {
        assumeTool();
        String unit = GeneratedModel.of(GeneratedModel.MODELS.get(0)).files("basilica-miner.service").values().iterator().next();
        assertTrue(unit.contains("\nNoNewPrivileges=yes\n") && unit.contains("\nProtectSystem=strict\n"), "unexpected template");

        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("misspelt directive", unit.replace("\nNoNewPrivileges=yes\n", "\nNoNewPrivilege=yes\n"));
        cases.put("bad value", unit.replace("\nProtectSystem=strict\n", "\nProtectSystem=strickt\n"));
        cases.put("misspelt section", unit.replace("\n[Service]\n", "\n[Servce]\n"));
        int i = 0;
        for (var c : cases.entrySet()) {
            Path root = tmp.resolve("case" + i++);
            install(root, Map.of("basilica-miner.service", c.getValue()));
            Result r = verify(root, List.of("basilica-miner.service"));
            assertFalse(r.clean(List.of("basilica-miner.service"), root), c.getKey() + " passed verify:\n" + r.output);
        }
        // The same good unit passes, and fails once its binary is missing from the root.
        Path good = tmp.resolve("good");
        install(good, Map.of("basilica-miner.service", unit));
        Result ok = verify(good, List.of("basilica-miner.service"));
        assertTrue(ok.clean(List.of("basilica-miner.service"), good), "the unmodified unit: rc=" + ok.rc + "\n" + ok.output);
        Files.delete(good.resolve("opt/basilica/bin/miner"));
        Result missing = verify(good, List.of("basilica-miner.service"));
        assertNotEquals(0, missing.rc, "a missing ExecStart binary must fail:\n" + missing.output);
    }

    // ---- systemd-analyze security ----------------------------------------------------------------------

    @Tag("tools")
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void exposureStaysUnderEachServicesThreshold(String model, @TempDir Path tmp) throws Exception {
        assumeTool();
        GeneratedModel g = GeneratedModel.of(model);
        Map<String, String> distinct = new TreeMap<>();
        for (var host : byHost(g).entrySet()) {
            for (var u : host.getValue().entrySet()) distinct.putIfAbsent(u.getKey() + "\n" + u.getValue(), host.getKey());
        }
        int i = 0;
        for (var e : distinct.entrySet()) {
            String name = e.getKey().substring(0, e.getKey().indexOf('\n'));
            String text = e.getKey().substring(name.length() + 1);
            String service = name.substring("basilica-".length(), name.length() - ".service".length());
            int threshold = THRESHOLD.get(service);
            Path root = tmp.resolve("u" + i++);
            install(root, Map.of(name, text));
            Result r = security(root, name, threshold);
            int score = score(r, name);
            System.out.printf("%s: %s on %s: exposure %d.%d (threshold %d.%d)%n", model, name, e.getValue(),
                    score / 10, score % 10, threshold / 10, threshold % 10);
            assertEquals(0, r.rc, model + ": " + name + " exposure " + score / 10.0 + " is over the threshold "
                    + threshold / 10.0 + " (calibrated with systemd 252)\n" + r.output);
            assertTrue(score <= threshold, model + ": " + name + " exposure " + score);
        }
    }

    /** The threshold gates: just under the measured score fails, and so does a unit stripped of hardening. */
    @Tag("tools")
    @Test
    void securityThresholdRejectsWeakerUnits(@TempDir Path tmp) throws Exception {
        assumeTool();
        String unit = GeneratedModel.of(GeneratedModel.MODELS.get(0)).files("basilica-miner.service").values().iterator().next();
        Path root = tmp.resolve("good");
        install(root, Map.of("basilica-miner.service", unit));
        int score = score(security(root, "basilica-miner.service", 100), "basilica-miner.service");
        assertNotEquals(0, security(root, "basilica-miner.service", score - 1).rc, "threshold below the score must fail");

        StringBuilder weak = new StringBuilder();
        for (String line : unit.split("\n", -1)) {
            if (line.startsWith("Protect") || line.startsWith("Private") || line.startsWith("SystemCall")
                    || line.startsWith("Restrict") || line.startsWith("CapabilityBoundingSet")) continue;
            weak.append(line).append('\n');
        }
        Path weakRoot = tmp.resolve("weak");
        install(weakRoot, Map.of("basilica-miner.service", weak.toString()));
        Result r = security(weakRoot, "basilica-miner.service", THRESHOLD.get("miner"));
        assertNotEquals(0, r.rc, "a miner unit without its sandbox must exceed the miner threshold:\n" + r.output);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** The service's listening ports below 1024, from the model. */
    private static List<Integer> privilegedPorts(Environment env, String service) {
        var s = env.services();
        List<Integer> ports = switch (service) {
            case "validator" -> List.of(s.validator().apiPort(), s.validator().metricsPort());
            case "miner" -> List.of(s.miner().grpcPort(), s.miner().metricsPort());
            default -> List.of(s.executor().grpcPort(), s.executor().metricsPort());
        };
        return ports.stream().filter(p -> p < 1024).toList();
    }

    private static void assumeTool() {
        Assumptions.assumeTrue(onPath(TOOL),
                TOOL + " is not on PATH: skipping the systemd unit checks (install the 'systemd' package to run them)");
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        return Arrays.stream(path.split(java.io.File.pathSeparator)).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, tool)).anyMatch(p -> Files.isRegularFile(p) && Files.isExecutable(p));
    }

    private static String serviceOf(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        if (file.endsWith(".toml")) return file.substring(0, file.length() - ".toml".length());
        return file.substring("basilica-".length(), file.length() - ".service".length());
    }

    /** HOST → NAME.service → text: the shared units (systemd/NAME.service) each host installs, by the services it runs. */
    private static Map<String, Map<String, String>> byHost(GeneratedModel g) {
        Map<String, String> units = g.files(".service");
        Map<String, Map<String, String>> out = new TreeMap<>();
        units.keySet().forEach(path -> assertEquals(2, path.split("/").length, "unexpected unit path " + path));
        for (Fleet.HostPlan h : g.fleet().hosts()) {
            for (ServiceKind s : h.services()) {
                String text = units.get("systemd/" + s.unitName());
                assertNotNull(text, "no unit for " + s.id() + " of " + h.name());
                out.computeIfAbsent(h.name(), k -> new TreeMap<>()).put(s.unitName(), text);
            }
        }
        return out;
    }

    /** Units into ROOT/etc/systemd/system/, an executable stand-in at each ExecStart binary. */
    private static void install(Path root, Map<String, String> units) throws IOException {
        Path dir = Files.createDirectories(root.resolve("etc/systemd/system"));
        for (var u : units.entrySet()) {
            Files.writeString(dir.resolve(u.getKey()), u.getValue(), StandardCharsets.UTF_8);
            for (String line : u.getValue().split("\n")) {
                if (!line.startsWith("ExecStart=")) continue;
                String binary = line.substring("ExecStart=".length()).replaceFirst("^[-@:+!]+", "").split(" ")[0];
                assertTrue(binary.startsWith("/opt/basilica/bin/"), u.getKey() + ": binary outside /opt/basilica/bin: " + binary);
                Path standIn = root.resolve(binary.substring(1));
                Files.createDirectories(standIn.getParent());
                Files.writeString(standIn, "#!/bin/sh\nexit 0\n", StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    private record Result(int rc, String output) {
        /** rc 0 and nothing said about the units or the root (warnings count). */
        boolean clean(Iterable<String> units, Path root) {
            if (rc != 0) return false;
            for (String line : output.split("\n")) {
                if (line.contains(root.toString())) return false;
                for (String u : units) if (line.contains(u)) return false;
            }
            return true;
        }
    }

    private static Result verify(Path root, Iterable<String> units) {
        List<String> cmd = new ArrayList<>(List.of(TOOL, "verify", "--recursive-errors=no", "--root=" + root));
        units.forEach(cmd::add);
        return run(cmd);
    }

    private static Result security(Path root, String unit, int threshold) {
        return run(List.of(TOOL, "security", "--offline=yes", "--no-pager", "--root=" + root,
                "--threshold=" + threshold, unit));
    }

    /** The overall exposure in tenths, read from the report. */
    private static int score(Result r, String unit) {
        Matcher m = SCORE.matcher(r.output);
        assertTrue(m.find(), "no overall exposure for " + unit + " in:\n" + r.output);
        assertEquals(unit, m.group(1), "exposure of another unit");
        return Integer.parseInt(m.group(2)) * 10 + Integer.parseInt(m.group(3));
    }

    private static Result run(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SYSTEMD_LOG_COLOR", "0");
        pb.environment().put("SYSTEMD_PAGER", "cat");
        pb.environment().put("SYSTEMD_COLORS", "0");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A unit file as systemd reads it: sections of KEY=VALUE lines, keys repeatable. */
    private record Unit(Map<String, Map<String, List<String>>> sections) {
        static Unit parse(String where, String text) {
            Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
            String section = null;
            for (String raw : text.split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
                assertFalse(line.endsWith("\\"), where + ": continuation lines are not expected: " + line);
                if (line.startsWith("[") && line.endsWith("]")) {
                    section = line.substring(1, line.length() - 1);
                    assertTrue(sections.put(section, new LinkedHashMap<>()) == null, where + ": section [" + section + "] twice");
                    continue;
                }
                int eq = line.indexOf('=');
                assertTrue(section != null && eq > 0, where + ": not KEY=VALUE in a section: " + line);
                sections.get(section).computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                        .add(line.substring(eq + 1).strip());
            }
            assertTrue(sections.keySet().containsAll(List.of("Unit", "Service", "Install")), where + ": sections " + sections.keySet());
            return new Unit(sections);
        }

        List<String> all(String section, String key) {
            return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
        }

        /** The single value of a key (empty when unset); a key set twice is an error here. */
        Optional<String> one(String section, String key) {
            List<String> v = all(section, key);
            assertTrue(v.size() <= 1, key + "= is set " + v.size() + " times in [" + section + "]: " + v);
            return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }
    }
}
