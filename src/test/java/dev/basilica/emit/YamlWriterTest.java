package dev.basilica.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** YamlWriter output reads back as the same value, with strings that YAML could mistake quoted. */
class YamlWriterTest {

    @Test
    void roundTripsTrickyScalarsAndLongProse() throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("yes_string", "yes");
        v.put("number_string", "580");
        v.put("version", "1.87.0");
        v.put("jinja", "{{ inventory_dir }}/../..");
        v.put("cidr", "::/0");
        v.put("colon", "a: b # c");
        v.put("empty", "");
        v.put("int", 8);
        v.put("float", 40.0);
        v.put("bool", true);
        v.put("list", List.of(Map.of("id", "x", "from", "10.0.0.0/8"), "plain"));
        v.put("none", List.of());
        v.put("prose", "word ".repeat(60).strip() + " with: colons, #hashes and 'quotes' \"too\"");
        String yaml = YamlWriter.document("# header\n", v);
        Object back = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
        assertEquals(v, back, yaml);
    }

    @Test
    void layoutIsBlockStyleWithIndentedSequences() {
        String yaml = YamlWriter.document(null, Map.of("groups", List.of("a", "b")));
        assertEquals("---\ngroups:\n  - a\n  - b\n", yaml);
    }

    /** In an inventory every string is data for Ansible (!unsafe); only the compiler's own expressions are templated. */
    @Test
    void inventoryTagsEveryStringUnsafeExceptExpressions() throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("out_dir", new YamlWriter.Expression("{{ inventory_dir }}/../.."));
        v.put("name", "x{{ lookup('pipe', 'id') }}");
        v.put("plain", "dev_miner");
        v.put("port", 22);
        v.put("on", true);
        v.put("list", List.of("a", Map.of("from", "10.0.0.0/8")));
        v.put("prose", "{% if x %} word ".repeat(20).strip());
        String yaml = YamlWriter.inventory(null, v);
        assertEquals("""
                ---
                out_dir: "{{ inventory_dir }}/../.."
                name: !unsafe "x{{ lookup('pipe', 'id') }}"
                plain: !unsafe dev_miner
                port: 22
                "on": true
                list:
                  - !unsafe a
                  - from: !unsafe "10.0.0.0/8"
                prose: !unsafe >-
                """, yaml.substring(0, yaml.indexOf("prose: !unsafe >-\n") + "prose: !unsafe >-\n".length()));
        // Read back (tags dropped by Jackson), the values are the same characters.
        Map<String, Object> expected = new LinkedHashMap<>(v);
        expected.put("out_dir", "{{ inventory_dir }}/../..");
        assertEquals(expected, new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class), yaml);
        // An ordinary document carries no tags.
        Map<String, Object> plainDoc = new LinkedHashMap<>();
        plainDoc.put("out_dir", new YamlWriter.Expression("{{ x }}"));
        plainDoc.put("name", "a");
        assertEquals("---\nout_dir: \"{{ x }}\"\nname: a\n", YamlWriter.document(null, plainDoc));
    }
}
