package dev.basilica.support;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** What the converge tests read from a playbook's JSON callback document, on a document written here. */
class AnsibleRunTest {

    private static final String DOCUMENT = """
            [WARNING]: a line before the document
            {"plays": [{"tasks": [
              {"task": {"name": "Install docker", "path": "/x/out/e/ansible/roles/docker/tasks/main.yml:3"},
               "hosts": {"a": {"changed": true, "msg": "installed"}, "b": {"changed": false}}},
              {"task": {"name": "Start it", "path": "/x/out/e/ansible/roles/docker/tasks/main.yml:9"},
               "hosts": {"b": {"failed": true, "msg": "no such unit", "stderr": "boom", "stdout": ""}}}
            ]}],
             "stats": {"b": {"changed": 0, "failures": 1, "unreachable": 0}, "a": {"changed": 2, "failures": 0, "unreachable": 0}}}
            """;

    private static AnsibleRun run(int exitCode, String stdout) throws IOException {
        return AnsibleRun.parse("servers.yml ", new Tools.Result(List.of("ansible-playbook"), exitCode, stdout, "the stderr"));
    }

    @Test
    void readsStatsAndTasks() throws IOException {
        AnsibleRun r = run(2, DOCUMENT);
        assertEquals(1, r.failures());
        assertEquals(2, r.changed());
        assertEquals(Map.of("a", 2, "b", 0), r.changedByHost());
        assertEquals(List.of("a", "b"), List.copyOf(r.changedByHost().keySet()), "by host name");
        assertEquals("  changed: a: Install docker (roles/docker/tasks/main.yml:3) msg=installed\n", r.changedTasks());
        assertEquals("  failed: b: Start it (roles/docker/tasks/main.yml:9) msg=no such unit boom\n", r.failedTasks());
        AssertionFailedError e = assertThrows(AssertionFailedError.class, r::assertOk);
        assertTrue(e.getMessage().startsWith("servers.yml  failed (rc 2):\n  failed: b: Start it"), e.getMessage());
        assertTrue(e.getMessage().contains("the stderr"), e.getMessage());
    }

    @Test
    void aFailedHostOrAnExitCodeFailsTheRun() throws IOException {
        assertThrows(AssertionFailedError.class, run(0, DOCUMENT)::assertOk);
        String unreachable = "{\"stats\": {\"a\": {\"changed\": 0, \"failures\": 0, \"unreachable\": 1}}}";
        assertEquals(1, run(0, unreachable).failures());
        assertThrows(AssertionFailedError.class, run(0, unreachable)::assertOk);
        String clean = "{\"stats\": {\"a\": {\"changed\": 0, \"failures\": 0, \"unreachable\": 0}}}";
        assertThrows(AssertionFailedError.class, run(4, clean)::assertOk);
        assertDoesNotThrow(run(0, clean)::assertOk);
        assertDoesNotThrow(run(0, "")::assertOk, "no document reads as an empty one");
    }

    @Test
    void anUnreadableDocumentIsAnError() {
        IOException e = assertThrows(IOException.class, () -> run(1, "{\"plays\": ["));
        assertTrue(e.getMessage().startsWith("servers.yml : unreadable JSON output (rc 1):"), e.getMessage());
    }

    @Test
    void theJsonCallbackIsAddedToTheEnvironment() {
        assertEquals(Map.of("X", "1", "ANSIBLE_STDOUT_CALLBACK", "json", "ANSIBLE_NOCOLOR", "1"),
                AnsibleRun.withJsonCallback(Map.of("X", "1")));
    }
}
