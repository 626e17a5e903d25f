package dev.basilica.cli;

import dev.basilica.output.AtomicFiles;
import dev.basilica.importer.ConfFile;
import dev.basilica.importer.ConfImporter;
import dev.basilica.importer.ConfParser;
import dev.basilica.importer.ConfSyntaxException;
import dev.basilica.importer.Finding;
import dev.basilica.importer.ImportResult;
import dev.basilica.model.Diagnostic;
import dev.basilica.model.Format;
import dev.basilica.model.InputFile;
import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Convert an environment file of the old bash scripts into a model.",
            "Reads scripts/provision/environments/NAME.conf (or a servers.conf of",
            "ROLE=user@host:port lines) and writes environments/NAME.yaml. The file is",
            "read, never run: $USER, $HOME and $(...) stay unevaluated unless --var",
            "gives them. Prints each key it could not map and why, and what needs",
            "attention, then checks the model like 'env check'. Secrets are never",
            "copied: MINER_JWT_SECRET becomes { env: MINER_JWT_SECRET }, and values of",
            "secret-looking keys are not shown. Refuses to overwrite an existing file",
            "unless --force is given.",
            "Exit 0 when written and valid; 1 when written but it needs edits (TODO",
            "lines) to validate; 2 when a file cannot be read or is not plain",
            "KEY=value bash (reported as FILE:LINE:COL)."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica env import old/production.conf",
            "  basilica env import old/production.conf --servers old/servers.conf --force",
            "  basilica env import old/testnet.conf --miner-hotkey-ss58 5F...",
            "  basilica env import old/development.conf --name lab --var USER=alice --stdout"})
public final class EnvImportCommand implements Callable<Integer> {

    private final Context ctx;

    @Parameters(paramLabel = "FILE", description = "The .conf file (or servers.conf) to convert.")
    String file;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Environment name (default: FILE's name without .conf, e.g. testnet).")
    String name;

    @Option(names = "--servers", paramLabel = "FILE",
            description = "A servers.conf whose ROLE=user@host:port lines fill in what FILE does not say about the hosts.")
    String servers;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Write here instead of environments/NAME.yaml.")
    String output;

    @Option(names = "--stdout", description = "Print the model instead of writing it.")
    boolean stdout;

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    @Option(names = "--var", paramLabel = "NAME=VALUE",
            description = "Value of a variable the file uses but does not set, as the scripts' shell had it (USER, HOME); "
                    + "also supplies keys the file lacks. Repeatable.")
    Map<String, String> variables = new TreeMap<>();

    @Option(names = "--miner-hotkey-ss58", paramLabel = "ADDRESS",
            description = "Public SS58 address of the miner hotkey (wallets.miner.hotkey_ss58), which no .conf file records.")
    String minerHotkeySs58;

    public EnvImportCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        Workspace ws = ctx.workspace();
        if (stdout && output != null) return invalid("--stdout and --output exclude each other");
        Path confPath = ws.userPath(file);
        String envName = name != null ? name : defaultName(confPath);
        if (!Format.NAME.accepts(envName)) {
            return invalid("'" + envName + "' is not a valid environment name: expected " + Format.NAME.description()
                    + (name == null ? "; pass --name NAME" : ""));
        }
        for (String var : variables.keySet()) {
            if (!var.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return invalid("--var " + var + ": not a shell variable name");
            }
        }
        if (minerHotkeySs58 != null && !Format.SS58.accepts(minerHotkeySs58)) {
            return invalid("--miner-hotkey-ss58 '" + minerHotkeySs58 + "' is not " + Format.SS58.description());
        }
        Path target = output != null ? ws.userPath(output) : ws.environmentFile(envName);
        if (!stdout && Files.exists(target) && !force) {
            return invalid(ws.display(target) + " already exists; use --force to overwrite it");
        }

        ConfFile conf;
        ConfFile serverFile = null;
        try {
            conf = read(confPath);
            if (servers != null) serverFile = read(ws.userPath(servers));
        } catch (Unreadable e) {
            ctx.err().println(e.getMessage());
            ctx.err().flush();
            return ExitCode.INVALID_INPUT;
        }

        ImportResult result = ConfImporter.convert(conf, serverFile,
                new ConfImporter.Options(envName, variables, minerHotkeySs58));
        report("Could not map", result.unmapped(), "key");
        report("Needs attention:", result.attention(), null);

        String display = stdout ? "<stdout>" : ws.display(target);
        List<Diagnostic> diagnostics;
        boolean valid;
        try {
            diagnostics = ModelLoader.parse(result.yaml(), display).warnings();
            valid = true;
        } catch (ModelException e) {
            diagnostics = e.diagnostics();
            valid = false;
        }
        ctx.printDiagnostics(diagnostics);

        if (stdout) {
            ctx.out().print(result.yaml());
            ctx.out().flush();
        } else {
            AtomicFiles.write(target, result.yaml().getBytes(StandardCharsets.UTF_8));
        }
        String summary = " (" + result.tier().id() + ", " + result.hosts() + " host" + (result.hosts() == 1 ? "" : "s") + ")";
        String what = stdout ? "The model" + summary : "Wrote " + display + summary + ";";
        String check = output == null ? "basilica env check --env " + envName : "basilica env check --file " + output;
        if (valid) {
            ctx.err().println(what + (stdout ? " is valid." : " it is valid.") + " Review it against the hosts, then run '"
                    + check + "'.");
            ctx.err().flush();
            return ExitCode.OK;
        }
        long errors = diagnostics.stream().filter(Diagnostic::isError).count();
        ctx.err().println(what + (stdout ? "" : " it") + " does not validate yet: " + errors + (errors == 1 ? " error" : " errors")
                + " above" + (result.todos() > 0 ? ", " + result.todos() + " TODO line" + (result.todos() == 1 ? "" : "s")
                + " to fill in" : "") + ". Edit it, then run '" + check + "'.");
        ctx.err().flush();
        return ExitCode.CHECKS_FAILED;
    }

    /** {@code old/Production.conf} is {@code production}. */
    static String defaultName(Path conf) {
        String base = conf.getFileName().toString();
        if (base.endsWith(".conf")) base = base.substring(0, base.length() - 5);
        return base.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private ConfFile read(Path p) throws Unreadable {
        String display = ctx.workspace().display(p);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(InputFile.read(p))).toString();
        } catch (InputFile.Refused e) {
            String problem = e.getMessage();
            if (problem.startsWith("a directory") || problem.startsWith("not a regular file")) problem += "; give a .conf file";
            throw new Unreadable("basilica: " + display + ": " + problem);
        } catch (CharacterCodingException e) {
            throw new Unreadable("basilica: " + display + ": not UTF-8 text; save it as UTF-8");
        }
        try {
            return ConfParser.parse(text, p.getFileName().toString());
        } catch (ConfSyntaxException e) {
            throw new Unreadable(display + ":" + e.line() + ":" + e.column() + ": " + e.problem()
                    + "\nbasilica: nothing written; env import reads plain KEY=value bash files and runs nothing in them");
        }
    }

    private void report(String heading, List<Finding> findings, String noun) {
        if (findings.isEmpty()) return;
        ctx.err().println(noun == null ? heading
                : heading + " " + findings.size() + " " + noun + (findings.size() == 1 ? "" : "s") + " (not carried over):");
        for (Finding f : findings) ctx.err().println("  " + f.format());
        ctx.err().flush();
    }

    private int invalid(String message) {
        ctx.err().println("basilica: " + message);
        ctx.err().flush();
        return ExitCode.INVALID_INPUT;
    }
}
