package dev.basilica.emit.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HclWriterTest {

    @Test
    void quotesEveryCharacterThatNeedsIt() {
        assertEquals("\"plain\"", Hcl.quote("plain"));
        assertEquals("\"a\\\"b\\\\c\"", Hcl.quote("a\"b\\c"));
        assertEquals("\"l1\\nl2\\r\\tx\"", Hcl.quote("l1\nl2\r\tx"));
        // Template sequences are doubled so they stay literal; a lone $ or % is left alone.
        assertEquals("\"$${x} %%{if} $ % $$ $$${\"", Hcl.quote("${x} %{if} $ % $$ $${"));
        assertEquals("\"\\u0001\\u007f\\u2028\\u200d\\u00a0\"", Hcl.quote("\u0001\u007f\u2028\u200d\u00a0"));
        assertEquals("\"caf\u00e9 \uD83D\uDE00\"", Hcl.quote("caf\u00e9 \uD83D\uDE00"));
        assertEquals("\"\\U000e0001\"", Hcl.quote(new String(Character.toChars(0xE0001))));
    }

    @Test
    void keysAreBareOnlyWhenPlainIdentifiers() {
        assertEquals("Name", Hcl.key("Name"));
        assertEquals("\"cost-center\"", Hcl.key("cost-center"));
        assertEquals("\"basilica:role\"", Hcl.key("basilica:role"));
        assertEquals("\"1x\"", Hcl.key("1x"));
    }

    @Test
    void laysOutLikeTerraformFmt() {
        HclFile f = new HclFile("# header\n");
        HclBody r = f.block("resource", "aws_security_group", "validator");
        r.attr("name", "x");
        r.attr("description", "longer name aligns");
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("Name", "x");
        tags.put("cost-center", "y");
        r.attr("tags", tags);
        r.attr("vpc_id", Hcl.raw("aws_vpc.this.id"));
        r.attr("empty_list", List.of());
        r.attr("empty_map", Map.of());
        HclBody rule = r.block("rule");
        rule.attr("ports", List.of("22", "80"));
        rule.attr("long", List.of("0123456789012345678901234567890123", "0123456789012345678901234567890123", "x"));
        f.comment("a comment");
        f.block("output", "o").attr("value", Map.of("nested", Map.of("k", 1)));
        String expected = """
                # header

                resource "aws_security_group" "validator" {
                  name        = "x"
                  description = "longer name aligns"
                  tags = {
                    Name          = "x"
                    "cost-center" = "y"
                  }
                  vpc_id     = aws_vpc.this.id
                  empty_list = []
                  empty_map  = {}

                  rule {
                    ports = ["22", "80"]
                    long = [
                      "0123456789012345678901234567890123",
                      "0123456789012345678901234567890123",
                      "x",
                    ]
                  }
                }

                # a comment
                output "o" {
                  value = {
                    nested = {
                      k = 1
                    }
                  }
                }
                """;
        assertEquals(expected, f.render());
        TerraformTestSupport.parse("sample.tf", f.render());
    }

    @Test
    void refusesWhatIsNotHcl() {
        HclBody b = new HclFile("# h\n");
        assertThrows(IllegalArgumentException.class, () -> b.attr("bad name", "x"));
        assertThrows(IllegalArgumentException.class, () -> b.attr("x", new Object()));
        assertThrows(IllegalArgumentException.class, () -> b.attr("x", null));
        assertThrows(IllegalArgumentException.class, () -> b.comment("two\nlines"));
        assertThrows(IllegalArgumentException.class, () -> new HclFile("no comment\n"));
    }

    /** Strings that stress the escaping, each with the exact value Terraform must read back. */
    static final Map<String, String> TRICKY = new LinkedHashMap<>();

    static {
        TRICKY.put("quotes", "say \"hi\" and 'bye'");
        TRICKY.put("backslashes", "C:\\path\\ \\n is not a newline");
        TRICKY.put("whitespace", "tab\there\nnew line\r\nwindows");
        TRICKY.put("templates", "${var.x} %{ if true }yes%{ endif } $${ %%{");
        TRICKY.put("dollars", "$ $$ $$$ % %% 100%");
        TRICKY.put("controls", "bell\u0007 del\u007f nbsp\u00a0 zwj\u200d ls\u2028");
        TRICKY.put("unicode", "caf\u00e9 \u65e5\u672c \uD83D\uDE80 \uDB40\uDC01");
    }

    @Tag("tools")
    @Test
    void formattedExactlyAsTerraformFmtWants(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(TerraformCli.fmtUnavailable().isEmpty(),
                () -> "skipped: " + TerraformCli.fmtUnavailable().orElse(""));
        HclFile f = new HclFile("# header\n");
        HclBody locals = f.block("locals");
        TRICKY.forEach(locals::attr);
        laysOutLikeTerraformFmtSample(f);
        Files.writeString(dir.resolve("main.tf"), f.render());
        TerraformCli.Result r = TerraformCli.fmtCheck(dir);
        assertEquals(0, r.rc(), () -> "terraform fmt -check wants changes:\n" + r.stdout() + r.stderr());
    }

    private static void laysOutLikeTerraformFmtSample(HclFile f) {
        HclBody r = f.block("resource", "terraform_data", "x");
        r.attr("input", Map.of("a", List.of("b", "c"), "long_key_name", 1));
        r.attr("triggers_replace", List.of("0123456789012345678901234567890123", "0123456789012345678901234567890123"));
    }

    /** Terraform itself reads every escaped string back to the original value (no provider, loopback-only netns). */
    @Tag("tools")
    @Test
    void terraformReadsEscapedStringsBackExactly(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(TerraformCli.netnsUnavailable().isEmpty(),
                () -> "skipped: " + TerraformCli.netnsUnavailable().orElse(""));
        HclFile f = new HclFile("# header\n");
        TRICKY.forEach((name, value) -> {
            HclBody o = f.block("output", name);
            o.attr("value", value);
        });
        Path module = Files.createDirectories(dir.resolve("module"));
        Files.writeString(module.resolve("main.tf"), f.render());
        try (TerraformCli tf = TerraformCli.open(dir, false)) {
            tf.run(module, "init", "-input=false", "-no-color").assertOk("init");
            tf.run(module, "apply", "-auto-approve", "-input=false", "-no-color").assertOk("apply");
            TerraformCli.Result out = tf.run(module, "output", "-json").assertOk("output");
            JsonNode json = new ObjectMapper().readTree(out.stdout());
            TRICKY.forEach((name, value) -> assertEquals(value, json.path(name).path("value").asText(null), name));
        }
    }
}
