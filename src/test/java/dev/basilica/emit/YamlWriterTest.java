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
}
