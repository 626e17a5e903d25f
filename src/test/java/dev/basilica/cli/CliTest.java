package dev.basilica.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.support.CliRun;
import dev.basilica.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {

    @TempDir
    Path home;

    @BeforeEach
    void copyEnvironments() throws IOException {
        Files.createDirectories(home.resolve("environments"));
        try (Stream<Path> s = Files.list(Repo.path("environments"))) {
            for (Path p : s.toList()) Files.copy(p, home.resolve("environments").resolve(p.getFileName()));
        }
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void generateIsIdempotentAndCheckPassesRightAfter() throws IOException {
        CliRun first = CliRun.run(home, "generate");
        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(first.out().matches("(?s).*Wrote out/development/: [0-9]+ added, 0 changed, 0 removed.*"), first.out());
        Path out = home.resolve("out/development");
        FileTime stamp = FileTime.fromMillis(1_000_000_000_000L);
        for (String f : files(out)) Files.setLastModifiedTime(out.resolve(f), stamp);

        CliRun second = CliRun.run(home, "generate");
        assertEquals(0, second.exitCode(), second.toString());
        assertTrue(second.out().contains("nothing written"), second.out());
        for (String f : files(out)) assertEquals(stamp, Files.getLastModifiedTime(out.resolve(f)), f + " was rewritten");

        CliRun check = CliRun.run(home, "generate", "--check");
        assertEquals(0, check.exitCode(), check.toString());
    }

    @Test
    void checkListsStaleMissingAndExtraFilesAndWritesNothing() throws IOException {
        assertEquals(0, CliRun.run(home, "generate").exitCode());
        Path out = home.resolve("out/development");
        Files.writeString(out.resolve("configs/dev-local/miner.toml"), "edited by hand\n");
        Files.delete(out.resolve("systemd/basilica-validator.service"));
        // A file an earlier run wrote (its manifest lists it) that the model no longer gives: extra.
        Files.writeString(out.resolve("configs/dev-local/stray.toml"), "x\n");
        Path manifest = out.resolve("MANIFEST.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"files\": {", "\"files\": {\n    \"configs/dev-local/stray.toml\": \"x\","));
        // A file nobody generated: the operator's, never listed.
        Files.writeString(out.resolve("configs/dev-local/NOTES.md"), "mine\n");

        CliRun check = CliRun.run(home, "generate", "--check");
        assertEquals(ExitCode.CHECKS_FAILED, check.exitCode(), check.toString());
        assertTrue(check.err().contains("changed: configs/dev-local/miner.toml"), check.err());
        assertTrue(check.err().contains("missing: systemd/basilica-validator.service"), check.err());
        assertTrue(check.err().contains("extra:   configs/dev-local/stray.toml"), check.err());
        assertFalse(check.err().contains("NOTES.md"), check.err());
        assertEquals("edited by hand\n", Files.readString(out.resolve("configs/dev-local/miner.toml")), "--check wrote");
    }

    @Test
    void anInvalidModelWritesNothingAndExitsTwo() throws IOException {
        assertEquals(0, CliRun.run(home, "generate").exitCode());
        Path model = home.resolve("environments/development.yaml");
        String text = Files.readString(model);
        Files.writeString(model, text.replace("netuid: 387", "netuid: 0").replace("port: 22", "port: 8080"));
        List<String> before = files(home.resolve("out/development"));
        String minerBefore = Files.readString(home.resolve("out/development/configs/dev-local/miner.toml"));

        CliRun r = CliRun.run(home, "generate");
        assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), r.toString());
        assertTrue(r.err().contains("environments/development.yaml:12:11: chain.netuid: 0 is out of range"), r.err());
        assertTrue(r.err().contains("port 8080 is used twice on host 'dev-local'"), r.err());
        assertTrue(r.err().contains("2 errors in the model; nothing was written."), r.err());
        assertEquals(before, files(home.resolve("out/development")));
        assertEquals(minerBefore, Files.readString(home.resolve("out/development/configs/dev-local/miner.toml")));
    }

    @Test
    void serviceOptionOnlyTouchesThatServicesFiles() throws IOException {
        assertEquals(0, CliRun.run(home, "generate").exitCode());
        Path model = home.resolve("environments/development.yaml");
        Files.writeString(model, Files.readString(model).replace("netuid: 387", "netuid: 388"));

        CliRun r = CliRun.run(home, "configure", "generate", "--service", "validator", "--env", "development");
        assertEquals(0, r.exitCode(), r.toString());
        Path out = home.resolve("out/development");
        assertTrue(Files.readString(out.resolve("configs/dev-local/validator.toml")).contains("netuid = 388"));
        assertTrue(Files.readString(out.resolve("configs/dev-local/miner.toml")).contains("netuid = 387"));
        // The manifest describes the tree as it now is, so --check for that scope passes.
        assertEquals(0, CliRun.run(home, "generate", "--check", "--service", "validator").exitCode());
        assertEquals(ExitCode.CHECKS_FAILED, CliRun.run(home, "generate", "--check").exitCode());
    }

    @Test
    void provisioningReadmeFormsParse() {
        CliRun r = CliRun.run(home, "provision", "configure", "--env", "staging");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(Files.isDirectory(home.resolve("out/staging/configs/staging-miner")));
        CliRun missing = CliRun.run(home, "provision", "configure", "--env", "production");
        assertEquals(ExitCode.INVALID_INPUT, missing.exitCode());
        assertTrue(missing.err().contains("copy environments/production.yaml.example to environments/production.yaml"),
                missing.err());
    }

    @Test
    void outAndFileOptionsUseTheCurrentDirectory() throws IOException {
        Path cwd = Files.createDirectories(home.resolve("work"));
        Files.copy(home.resolve("environments/staging.yaml"), cwd.resolve("fleet.yaml"));
        CliRun r = CliRun.run(home, cwd, "generate", "--file", "fleet.yaml", "--out", "gen");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(Files.exists(cwd.resolve("gen/MANIFEST.json")));
        assertTrue(Files.readString(cwd.resolve("gen/MANIFEST.json")).contains("\"model\": \"work/fleet.yaml\""));
    }

    @Test
    void unknownCommandsAndOptionsAreUsageErrors() {
        CliRun r = CliRun.run(home, "generat");
        assertEquals(ExitCode.INVALID_INPUT, r.exitCode());
        assertTrue(r.err().contains("Did you mean") || r.err().contains("generate"), r.err());
        CliRun bad = CliRun.run(home, "generate", "--service", "minr");
        assertEquals(ExitCode.INVALID_INPUT, bad.exitCode());
        assertEquals("basilica: unknown service 'minr' for --service; expected validator, miner or executor; did you mean 'miner'?\n",
                bad.err());
        CliRun kind = CliRun.run(home, "generate", "--only", "configs,terrafrom");
        assertEquals(ExitCode.INVALID_INPUT, kind.exitCode());
        assertEquals("basilica: unknown output kind 'terrafrom' for --only; expected one of ansible, configs, monitoring, systemd, terraform"
                + "; did you mean 'terraform'?\n", kind.err());
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        java.io.PrintWriter sink = new java.io.PrintWriter(new java.io.StringWriter());
        CommandLine root = Main.commandLine(new Context(new Workspace(home, home), sink, sink, java.util.Map.of()));
        List<String> missing = new ArrayList<>();
        walk(root, missing);
        assertEquals(List.of(), missing, "commands without an Examples section in --help");
        CliRun help = CliRun.run(home, "generate", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--check"), help.out());
        CliRun version = CliRun.run(home, "--version");
        assertTrue(version.out().startsWith("basilica "), version.out());
    }

    /**
     * picocli lists a subcommand by the first line of its description, so that line must be a whole sentence (a
     * capital, a full stop, nothing cut off), every other line is a whole paragraph, and the root's opening line names
     * every kind of output.
     */
    @Test
    void everyCommandsDescriptionIsWholeSentences() {
        java.io.PrintWriter sink = new java.io.PrintWriter(new java.io.StringWriter());
        CommandLine root = Main.commandLine(new Context(new Workspace(home, home), sink, sink, java.util.Map.of()));
        List<String> fragments = new ArrayList<>();
        summaries(root, fragments);
        assertEquals(List.of(), fragments, "commands whose description has a line that is not a whole sentence");
        String opening = root.getCommandSpec().usageMessage().description()[0];
        for (String kind : List.of("service configs", "systemd units", "Ansible", "monitoring", "Terraform", "MANIFEST.json")) {
            assertTrue(opening.contains(kind), "the root's opening line names " + kind + ": " + opening);
        }
    }

    private static void summaries(CommandLine c, List<String> fragments) {
        if (c.getCommandName().equals("help")) return;
        String[] description = c.getCommandSpec().usageMessage().description();
        String first = description.length == 0 ? "" : description[0].strip();
        boolean sentence = first.length() > 1 && Character.isUpperCase(first.charAt(0)) && first.endsWith(".")
                && !first.endsWith("e.g.") && !first.endsWith("i.e.");
        if (!sentence) fragments.add(c.getCommandSpec().qualifiedName() + ": " + first);
        // picocli prints each element of the description as a paragraph of its own (wrapped, then a line break),
        // so an element that stops mid-sentence leaves a ragged break in --help.
        for (String line : description) {
            String l = line.strip();
            if (!l.isEmpty() && !l.matches("(?s).*([.:;!?]|%n)$")) fragments.add(c.getCommandSpec().qualifiedName() + " (mid-sentence): " + l);
        }
        c.getSubcommands().values().stream().distinct().forEach(s -> summaries(s, fragments));
    }

    private static void walk(CommandLine c, List<String> missing) {
        String usage = c.getUsageMessage();
        boolean leafWithoutFooter = !usage.contains("Examples:");
        if (leafWithoutFooter && !c.getCommandName().equals("help")) missing.add(c.getCommandSpec().qualifiedName());
        c.getSubcommands().values().stream().distinct().forEach(s -> walk(s, missing));
    }

    @Test
    void envInitWritesAValidModelAndRefusesToOverwrite() throws IOException {
        CliRun r = CliRun.run(home, "env", "init", "lab", "--tier", "staging");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(Files.readString(home.resolve("environments/lab.yaml")).contains("tier: staging"));
        assertEquals(0, CliRun.run(home, "env", "check", "--env", "lab").exitCode());
        CliRun again = CliRun.run(home, "env", "init", "lab");
        assertEquals(ExitCode.INVALID_INPUT, again.exitCode());
        assertTrue(again.err().contains("already exists"), again.err());
    }

    @Test
    void envShowNamesWhereEachValueCameFrom() {
        CliRun r = CliRun.run(home, "env", "show", "--env", "production.yaml".replace(".yaml", ""));
        assertEquals(ExitCode.INVALID_INPUT, r.exitCode(), "production.yaml does not exist, only the example");
        CliRun show = CliRun.run(home, "env", "show", "--file", "environments/production.yaml.example");
        assertEquals(0, show.exitCode(), show.toString());
        String out = show.out();
        assertTrue(out.matches("(?s).*chain\\.netuid: 39 +# environments/production\\.yaml\\.example:\\d+:\\d+.*"), out);
        assertTrue(out.matches("(?s).*services\\.validator\\.verification\\.interval_secs: 600 +# default \\(production\\).*"), out);
        assertTrue(out.matches("(?s).*chain\\.endpoint: wss://entrypoint-finney\\.opentensor\\.ai:443 +# derived from chain\\.network.*"), out);
        CliRun stg = CliRun.run(home, "env", "show", "--env", "staging");
        assertTrue(stg.out().matches("(?s).*services\\.validator\\.verification\\.interval_secs: 450 +# default \\(staging\\).*"), stg.out());
    }

    @Test
    void completionScriptInTheRepositoryIsCurrent() throws IOException {
        CliRun r = CliRun.run(home, "completion");
        assertEquals(0, r.exitCode());
        Path committed = Repo.path("scripts/completion/basilica.bash");
        assertTrue(Files.exists(committed), "scripts/completion/basilica.bash is missing");
        assertEquals(Files.readString(committed), r.out(),
                "scripts/completion/basilica.bash is stale: regenerate with './scripts/basilica.sh completion > scripts/completion/basilica.bash'");
        assertFalse(r.out().isBlank());
    }
}
