package dev.basilica.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A context value is data: whatever template syntax it carries comes out as the same characters. */
public class TemplatesTest {

    public static final List<String> TEMPLATE_SYNTAX = List.of(
            "{{ 7*7 }}G",
            "{% raw %}",
            "{% endraw %}{{ 7*7 }}",
            "{% for x in range(100000) %}x{% endfor %}",
            "{% for x in range(1000) %}{% for y in range(1000) %}x{% endfor %}{% endfor %}",
            "{# not a comment #}",
            "{% include 'systemd/basilica-service.service.j2' %}",
            "{{ header }}");

    static List<String> templateSyntax() {
        return TEMPLATE_SYNTAX;
    }

    @ParameterizedTest
    @MethodSource("templateSyntax")
    void aValueWithTemplateSyntaxIsWrittenVerbatim(String value, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("t.j2"), "[{{ v }}] [{{ list|join(' ') }}]{% if v %} [{{ v }}]{% endif %}");
        String out = new Templates(dir).render("t.j2", Map.of("v", value, "list", List.of(value, value), "header", "H"));
        assertEquals("[" + value + "] [" + value + " " + value + "] [" + value + "]", out);
    }

    /** The packaged unit template, fed those values directly (the emitter escapes them first; this is the layer under it). */
    @Test
    void theUnitTemplateWritesTemplateSyntaxVerbatim() {
        Templates templates = Templates.packaged();
        for (String value : TEMPLATE_SYNTAX) {
            Map<String, Object> context = new java.util.HashMap<>();
            context.put("header", "# " + value);
            context.put("service", "miner");
            context.put("title", value);
            context.put("user", value);
            context.put("home", value);
            context.put("data_dir", value);
            context.put("environment_file", value);
            context.put("log_level", value);
            context.put("memory_max", value);
            context.put("exec_start", value);
            context.put("executor", true);
            context.put("privileged_ports", List.of());
            context.put("needs", value);
            context.put("protect_home", "yes");
            context.put("docker_required", true);
            context.put("read_write_paths", List.of(value));
            context.put("supplementary_groups", List.of(value));
            context.put("after", List.of(value));
            context.put("memory_deny_write_execute", false);
            String unit = templates.render("systemd/basilica-service.service.j2", context);
            assertTrue(unit.contains("\nMemoryMax=" + value + "\n"), value + ":\n" + unit);
            assertTrue(unit.contains("\nUser=" + value + "\n"), value + ":\n" + unit);
            assertTrue(unit.contains("\nExecStart=" + value + "\n"), value + ":\n" + unit);
            assertTrue(unit.contains("\nDescription=Basilica " + value + "\n"), value + ":\n" + unit);
            assertTrue(unit.length() < 10_000, value + ": the unit grew to " + unit.length() + " characters");
        }
    }
}
