package dev.basilica.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Every string the schema has, wherever it sits (object fields, list items, map keys and values), set to each
 * hostile payload in a complete model: the loader rejects it at the value's line and column with the value
 * escaped and the precise reason, unless the field's grammar accepts that payload as plain data (the
 * inert-candidates below, which the emitters must write inertly).
 */
class HostileValueTest {

    private static final String BASE = "src/test/resources/models/ansible-everything.yaml";
    private static final String FILE = "hostile.yaml";
    private static final int ONE_MB = 1024 * 1024;

    /** The payloads, by a name that shows in the test's display name. */
    enum Payload {
        JINJA_LOOKUP("{{ lookup('pipe','touch /tmp/x') }}"),
        JINJA_RAW("{% raw %}"),
        UNIT_DIRECTIVE("4G\nExecStartPre=+/bin/sh -c id"),
        SYSTEMD_SPECIFIER("%h"),
        PATH_ESCAPE("../../../../etc"),
        ANSI_AND_NUL("a\u001b[31mb\u0000c"),
        ONE_MEGABYTE("a".repeat(ONE_MB));

        final String value;

        Payload(String value) {
            this.value = value;
        }
    }

    /**
     * Payloads a grammar accepts because they are legitimate values of it: free text may say "{{" or "%h", a tag
     * may hold "../". Each is data the emitters must write inertly (escaped for TOML, HCL, YAML with !unsafe,
     * systemd's '%'); another engineer makes them so. A case listed here that the loader rejects fails too,
     * so this list stays exact.
     */
    private static final Set<String> INERT_CANDIDATES = Set.of(
            "TEXT:JINJA_LOOKUP", "TEXT:JINJA_RAW", "TEXT:SYSTEMD_SPECIFIER", "TEXT:PATH_ESCAPE",
            "TAG_KEY:PATH_ESCAPE", "TAG_VALUE:PATH_ESCAPE");

    /** A valid value of each format, to show a slot accepts good input before it is given bad input. */
    private static final Map<Format, String> SAMPLE = new EnumMap<>(Map.ofEntries(
            Map.entry(Format.NAME, "miner-1"), Map.entry(Format.USER, "ops"), Map.entry(Format.IP, "10.0.0.1"),
            Map.entry(Format.HOST, "host.example.com"), Map.entry(Format.CIDR, "10.0.0.0/8"),
            Map.entry(Format.WS_URL, "wss://chain.example.com:443"), Map.entry(Format.HTTP_URL, "https://mirror.example.com/debian"),
            Map.entry(Format.GIT_URL, "https://github.com/example/basilica.git"),
            Map.entry(Format.SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            Map.entry(Format.ENV_VAR, "SOME_SECRET"), Map.entry(Format.IDENTIFIER, "vault_some_secret"),
            Map.entry(Format.SS58, "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"),
            Map.entry(Format.PATH, "~/keys/some file.pem"), Map.entry(Format.GIT_REF, "release/v1.2"), Map.entry(Format.APT_SUITE, "./"),
            Map.entry(Format.GPU_MODEL, "H100"), Map.entry(Format.DRIVER_BRANCH, "580.95.05"),
            Map.entry(Format.VERSION_CONSTRAINT, "~> 5.100"), Map.entry(Format.CLOUD_ID, "i-0123456789abcdef0"),
            Map.entry(Format.TAG_KEY, "CostCenter"), Map.entry(Format.TAG_VALUE, "team/infra"),
            Map.entry(Format.GCP_PROJECT, "basilica-prod-1"), Map.entry(Format.WALLET_NAME, "my_wallet-2.old"),
            Map.entry(Format.SYSTEMD_SIZE, "50%"), Map.entry(Format.JOURNAL_SIZE, "512M"),
            Map.entry(Format.TEXT, "Grafana for the office"), Map.entry(Format.REGION, "eu-central-1"),
            Map.entry(Format.ZONE, "eu-central-1a"), Map.entry(Format.BUCKET, "basilica-state"),
            Map.entry(Format.OBJECT_KEY, "prod/terraform.tfstate"), Map.entry(Format.DOCKER_IMAGE, "nvidia/cuda:12.4.1-base-ubuntu22.04"),
            Map.entry(Format.CARGO_FEATURE, "metrics")));

    /**
     * Where a field's valid value must also satisfy a cross-field rule: a host name that is not taken, ids with
     * the prefix AWS gives them, blocks inside the VPC.
     */
    private static final Map<String, String> SAMPLE_AT = Map.of(
            "hosts[].name", "validator-9",
            "terraform.aws.vpc_id", "vpc-0123456789abcdef0",
            "terraform.aws.subnet_id", "subnet-0123456789abcdef0",
            "terraform.aws.vpc_cidr", "10.42.0.0/16",
            "terraform.aws.subnet_cidr", "10.42.1.0/24");

    static String sample(Slot slot) {
        return SAMPLE_AT.getOrDefault(slot.schemaPath(), SAMPLE.get(slot.format()));
    }

    // ---- the schema's string slots ----

    /** One step from a value to its child: a field, the first list item, the first map key or value. */
    record Step(String field, char kind) {
        static Step field(String name) {
            return new Step(name, 'f');
        }

        static final Step ITEM = new Step(null, '[');
        static final Step KEY = new Step(null, 'k');
        static final Step VALUE = new Step(null, 'v');
    }

    /** A string in the schema: where it is and its grammar. */
    record Slot(String schemaPath, List<Step> steps, Format format, String fieldPath) {
        @Override
        public String toString() {
            return schemaPath;
        }
    }

    static List<Slot> slots() {
        List<Slot> out = new ArrayList<>();
        walk(EnvironmentSchema.root(), new ArrayList<>(), "", "", out, null);
        return out;
    }

    /** The schema's enum fields: a closed set of words is their grammar. Each with its words. */
    static Map<Slot, List<String>> enumSlots() {
        Map<Slot, List<String>> out = new LinkedHashMap<>();
        walk(EnvironmentSchema.root(), new ArrayList<>(), "", "", new ArrayList<>(), out);
        return out;
    }

    /** {@code fieldPath} is the path {@link SchemaNode#paths} uses for the enclosing field. */
    private static void walk(SchemaNode n, List<Step> steps, String display, String fieldPath, List<Slot> out,
                             Map<Slot, List<String>> enums) {
        switch (n.type()) {
            case OBJECT -> n.fields().values().forEach(f -> {
                String p = fieldPath.isEmpty() ? f.name() : fieldPath + "." + f.name();
                walk(f.type(), with(steps, Step.field(f.name())), display.isEmpty() ? f.name() : display + "." + f.name(), p, out,
                        enums);
            });
            case LIST -> walk(n.items(), with(steps, Step.ITEM), display + "[]", fieldPath + "[]", out, enums);
            case MAP -> {
                walk(n.items(), with(steps, Step.KEY), display + ".<key>", fieldPath, out, enums);
                walk(n.values(), with(steps, Step.VALUE), display + ".*", fieldPath + ".*", out, enums);
            }
            case STRING -> out.add(new Slot(display, steps, n.format(), fieldPath));
            case ENUM -> {
                if (enums != null) enums.put(new Slot(display, steps, null, fieldPath), n.enumValues());
            }
            default -> { }
        }
    }

    private static <T> List<T> with(List<T> list, T more) {
        List<T> l = new ArrayList<>(list);
        l.add(more);
        return l;
    }

    @Test
    void theWalkFindsEveryStringFieldOfTheSchema() {
        List<Slot> slots = slots();
        Set<String> schemaPaths = new TreeSet<>(EnvironmentSchema.root().paths(""));
        for (Slot s : slots) {
            // A list or map of strings is one path; its items and values have none of their own.
            String field = s.fieldPath().replaceAll("(\\[\\]|\\.\\*)$", "");
            assertTrue(schemaPaths.contains(field), field + " is not a schema path");
        }
        assertTrue(slots.size() >= 60, "only " + slots.size() + " string slots: " + slots);
        assertTrue(slots.stream().anyMatch(s -> s.schemaPath().endsWith(".<key>")), "map keys are walked");
        assertTrue(slots.stream().anyMatch(s -> s.schemaPath().endsWith("features[]")), "list items are walked");
    }

    // ---- a model with a value set at a slot ----

    /** The base model with {@code value} at {@code slot}, as YAML, and the concrete path of the value. */
    record Placed(String yaml, String path, List<Object> nodePath) {}

    static Placed place(Slot slot, String value) throws Exception {
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(Path.of(System.getProperty("basilica.repo", ".")).resolve(BASE), StandardCharsets.UTF_8));
        context(slot, root);
        StringBuilder path = new StringBuilder();
        List<Object> nodePath = new ArrayList<>();
        Object container = root;
        SchemaNode schema = EnvironmentSchema.root();
        List<Step> steps = slot.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            boolean last = i == steps.size() - 1;
            switch (step.kind()) {
                case 'f' -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = (Map<String, Object>) container;
                    SchemaNode.Field f = schema.fields().get(step.field());
                    Object child = last ? value : map.containsKey(f.name()) ? map.get(f.name()) : minimal(f.type(), f.exampleValue());
                    map.put(f.name(), child);
                    settle(schema, map, f.name());
                    path.append(path.length() == 0 ? "" : ".").append(f.name());
                    nodePath.add(f.name());
                    container = child;
                    schema = f.type();
                }
                case '[' -> {
                    @SuppressWarnings("unchecked")
                    List<Object> list = (List<Object>) container;
                    if (list.isEmpty()) list.add(minimal(schema.items(), null));
                    // Only an executor names its miner: the base model's third host is one.
                    int index = i == 1 && slot.schemaPath().startsWith("hosts[].miner") ? 2 : 0;
                    if (last) list.set(index, value);
                    path.append("[").append(index).append("]");
                    nodePath.add(index);
                    container = list.get(index);
                    schema = schema.items();
                }
                case 'k' -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = (Map<String, Object>) container;
                    if (!map.containsKey(value)) {
                        Object v = map.isEmpty() ? minimal(schema.values(), null) : map.remove(map.keySet().iterator().next());
                        map.put(value, v);
                    }
                    nodePath.add(new KeyOf(value));
                }
                case 'v' -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = (Map<String, Object>) container;
                    String key = map.isEmpty() ? SAMPLE.get(schema.items().format()) : map.keySet().iterator().next();
                    Object child = last ? value : map.containsKey(key) ? map.get(key) : minimal(schema.values(), null);
                    map.put(key, child);
                    path.append(".").append(key);
                    nodePath.add(key);
                    container = child;
                    schema = schema.values();
                }
                default -> throw new IllegalStateException();
            }
        }
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setSplitLines(false);
        o.setWidth(Integer.MAX_VALUE);
        // Control characters as escapes in double-quoted strings, as a person would write them (not !!binary).
        o.setNonPrintableStyle(DumperOptions.NonPrintableStyle.ESCAPE);
        return new Placed(new Yaml(o).dump(root), path.toString(), nodePath);
    }

    /** The key of a map entry, as a step of a node path: the key node itself is what is reported. */
    record KeyOf(String key) {}

    /**
     * What a section needs around it to be meaningful: the cloud provider it configures, a complete state
     * backend, both halves of a CA, and no source build in an air-gapped fleet.
     */
    @SuppressWarnings("unchecked")
    private static void context(Slot slot, Map<String, Object> root) {
        String p = slot.schemaPath();
        if (p.startsWith("packages.apt_mirror") || p.startsWith("packages.artifact_mirror")) {
            ((Map<String, Object>) root.get("artifacts")).put("miner", new LinkedHashMap<>(Map.of("file", "./bin/miner")));
        }
        if (p.startsWith("tls.ca_")) {
            Map<String, Object> tls = (Map<String, Object>) root.get("tls");
            tls.put("ca_cert", "./pki/ca.crt");
            tls.put("ca_key", "./pki/ca.key");
        }
        for (String provider : List.of("aws", "gcp", "scaleway")) {
            if (p.startsWith("terraform." + provider + ".")) {
                Map<String, Object> tf = new LinkedHashMap<>();
                tf.put("provider", provider);
                tf.put("region", provider.equals("scaleway") ? "fr-par" : provider.equals("gcp") ? "europe-west4" : "eu-central-1");
                if (p.equals("terraform.aws.subnet_id")) tf.put("aws", new LinkedHashMap<>(Map.of("vpc_cidr", "10.42.0.0/16")));
                root.put("terraform", tf);
            }
        }
        if (p.startsWith("terraform.backend.")) {
            Map<String, Object> backend = new LinkedHashMap<>();
            boolean gcs = p.endsWith(".prefix");
            backend.put("type", gcs ? "gcs" : "s3");
            backend.put("bucket", "basilica-state");
            if (gcs) {
                backend.put("prefix", "prod");
            } else {
                backend.put("key", "prod/terraform.tfstate");
                backend.put("region", "eu-central-1");
            }
            Map<String, Object> tf = new LinkedHashMap<>();
            tf.put("backend", backend);
            root.put("terraform", tf);
        }
    }

    /** A smallest valid value of {@code type}: its example, else its required fields and one of a union. */
    private static Object minimal(SchemaNode type, Object example) {
        if (example != null) return copy(example);
        return switch (type.type()) {
            case OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (SchemaNode.Field f : type.fields().values()) {
                    if (f.required()) m.put(f.name(), minimal(f.type(), f.exampleValue()));
                }
                if (!type.exactlyOne().isEmpty() && type.exactlyOne().stream().noneMatch(m::containsKey)) {
                    SchemaNode.Field f = type.fields().get(type.exactlyOne().get(0));
                    m.put(f.name(), minimal(f.type(), f.exampleValue()));
                }
                for (SchemaNode.Dependency d : type.dependencies()) {
                    if (m.containsKey(d.field()) && !m.containsKey(d.needs())) {
                        SchemaNode.Field f = type.fields().get(d.needs());
                        m.put(f.name(), minimal(f.type(), f.exampleValue()));
                    }
                }
                yield m;
            }
            case LIST -> new ArrayList<>(List.of(minimal(type.items(), null)));
            case MAP -> new LinkedHashMap<>();
            case STRING -> SAMPLE.get(type.format());
            case INTEGER -> type.min();
            case NUMBER -> type.numberMin();
            case BOOLEAN -> true;
            case ENUM -> type.enumValues().get(0);
        };
    }

    /** After {@code field} is set: the other members of its union go, and what it needs (or needed them) follows. */
    private static void settle(SchemaNode schema, Map<String, Object> map, String field) {
        if (schema.exactlyOne().contains(field)) {
            for (String other : schema.exactlyOne()) {
                if (!other.equals(field)) map.remove(other);
            }
        }
        for (SchemaNode.Dependency d : schema.dependencies()) {
            if (map.containsKey(d.field()) && !map.containsKey(d.needs())) {
                if (d.field().equals(field)) {
                    SchemaNode.Field f = schema.fields().get(d.needs());
                    map.put(f.name(), minimal(f.type(), f.exampleValue()));
                    settle(schema, map, f.name());
                } else {
                    map.remove(d.field());
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put((String) k, copy(v)));
            return c;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(x -> c.add(copy(x)));
            return c;
        }
        return o;
    }

    /** Line and column of the node at {@code nodePath} in {@code yaml}, as the loader prints them. */
    static String positionOf(String yaml, List<Object> nodePath) {
        Node n = new Yaml().compose(new StringReader(yaml));
        for (Object step : nodePath) {
            if (step instanceof Integer i) {
                n = ((SequenceNode) n).getValue().get(i);
                continue;
            }
            MappingNode m = (MappingNode) n;
            Node found = null;
            for (NodeTuple t : m.getValue()) {
                String key = ((ScalarNode) t.getKeyNode()).getValue();
                if (step instanceof KeyOf k && key.equals(k.key())) found = t.getKeyNode();
                else if (step instanceof String s && key.equals(s)) found = t.getValueNode();
            }
            assertNotNull(found, "no " + step + " in the placed model");
            n = found;
        }
        return (n.getStartMark().getLine() + 1) + ":" + (n.getStartMark().getColumn() + 1);
    }

    private static List<String> errors(String yaml) {
        try {
            ModelLoader.parse(yaml, FILE);
            return List.of();
        } catch (ModelException e) {
            return e.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::format).toList();
        }
    }

    // ---- the cases ----

    static Stream<Named<Slot>> slotCases() {
        return slots().stream().map(s -> Named.of(s.schemaPath() + " (" + s.format() + ")", s));
    }

    /** Each slot takes a valid value of its format: the placement is right and the base model stays valid there. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("slotCases")
    void aValidValueIsAccepted(Slot slot) throws Exception {
        Placed p = place(slot, sample(slot));
        List<String> errors = errors(p.yaml());
        assertEquals(List.of(), errors, "a valid " + slot.format() + " at " + p.path() + " gives errors");
    }

    static Stream<Arguments> cases() {
        return slots().stream().flatMap(s -> Stream.of(Payload.values()).map(pl ->
                Arguments.of(Named.of(s.schemaPath() + " = " + pl, s), pl)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aHostileValueIsRejectedWhereItIsOrIsInertData(Slot slot, Payload payload) throws Exception {
        Placed p = place(slot, payload.value);
        List<String> errors = errors(p.yaml());
        String at = FILE + ":" + positionOf(p.yaml(), p.nodePath()) + ": " + p.path() + ": ";
        List<String> here = errors.stream().filter(e -> e.startsWith(at)).toList();
        boolean inert = INERT_CANDIDATES.contains(slot.format() + ":" + payload);
        if (inert) {
            assertEquals(List.of(), here, slot.format() + " is listed as accepting " + payload + " as data, but it is rejected");
            assertTrue(slot.format().accepts(payload.value));
            return;
        }
        assertEquals(1, here.size(), "expected one error at " + at + " for " + payload + "; got " + errors);
        String message = here.get(0);
        assertFalse(message.contains("\n") || message.contains("\u001b") || message.contains("\u0000"),
                "raw control characters in " + DisplayText.escape(message));
        assertTrue(message.length() < 1000, "a long value is cut short in messages: " + message.length() + " characters");
        String prefix = at + DisplayText.quoted(payload.value) + " is not valid: ";
        String expected = switch (payload) {
            case UNIT_DIRECTIVE -> prefix + (slot.format().maxLength() < payload.value.length()
                    ? "it is " + payload.value.length() + " characters long; at most " + slot.format().maxLength()
                    : "a newline at character 3 is not allowed") + "; expected " + slot.format().description();
            case ANSI_AND_NUL -> prefix + "an escape character (\\x1b) at character 2 is not allowed; expected "
                    + slot.format().description();
            case ONE_MEGABYTE -> prefix + "it is 1048576 characters long; at most " + slot.format().maxLength()
                    + "; expected " + slot.format().description();
            default -> null;
        };
        if (expected != null) {
            assertEquals(expected, message);
        } else {
            // The format's own words: the message starts with the escaped value and says what is wrong before what is valid.
            assertTrue(message.startsWith(prefix), message + "\ndoes not start with " + prefix);
            String rest = message.substring(prefix.length());
            assertFalse(rest.startsWith("expected "), "no reason given: " + message);
            assertTrue(rest.contains("; expected " + slot.format().description()), message);
        }
    }

    static Stream<Arguments> enumCases() {
        return enumSlots().keySet().stream().flatMap(s -> Stream.of(Payload.values()).map(pl ->
                Arguments.of(Named.of(s.schemaPath() + " = " + pl, s), pl)));
    }

    /** Every word of an enum field is accepted where the field is (other fields' rules aside). */
    @Test
    void everyEnumWordIsAcceptedWhereItIs() throws Exception {
        Map<Slot, List<String>> enums = enumSlots();
        assertTrue(enums.keySet().stream().anyMatch(s -> s.schemaPath().equals("packages.docker_log_driver")), enums.keySet().toString());
        assertTrue(enums.keySet().stream().anyMatch(s -> s.schemaPath().equals("packages.docker_storage_driver")), enums.keySet().toString());
        for (Map.Entry<Slot, List<String>> e : enums.entrySet()) {
            for (String word : e.getValue()) {
                Placed p = place(e.getKey(), word);
                String at = FILE + ":" + positionOf(p.yaml(), p.nodePath()) + ": " + p.path() + ": ";
                assertEquals(List.of(), errors(p.yaml()).stream().filter(m -> m.startsWith(at)).toList(), word + " at " + p.path());
            }
        }
    }

    /** An enum field takes nothing but its words: a hostile value is one error at its position, escaped and cut short. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("enumCases")
    void aHostileValueAtAnEnumIsRejectedWhereItIs(Slot slot, Payload payload) throws Exception {
        Placed p = place(slot, payload.value);
        List<String> errors = errors(p.yaml());
        String at = FILE + ":" + positionOf(p.yaml(), p.nodePath()) + ": " + p.path() + ": ";
        List<String> here = errors.stream().filter(e -> e.startsWith(at)).toList();
        assertEquals(1, here.size(), "expected one error at " + at + " for " + payload + "; got " + errors);
        String message = here.get(0);
        assertFalse(message.contains("\n") || message.contains("\u001b") || message.contains("\u0000"),
                "raw control characters in " + DisplayText.escape(message));
        assertTrue(message.length() < 1000, "a long value is cut short in messages: " + message.length() + " characters");
        assertTrue(message.contains("expected one of " + String.join(", ", enumSlots().get(slot))), message);
    }

    /** The exact-message cases (control characters, length) alone are many; the rest check the format's own reason. */
    /** Suites as sources.list takes them: names, and a flat repository's path (the test fleet's local repository is ./). */
    @Test
    void aptSuitesAreNamesOrFlatRepositoryPaths() {
        for (String ok : List.of("./", "bookworm", "bookworm-updates", "stable/updates", "dists/local/")) {
            assertTrue(Format.APT_SUITE.accepts(ok), ok);
        }
        for (String bad : List.of("../", "./../x/", "a b", "-x", "/abs/", "bookworm main", "x//y")) {
            assertFalse(Format.APT_SUITE.accepts(bad), bad);
        }
    }

    @Test
    void atLeastSixtyCasesExpectAnExactMessage() {
        long exact = slots().stream().flatMap(s -> Stream.of(Payload.UNIT_DIRECTIVE, Payload.ANSI_AND_NUL, Payload.ONE_MEGABYTE)
                .filter(pl -> !INERT_CANDIDATES.contains(s.format() + ":" + pl))).count();
        assertTrue(exact >= 60, "only " + exact + " cases with exact messages");
    }
}
