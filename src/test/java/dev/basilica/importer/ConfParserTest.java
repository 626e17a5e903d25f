package dev.basilica.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.importer.ShellEvaluator.Key;
import dev.basilica.importer.ShellEvaluator.Unresolved;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfParserTest {

    private static Map<String, Key> eval(String text) throws ConfSyntaxException {
        return eval(text, Map.of());
    }

    private static Map<String, Key> eval(String text, Map<String, String> vars) throws ConfSyntaxException {
        return new ShellEvaluator(vars).evaluate(ConfParser.parse(text, "t.conf"));
    }

    private static String value(Map<String, Key> keys, String key) {
        assertTrue(keys.containsKey(key), key + " missing from " + keys.keySet());
        assertTrue(keys.get(key).value().resolved(), key + " unresolved: " + keys.get(key).value().unresolved());
        return keys.get(key).value().text();
    }

    private static List<String> unresolvedSources(Map<String, Key> keys, String key) {
        assertFalse(keys.get(key).value().resolved(), key + " should be unresolved");
        assertNull(keys.get(key).value().text());
        return keys.get(key).value().unresolved().stream().map(Unresolved::source).toList();
    }

    @Test
    void quotingCommentsAndExport() throws Exception {
        var keys = eval("""
                #!/bin/bash
                # a comment
                A='single $quoted'   # trailing comment
                export B="double $A \\"q\\" \\$x"
                C=a\\ b#not-a-comment
                export D
                E= ; F=""
                G=one H=two; I=three
                J="multi
                line"
                K=con\\
                tinued
                """);
        assertEquals("single $quoted", value(keys, "A"));
        assertEquals("double single $quoted \"q\" $x", value(keys, "B"));
        assertEquals("a b#not-a-comment", value(keys, "C"));
        assertFalse(keys.containsKey("D"), "export NAME assigns nothing");
        assertEquals("", value(keys, "E"));
        assertEquals("", value(keys, "F"));
        assertEquals("one", value(keys, "G"));
        assertEquals("two", value(keys, "H"));
        assertEquals("three", value(keys, "I"));
        assertEquals("multi\nline", value(keys, "J"));
        assertEquals("continued", value(keys, "K"));
        assertEquals(3, keys.get("A").line());
        assertEquals(9, keys.get("J").line());
    }

    @Test
    void parameterExpansionsReferToEarlierKeys() throws Exception {
        var keys = eval("""
                BASE=/opt/basilica
                EMPTY=
                A=${BASE}/data
                B=${UNSET:-fallback}
                C=${EMPTY:-empty-means-default}
                D=${EMPTY-set-but-empty-stays}
                E=${BASE:+has-base}
                F=${UNSET:+never}
                G=${NEW:=assigned}
                H=$NEW
                I="${UNSET:-${BASE}/nested}"
                J+=first
                J+=-second
                """);
        assertEquals("/opt/basilica/data", value(keys, "A"));
        assertEquals("fallback", value(keys, "B"));
        assertEquals("empty-means-default", value(keys, "C"));
        assertEquals("", value(keys, "D"));
        assertEquals("has-base", value(keys, "E"));
        assertEquals("", value(keys, "F"));
        assertEquals("assigned", value(keys, "G"));
        assertEquals("assigned", value(keys, "H"));
        assertEquals("/opt/basilica/nested", value(keys, "I"));
        assertEquals("first-second", value(keys, "J"));
    }

    @Test
    void operatorMachineExpansionsStayUnresolved() throws Exception {
        var keys = eval("""
                U=$USER
                G=$(id -gn)
                T=`date +%s`
                H=~/.basilica
                N=$((1 + 2))
                S=${USER%%@*}
                P=$1
                R=${REQUIRED:?must be set}
                DERIVED="$U-suffix"
                """);
        assertEquals(List.of("$USER"), unresolvedSources(keys, "U"));
        assertEquals(List.of("$(id -gn)"), unresolvedSources(keys, "G"));
        assertEquals(List.of("`date +%s`"), unresolvedSources(keys, "T"));
        assertEquals(List.of("~"), unresolvedSources(keys, "H"));
        assertEquals(List.of("$((1 + 2))"), unresolvedSources(keys, "N"));
        assertEquals(List.of("${USER%%@*}"), unresolvedSources(keys, "S"));
        assertEquals(List.of("$1"), unresolvedSources(keys, "P"));
        assertEquals(List.of("${REQUIRED:?must be set}"), unresolvedSources(keys, "R"));
        assertEquals(List.of("$USER"), unresolvedSources(keys, "DERIVED"), "unresolved parts propagate through references");
        assertEquals("$USER", keys.get("U").written());
    }

    @Test
    void variablesGivenLikeTheOperatorsShell() throws Exception {
        var keys = eval("U=$USER\nH=~/x\nUSER=file-wins\nV=$USER\n", Map.of("USER", "alice", "HOME", "/home/alice"));
        assertEquals("alice", value(keys, "U"));
        assertEquals("/home/alice/x", value(keys, "H"));
        assertEquals("file-wins", value(keys, "V"));
    }

    @Test
    void arraysAreJoined() throws Exception {
        var keys = eval("PORTS=(22 \"80 81\"\n  # comment\n  443)\n");
        assertEquals("22 80 81 443", value(keys, "PORTS"));
        assertTrue(keys.get("PORTS").array());
    }

    @Test
    void crlfAndByteOrderMark() throws Exception {
        var keys = eval("\uFEFFA=1\r\nB=\"2\"\r\n");
        assertEquals("1", value(keys, "A"));
        assertEquals("2", value(keys, "B"));
    }

    private static ConfSyntaxException rejected(String text) {
        return assertThrows(ConfSyntaxException.class, () -> ConfParser.parse(text, "bad.conf"));
    }

    @Test
    void rejectsWhatIsNotAnAssignmentWithItsPosition() {
        var e = rejected("A=1\nB=\"never closed\nC=3\n");
        assertEquals(2, e.line());
        assertEquals(3, e.column());
        assertTrue(e.getMessage().startsWith("bad.conf:2:3: unterminated double quote"), e.getMessage());

        e = rejected("A=1\n  source ./other.conf\n");
        assertEquals(2, e.line());
        assertEquals(3, e.column());
        assertTrue(e.problem().contains("'source' is a command"), e.problem());

        e = rejected("A='x\n");
        assertEquals("bad.conf:1:3: unterminated single quote: the quote opened here is never closed", e.getMessage());

        e = rejected("A=1\nB=a|b\n");
        assertEquals(2, e.line());
        assertEquals(4, e.column());

        e = rejected("A=1 echo hi\n");
        assertEquals(5, e.column());
        assertTrue(e.problem().contains("'echo' is not a variable assignment"), e.problem());

        assertEquals(1, rejected("A=${B:-x\n").line());
        assertEquals(1, rejected("A=$(id -gn\n").line());
        assertEquals(1, rejected("A=(1 2\n").line());
        assertEquals(3, rejected("A=1\n\nif true; then A=2; fi\n").line());
        assertEquals(1, rejected("f() { A=1; }\n").line());
    }
}
