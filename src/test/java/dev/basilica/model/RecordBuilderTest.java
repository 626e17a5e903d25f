package dev.basilica.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * {@link RecordBuilder} against the oracle it replaced: Jackson's {@code convertValue}, configured as the loader had
 * it. Every model of the repository that binds without schema errors gives equal records both ways (records, lists
 * and maps compare by content), and so does every damaged one that Jackson could still convert.
 */
class RecordBuilderTest {

    /** The loader's Jackson configuration before {@link RecordBuilder}. */
    static final ObjectMapper JACKSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static Stream<Path> yamlFiles() throws IOException {
        return YamlTreeTest.yamlFiles();
    }

    @ParameterizedTest
    @MethodSource("yamlFiles")
    void buildsWhatJacksonBuilt(Path file) throws IOException {
        String text = YamlTreeTest.text(file);
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        List<YamlTree.YamlNode> docs;
        try {
            docs = YamlTree.composeAll(text, options);
        } catch (RuntimeException e) {
            return; // not YAML the loader reads: nothing to bind
        }
        if (docs.size() != 1 || !(docs.get(0) instanceof YamlTree.Mapping)) return;
        ModelBinder.Result bound = ModelBinder.bind(file.toString(), docs.get(0), EnvironmentSchema.root());
        Environment expected;
        try {
            expected = JACKSON.convertValue(bound.tree(), Environment.class);
        } catch (IllegalArgumentException e) {
            assertTrue(!bound.diagnostics().isEmpty(), "Jackson refused a model without schema errors: " + e);
            return; // too damaged for either
        }
        assertEquals(expected, RecordBuilder.build(bound.tree(), Environment.class));
    }

    record Sample(Environment.LogLevel level, int count, Long big, double share, Integer optional, boolean on) {}

    @Test
    void convertsEachKindAsJacksonDid() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("level", "WARN");
        tree.put("count", 7L);
        tree.put("big", 5_000_000_000L);
        tree.put("share", 40L);
        assertEquals(JACKSON.convertValue(tree, Sample.class), RecordBuilder.build(tree, Sample.class));
        assertEquals(new Sample(Environment.LogLevel.WARN, 7, 5_000_000_000L, 40.0, null, false), RecordBuilder.build(tree, Sample.class),
                "case ignored in enum words; an integer where a double goes; absent: null, 0 and false");
    }

    @Test
    void refusesWhatTheRecordsCannotHold() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("count", 5_000_000_000L);
        assertTrue(assertThrows(RecordBuilder.Mismatch.class, () -> RecordBuilder.build(tree, Sample.class)).getMessage()
                .contains("count: 5000000000 does not fit"));
        tree.clear();
        tree.put("level", "loud");
        assertThrows(RecordBuilder.Mismatch.class, () -> RecordBuilder.build(tree, Sample.class));
        tree.clear();
        tree.put("on", "yes");
        assertThrows(RecordBuilder.Mismatch.class, () -> RecordBuilder.build(tree, Sample.class));
    }

    @Test
    void namesKeysAsJacksonsSnakeCaseDid() {
        for (String name : List.of("apiVersion", "intervalSecs", "caCert", "hotkeySs58", "ipv6Sources", "migDevices", "name",
                "pkiDir", "aURL", "validatorBinary")) {
            assertEquals(PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(name), RecordBuilder.snakeCase(name), name);
        }
    }
}
