package dev.basilica.report.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SensitiveValuesTest {

    private static final ObjectMapper M = new ObjectMapper();

    private static String mask(String value, String tree) throws Exception {
        JsonNode v = value == null ? null : M.readTree(value);
        return String.valueOf(SensitiveValues.mask(v, tree == null ? null : M.readTree(tree)));
    }

    @Test
    void masksWhatTheTreeMarksAndNothingElse() throws Exception {
        assertEquals("\"(sensitive)\"", mask("\"hunter2\"", "true"));
        assertEquals("\"hunter2\"", mask("\"hunter2\"", "false"));
        assertEquals("{\"user\":\"admin\",\"password\":\"(sensitive)\"}", mask("{\"user\":\"admin\",\"password\":\"pw\"}", "{\"password\":true}"));
        assertEquals("{\"tags\":{\"a\":\"x\",\"b\":\"(sensitive)\"}}", mask("{\"tags\":{\"a\":\"x\",\"b\":\"y\"}}", "{\"tags\":{\"b\":true}}"));
        assertEquals("[\"a\",\"(sensitive)\"]", mask("[\"a\",\"b\"]", "[false,true]"));
        assertEquals("{\"rules\":[{\"cidr\":\"(sensitive)\"}]}", mask("{\"rules\":[{\"cidr\":\"10.0.0.0/8\"}]}", "{\"rules\":[{\"cidr\":true}]}"));
        assertEquals("\"a\"", mask("\"a\"", "{}"), "an empty tree marks nothing");
    }

    @Test
    void whenShapesDisagreeTheWholeValueIsMasked() throws Exception {
        assertEquals("\"(sensitive)\"", mask("\"flat-secret\"", "{\"x\":true}"));
        assertEquals("\"(sensitive)\"", mask("{\"x\":\"s\"}", "[true]"));
    }

    @Test
    void nullValuesStayNullAndUnknownOnesShow() throws Exception {
        assertEquals("null", mask("null", "true"));
        JsonNode after = M.readTree("{\"name\":\"n\"}");
        assertEquals("{\"name\":\"n\",\"id\":\"(known after apply)\"}",
                SensitiveValues.unknown(after, M.readTree("{\"id\":true}")).toString());
    }
}
