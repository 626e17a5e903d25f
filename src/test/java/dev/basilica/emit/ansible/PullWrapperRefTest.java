package dev.basilica.emit.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.plan.HostLayout;
import dev.basilica.support.GeneratedOut;
import dev.basilica.support.Repo;
import dev.basilica.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code pull.ref} may be, shown with the generated wrapper ({@code ansible/files/basilica-pull}) running the real
 * ansible-pull against a local repository on this machine. A branch is checked out shallow (depth 1); a commit is
 * accepted too, and then the git module clones the whole history (it fetches only branches and tags shallow); a
 * later run moves the same checkout to another commit; a commit the repository does not have fails the run, and the
 * failure is recorded in last-run.json. The wrapper writes under /var/lib/basilica/pull, so each run happens in a
 * mount namespace of its own with an empty tmpfs over /var/lib: nothing on this machine is touched.
 */
@Tag("tools")
class PullWrapperRefTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path wrapper;
    private Path origin;

    @BeforeEach
    void setUp() throws Exception {
        Tools.assume("ansible-pull", "ansible");
        Tools.assume("git", "git");
        Tools.assume("unshare", "util-linux");
        Tools.Result probe = Tools.run(dir, Map.of(), Duration.ofSeconds(20),
                List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs tmpfs /var/lib"));
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.exitCode() == 0,
                () -> "needs root to mount a tmpfs in a private mount namespace (unshare --mount): " + probe.output().strip());

        String model = Files.readString(Repo.root().resolve("environments/development.yaml"))
                + "\npull: { repository: \"https://git.internal/fleet.git\" }\n";
        Path file = Files.writeString(dir.resolve("development.yaml"), model);
        Path out = GeneratedOut.write(file, "environments/development.yaml", dir.resolve("out"));
        wrapper = out.resolve("ansible/files/basilica-pull");
        assertTrue(Files.readString(wrapper).contains("dir=" + HostLayout.PULL_DIR + "\n"), "the wrapper's results directory");

        // The published project: a playbook and an inventory that names this host, as out/NAME/ansible/ does.
        origin = Files.createDirectories(dir.resolve("origin"));
        git("init", "-q", "-b", "main");
        Files.createDirectories(origin.resolve("site/inventory"));
        Files.writeString(origin.resolve("site/inventory/hosts.yml"), "all:\n  hosts:\n    h1: {}\n");
        Files.writeString(origin.resolve("site/pull.yml"), """
                - name: A pull run
                  hosts: all
                  gather_facts: false
                  tasks:
                    - name: Say where it runs
                      ansible.builtin.debug:
                        msg: "{{ inventory_hostname }}"
                """);
        commit("one");
    }

    @Test
    void aBranchIsShallowACommitIsWholeAndTheCheckoutFollowsTheRef() throws Exception {
        String first = head();
        String second = commit("two");

        Run byBranch = pull("main", "branch");
        assertEquals(0, byBranch.exitCode(), byBranch.output());
        assertEquals(second, byBranch.record().path("revision").asText());
        assertEquals("main", byBranch.record().path("ref").asText());
        assertEquals("true", byBranch.shallow(), "a branch is fetched at depth 1");
        assertEquals(1, byBranch.record().path("stats").path("ok").asInt(), byBranch.record().toString());

        Run byCommit = pull(first, "commit");
        assertEquals(0, byCommit.exitCode(), byCommit.output());
        assertEquals(first, byCommit.record().path("revision").asText());
        assertEquals("false", byCommit.shallow(), "a commit makes the git module clone the whole history");

        Run moved = pull(second, "commit");
        assertEquals(0, moved.exitCode(), moved.output());
        assertEquals(second, moved.record().path("revision").asText(), "the same checkout moves to the other commit");
    }

    @Test
    void aCommitTheRepositoryDoesNotHaveFailsTheRunAndTheRecordSaysSo() throws Exception {
        String missing = "0123456789abcdef0123456789abcdef01234567";
        Run run = pull(missing, "missing");
        assertNotEquals(0, run.exitCode(), run.output());
        assertEquals(run.exitCode(), run.record().path("exit_code").asInt(), run.record().toString());
        assertEquals(missing, run.record().path("ref").asText());
        assertTrue(run.record().path("stats").isNull() || run.record().path("stats").isMissingNode(), run.record().toString());
    }

    private record Run(int exitCode, String output, JsonNode record, String shallow) {}

    /** One wrapper run as the unit starts it, in a private mount namespace; its last-run.json read before that ends. */
    private Run pull(String ref, String checkoutName) throws Exception {
        Path checkout = dir.resolve("checkout-" + checkoutName);
        String script = String.join("\n",
                "set -u",
                "mount -t tmpfs tmpfs /var/lib || exit 90",
                "bash \"$0\" \"$@\"",
                "rc=$?",
                "echo '--- last-run.json'",
                "cat " + HostLayout.PULL_DIR + "/last-run.json",
                "echo '--- shallow'",
                "git -C " + checkout + " rev-parse --is-shallow-repository 2>/dev/null || echo none",
                "exit $rc");
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "bash", "-c", script,
                wrapper.toString(), "file://" + origin, ref, checkout.toString(), "site/inventory/hosts.yml", "3", "site/pull.yml"));
        Tools.Result r = Tools.run(dir, Map.of("BASILICA_PULL_HOST", "h1", "ANSIBLE_LOCAL_TEMP", dir.resolve("tmp").toString(),
                "HOME", dir.toString()), Duration.ofMinutes(3), command);
        String stdout = r.stdout();
        int record = stdout.lastIndexOf("--- last-run.json\n");
        int shallow = stdout.lastIndexOf("--- shallow\n");
        assertTrue(record >= 0 && shallow > record, "the run's record was not printed:\n" + r.output());
        JsonNode json = JSON.readTree(stdout.substring(record + "--- last-run.json\n".length(), shallow));
        return new Run(r.exitCode(), r.output(), json, stdout.substring(shallow + "--- shallow\n".length()).strip());
    }

    private String commit(String message) throws Exception {
        Files.writeString(origin.resolve("revision.txt"), message + "\n");
        git("add", "-A");
        git("-c", "user.email=test@example.invalid", "-c", "user.name=test", "commit", "-q", "-m", message);
        return head();
    }

    private String head() throws Exception {
        return git("rev-parse", "HEAD").strip();
    }

    private String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", origin.toString()));
        command.addAll(List.of(args));
        Tools.Result r = Tools.run(dir, Map.of("HOME", dir.toString()), Duration.ofSeconds(30), command);
        assertEquals(0, r.exitCode(), r.output());
        return r.stdout();
    }
}
