package dev.basilica.emit.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.emit.Templates;
import dev.basilica.emit.TemplatesTest;
import dev.basilica.generate.Generator;
import dev.basilica.plan.Fleet;
import dev.basilica.testing.ModelStrings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Model values on their way into unit lines: escaped for their setting, or refused with the field's name. */
class UnitValuesTest {

    @Test
    void specifiersAreEscapedWhereSystemdExpandsThem() {
        assertEquals("a%%hb", UnitValues.specifiers("f", "a%hb"));
        assertEquals("info%%h", UnitValues.word("f", "info%h"));
        assertEquals("80%", UnitValues.line("f", "80%"), "MemoryMax= expands nothing: 80% is a percentage");
        assertEquals("$$HOME%%h", UnitValues.execArgument("f", "$HOME%h"));
    }

    @Test
    void wordsThatWouldSplitOrUnquoteAreQuoted() {
        assertEquals("plain", UnitValues.word("f", "plain"));
        assertEquals("\"a b\"", UnitValues.word("f", "a b"));
        assertEquals("\"a\\\"b\"", UnitValues.word("f", "a\"b"));
        assertEquals("\"a\\\\b\"", UnitValues.word("f", "a\\b"));
        assertEquals("\";\"", UnitValues.execArgument("f", ";"), "a bare ; would separate commands");
        assertEquals("\"\"", UnitValues.word("f", ""));
        assertEquals("RUST_LOG=\"info X=1\"", "RUST_LOG=" + UnitValues.word("f", "info X=1"),
                "Environment=: one assignment, not two");
        assertEquals("/bin/x --level \"a b\" $${X}", UnitValues.commandLine("f", List.of("/bin/x", "--level", "a b", "${X}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4G\nExecStartPre=+/bin/sh -c 'id'\nUser=root", "4G\rUser=root", "a\u0000b", "a\u007fb", "4G\\", "4G\\  "})
    void aValueThatWouldLeaveItsLineIsRefusedWithItsField(String value) {
        for (var escape : List.<java.util.function.BinaryOperator<String>>of(UnitValues::line, UnitValues::specifiers,
                UnitValues::word, UnitValues::execArgument)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> escape.apply("services.executor.memory_max", value));
            assertTrue(e.getMessage().startsWith("services.executor.memory_max: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "the message itself stays on one line: " + e.getMessage());
        }
    }

    /** Template syntax in every model string the unit uses comes out as the same characters (with % doubled). */
    @Test
    void templateSyntaxInModelValuesReachesTheUnitVerbatim() {
        for (String payload : TemplatesTest.TEMPLATE_SYNTAX) {
            Map<String, String> units = units(withUnitStrings(payload));
            assertEquals(3, units.size(), units.keySet().toString());
            String escaped = payload.replace("%", "%%");
            units.forEach((path, text) -> {
                assertTrue(text.length() < 10_000, path + " grew to " + text.length() + " characters");
                assertTrue(text.contains("\nMemoryMax=" + payload + "\n"), path + ":\n" + text);
                if (path.endsWith("basilica-executor.service")) {
                    assertTrue(text.contains("\nUser=" + escaped + "\n"), path + ":\n" + text);
                }
            });
        }
    }

    @Test
    void aNewlineInAModelValueStopsGenerationNamingTheField() {
        Fleet fleet = withUnitStrings("4G\nExecStartPre=+/bin/sh -c 'touch /tmp/x'\nUser=root");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Generator(Templates.packaged()).emit(fleet));
        assertTrue(e.getMessage().matches("(?s)services\\.(validator|miner|executor)\\.(memory_max|user).*"), e.getMessage());
    }

    /** The development model with {@code value} in each string the units take from the model. */
    static Fleet withUnitStrings(String value) {
        return ModelStrings.plan("environments/development.yaml",
                (path, v) -> path.matches("services\\.\\w+\\.(memory_max|user)") ? value : v);
    }

    static Map<String, String> units(Fleet fleet) {
        Map<String, String> units = new TreeMap<>();
        for (var f : new Generator(Templates.packaged()).emit(fleet).files()) {
            if (f.path().endsWith(".service")) units.put(f.path(), new String(f.content(), StandardCharsets.UTF_8));
        }
        return units;
    }
}
