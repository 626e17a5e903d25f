package dev.basilica.cli;

import dev.basilica.importer.ConfImporter;
import dev.basilica.importer.EnvImport;
import dev.basilica.model.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Convert an environment file of the old bash scripts into a model.",
            "Reads scripts/provision/environments/NAME.conf (or a servers.conf of "
                + "ROLE=user@host:port lines) and writes environments/NAME.yaml. The file is "
                + "read, never run: $USER, $HOME and $(...) stay unevaluated unless --var "
                + "gives them. Prints each key it could not map and why, and what needs "
                + "attention, then checks the model like 'env check'. Secrets are never "
                + "copied: MINER_JWT_SECRET becomes { env: MINER_JWT_SECRET }, and values of "
                + "secret-looking keys are not shown. Refuses to overwrite an existing file "
                + "unless --force is given.",
            "Exit 0 when written and valid; 1 when written but it needs edits (TODO "
                + "lines) to validate; 2 when a file cannot be read or is not plain "
                + "KEY=value bash (reported as FILE:LINE:COL)."},
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
        Path target = output != null ? ws.userPath(output) : ws.modelFile(envName);
        if (!stdout && Files.exists(target) && !force) {
            return invalid(ws.display(target) + " already exists; use --force to overwrite it");
        }

        String check = output == null ? "basilica env check --env " + envName : "basilica env check --file " + output;
        EnvImport.Request request = new EnvImport.Request(confPath, servers != null ? ws.userPath(servers) : null,
                stdout ? null : target, new ConfImporter.Options(envName, variables, minerHotkeySs58), check);
        return switch (new EnvImport(ws::display, ctx.out(), ctx.err()).run(request)) {
            case VALID -> ExitCode.OK;
            case UNREADABLE -> ExitCode.INVALID_INPUT;
            case NOT_VALID_YET -> ExitCode.CHECKS_FAILED;
        };
    }

    /** {@code old/Production.conf} is {@code production}. */
    static String defaultName(Path conf) {
        String base = conf.getFileName().toString();
        if (base.endsWith(".conf")) base = base.substring(0, base.length() - 5);
        return base.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private int invalid(String message) {
        ctx.err().println("basilica: " + message);
        ctx.err().flush();
        return ExitCode.INVALID_INPUT;
    }
}
