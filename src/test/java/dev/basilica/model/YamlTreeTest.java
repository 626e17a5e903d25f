package dev.basilica.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@link YamlTree} against SnakeYAML's own composer, the oracle: for every YAML file in the repository (models,
 * bad models, fixtures) and for constructs chosen to reach each of the composer's rules, both compose the same
 * documents (kinds, start positions, tags, texts, styles, shared nodes) or fail with the same exception, message
 * and mark.
 */
class YamlTreeTest {

    private static LoaderOptions options() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(50);
        return options;
    }

    static Stream<Path> yamlFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : List.of("environments", "examples", "src/test/resources")) {
            try (Stream<Path> walk = Files.walk(Path.of(root))) {
                walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().forEach(files::add);
            }
        }
        assertTrue(files.size() > 100, "the repository's YAML files were not found: " + files.size());
        return files.stream();
    }

    /** A file's text as the loader decodes it (UTF-8, a byte-order mark dropped). */
    static String text(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return text.startsWith("\ufeff") ? text.substring(1) : text;
    }

    @ParameterizedTest
    @MethodSource("yamlFiles")
    void composesEveryRepositoryFileAsSnakeYamlDoes(Path file) throws IOException {
        assertSameComposition(text(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "# only a comment\n",
        "---\n",
        "a: 1\n---\nb: 2\n",
        "a: &x [1, 2]\nb: *x\nc: *x\n",
        "a: &s text\nb: *s\n",
        "a: &m {k: v}\nb: {<<: *m, k2: v2}\n",
        "a: *nowhere\n",
        "a: &x [*x]\n",
        "a: &x\n  b: *x\n",
        "? [complex, key]\n: value\n",
        "{a: 1, a: 2}\n",
        "a: !!str 123\nb: !!int \"7\"\nc: !local text\n",
        "a: !!python/object:os.system x\n",
        "a: !<tag:example.com,2024:thing> x\n",
        "a: !!set {x, y}\n",
        "a: 'quoted'\nb: \"double\"\nc: |\n  block\nd: >\n  folded\ne: plain\n",
        "a: ~\nb: null\nc:\nd: yes\ne: 0x1F\nf: 1_000\ng: 1:20\nh: .inf\ni: 2024-01-01\nj: =\n",
        "a: [b, {c: [d, {e: f}]}]\n",
        "- a\n- b: c\n  d: e\n- [f]\n",
        "a: b\n  c: d\n",
        "a: [1, 2\n",
        "a:\tb\n",
    })
    void composesConstructsAsSnakeYamlDoes(String text) {
        assertSameComposition(text);
    }

    @Test
    void refusesTooManyAliasesToCollectionsAsSnakeYamlDoes() {
        StringBuilder sb = new StringBuilder("base: &b [1]\nlist:\n");
        for (int i = 0; i < 60; i++) sb.append("  - *b\n");
        assertSameComposition(sb.toString());
        StringBuilder scalars = new StringBuilder("base: &b one\nlist:\n");
        for (int i = 0; i < 200; i++) scalars.append("  - *b\n");
        assertSameComposition(scalars.toString());
    }

    @Test
    void refusesDeepNestingAsSnakeYamlDoes() {
        assertSameComposition("a: " + "[".repeat(60) + "]".repeat(60) + "\n");
        assertSameComposition("a: " + "[".repeat(49) + "x" + "]".repeat(49) + "\n");
        assertSameComposition("a: " + "[".repeat(50) + "x" + "]".repeat(50) + "\n");
    }

    @Test
    void anAliasIsTheAnchoredNodeItself() {
        YamlTree.Mapping root = (YamlTree.Mapping) YamlTree.composeAll("a: &x [1]\nb: *x\nc: &r [*r]\n", options()).get(0);
        assertSame(root.values.get(0), root.values.get(1));
        YamlTree.Sequence recursive = (YamlTree.Sequence) root.values.get(2);
        assertSame(recursive, recursive.items.get(0));
    }

    private static void assertSameComposition(String text) {
        List<Node> expected = new ArrayList<>();
        RuntimeException expectedFailure = null;
        try {
            new Yaml(new SafeConstructor(options())).composeAll(new StringReader(text)).forEach(expected::add);
        } catch (RuntimeException e) {
            expectedFailure = e;
        }
        List<YamlTree.YamlNode> actual;
        try {
            actual = YamlTree.composeAll(text, options());
        } catch (RuntimeException e) {
            if (expectedFailure == null) fail("YamlTree refused what SnakeYAML composes: " + e, e);
            assertTrue(expectedFailure.getClass().isAssignableFrom(e.getClass()),
                    "exception " + e.getClass().getName() + ", SnakeYAML's " + expectedFailure.getClass().getName());
            assertEquals(expectedFailure.getMessage(), e.getMessage());
            return;
        }
        if (expectedFailure != null) fail("YamlTree composed what SnakeYAML refuses: " + expectedFailure);
        assertEquals(expected.size(), actual.size(), "documents");
        Map<Node, YamlTree.YamlNode> pairs = new IdentityHashMap<>();
        for (int i = 0; i < expected.size(); i++) assertSameNode(expected.get(i), actual.get(i), "doc" + i, pairs);
    }

    /** Same kind, position, tag, text and style, recursively; a node met again (an alias) must pair with the same node. */
    private static void assertSameNode(Node e, YamlTree.YamlNode a, String where, Map<Node, YamlTree.YamlNode> pairs) {
        assertNotNull(a, where);
        YamlTree.YamlNode paired = pairs.putIfAbsent(e, a);
        if (paired != null) {
            assertSame(paired, a, where + ": a shared node is not shared");
            return;
        }
        assertEquals(e.getStartMark().getLine(), (int) (a.position() >>> 32), where + ": line");
        assertEquals(e.getStartMark().getColumn(), (int) a.position(), where + ": column");
        if (e instanceof ScalarNode s) {
            YamlTree.Scalar as = assertInstance(YamlTree.Scalar.class, a, where);
            assertEquals(s.getValue(), as.value(), where + ": text");
            assertEquals(s.getTag(), as.tag(), where + ": tag");
            assertEquals(s.isPlain(), as.plain(), where + ": plain");
        } else if (e instanceof SequenceNode q) {
            YamlTree.Sequence aq = assertInstance(YamlTree.Sequence.class, a, where);
            assertEquals(q.getValue().size(), aq.items.size(), where + ": items");
            for (int i = 0; i < q.getValue().size(); i++) assertSameNode(q.getValue().get(i), aq.items.get(i), where + "[" + i + "]", pairs);
        } else if (e instanceof MappingNode m) {
            YamlTree.Mapping am = assertInstance(YamlTree.Mapping.class, a, where);
            assertEquals(m.getValue().size(), am.keys.size(), where + ": entries");
            for (int i = 0; i < m.getValue().size(); i++) {
                NodeTuple t = m.getValue().get(i);
                assertSameNode(t.getKeyNode(), am.keys.get(i), where + ".key" + i, pairs);
                assertSameNode(t.getValueNode(), am.values.get(i), where + ".value" + i, pairs);
            }
        } else {
            fail(where + ": unexpected node " + e);
        }
    }

    private static <T> T assertInstance(Class<T> type, Object o, String where) {
        assertTrue(type.isInstance(o), where + ": expected " + type.getSimpleName() + ", got " + o);
        return type.cast(o);
    }
}
