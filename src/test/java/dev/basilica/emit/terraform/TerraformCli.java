package dev.basilica.emit.terraform;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code terraform} binary for tests, found at test time: on PATH, with the hashicorp/aws
 * provider from a local filesystem mirror (found with {@code find / -xdev}, or named by the
 * {@code BASILICA_TF_PROVIDER_MIRROR} environment variable). Every command that may load a provider runs
 * in a network namespace of its own with nothing but loopback, with {@code CHECKPOINT_DISABLE=1} and a CLI
 * configuration that installs providers from the mirror only. {@link #close()} deletes the namespace.
 */
final class TerraformCli implements AutoCloseable {

    /** What one command did. */
    record Result(int rc, String stdout, String stderr, long millis) {
        Result assertOk(String what) {
            if (rc != 0) throw new AssertionError(what + " failed (rc " + rc + "):\n" + stdout + "\n" + stderr);
            return this;
        }
    }

    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    private final Path binary;
    private final Path cliConfig;
    private final String netns;
    private boolean closed;
    private final Thread cleanup;

    private TerraformCli(Path binary, Path cliConfig, String netns) {
        this.binary = binary;
        this.cliConfig = cliConfig;
        this.netns = netns;
        this.cleanup = new Thread(this::deleteNamespace, "delete netns " + netns);
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** The terraform binary on PATH. */
    static Optional<Path> binary() {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "terraform");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private static Optional<Path> mirror;

    /** The root of a filesystem mirror holding hashicorp/aws (the directory that contains registry.terraform.io). */
    static synchronized Optional<Path> awsMirror() {
        if (mirror != null) return mirror;
        String given = System.getenv("BASILICA_TF_PROVIDER_MIRROR");
        if (given != null && !given.isBlank()) {
            mirror = Optional.of(Path.of(given));
            return mirror;
        }
        mirror = Optional.empty();
        try {
            Result r = exec(List.of("find", "/", "-xdev", "-name", "terraform-provider-aws*", "-path",
                    "*/registry.terraform.io/hashicorp/aws/*", "-print", "-quit"), null, Map.of(), Duration.ofMinutes(2));
            for (String line : r.stdout().split("\n")) {
                if (line.isBlank()) continue;
                // <root>/registry.terraform.io/hashicorp/aws/... (unpacked or packed layout)
                Path p = Path.of(line.strip());
                while (p != null && (p.getFileName() == null || !p.getFileName().toString().equals("registry.terraform.io"))) {
                    p = p.getParent();
                }
                if (p != null && p.getParent() != null) {
                    mirror = Optional.of(p.getParent());
                    break;
                }
            }
        } catch (IOException e) {
            // no find: no mirror
        }
        return mirror;
    }

    /** Why fmt cannot run here, or empty when it can. */
    static Optional<String> fmtUnavailable() {
        return binary().isPresent() ? Optional.empty() : Optional.of("no terraform binary on PATH");
    }

    /** Why planning with the AWS provider cannot run here, or empty when it can. */
    static Optional<String> planUnavailable() {
        Optional<String> netns = netnsUnavailable();
        if (netns.isPresent()) return netns;
        if (awsMirror().isEmpty()) {
            return Optional.of("no filesystem mirror of the hashicorp/aws provider (find / -xdev -name 'terraform-provider-aws*' "
                    + "found none; set BASILICA_TF_PROVIDER_MIRROR to one)");
        }
        return Optional.empty();
    }

    /** Why terraform cannot run in a loopback-only namespace here (providers or not), or empty when it can. */
    static Optional<String> netnsUnavailable() {
        if (binary().isEmpty()) return Optional.of("no terraform binary on PATH");
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("not root, so no network namespace can be made to run terraform without network");
        }
        try {
            if (exec(List.of("ip", "netns", "list"), null, Map.of(), Duration.ofSeconds(20)).rc() != 0) {
                return Optional.of("'ip netns' does not work here");
            }
        } catch (IOException e) {
            return Optional.of("no 'ip' command (iproute2) to make a network namespace");
        }
        return Optional.empty();
    }

    /**
     * A namespace with only loopback, and a CLI configuration that installs providers from the mirror only
     * (or, with {@code withMirror} false, from nowhere: for configurations without providers).
     */
    static TerraformCli open(Path workDir, boolean withMirror) throws IOException {
        String name = "basilica-tf-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        Path rc = workDir.resolve("terraform.rc");
        String mirrorBlock = !withMirror ? "" : "  filesystem_mirror {\n"
                + "    path    = " + Hcl.quote(awsMirror().orElseThrow().toString()) + "\n"
                + "    include = [\"registry.terraform.io/*/*\"]\n"
                + "  }\n";
        Files.writeString(rc, "provider_installation {\n"
                + mirrorBlock
                + "  direct {\n"
                + "    exclude = [\"registry.terraform.io/*/*\"]\n"
                + "  }\n"
                + "}\n", StandardCharsets.UTF_8);
        exec(List.of("ip", "netns", "add", name), null, Map.of(), Duration.ofSeconds(30)).assertOk("ip netns add " + name);
        TerraformCli cli = new TerraformCli(binary().orElseThrow(), rc, name);
        try {
            exec(List.of("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"), null, Map.of(), Duration.ofSeconds(30))
                    .assertOk("bring up loopback in " + name);
            Result links = exec(List.of("ip", "netns", "exec", name, "ip", "-o", "link"), null, Map.of(), Duration.ofSeconds(30));
            if (links.stdout().strip().lines().count() != 1 || !links.stdout().contains("lo:")) {
                throw new AssertionError("namespace " + name + " has more than loopback:\n" + links.stdout());
            }
        } catch (IOException | RuntimeException | Error e) {
            cli.close();
            throw e;
        }
        return cli;
    }

    String namespace() {
        return netns;
    }

    /** {@code terraform ARGS} in {@code dir}, inside the namespace. */
    Result run(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns, binary.toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, dir, env(cliConfig), TIMEOUT);
    }

    /** {@code terraform fmt -check -diff -recursive DIR}: needs no provider and no namespace. */
    static Result fmtCheck(Path dir) throws IOException {
        Path rc = Files.createTempFile("basilica-fmt", ".rc");
        try {
            Files.writeString(rc, "# no providers needed for fmt\n");
            return exec(List.of(binary().orElseThrow().toString(), "fmt", "-check", "-diff", "-recursive", "-no-color", dir.toString()),
                    dir, env(rc), TIMEOUT);
        } finally {
            Files.deleteIfExists(rc);
        }
    }

    private static Map<String, String> env(Path cliConfig) {
        return Map.of("TF_CLI_CONFIG_FILE", cliConfig.toString(), "CHECKPOINT_DISABLE", "1", "TF_IN_AUTOMATION", "1",
                "TF_INPUT", "0", "AWS_EC2_METADATA_DISABLED", "true");
    }

    private static Result exec(List<String> cmd, Path dir, Map<String, String> env, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (dir != null) pb.directory(dir.toFile());
        // Nothing of the caller's cloud or Terraform settings may reach the tool.
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("TF_") || k.startsWith("GOOGLE_")
                || k.startsWith("HCLOUD_") || k.startsWith("SCW_") || k.startsWith("DIGITALOCEAN_") || k.equals("CHECKPOINT_DISABLE"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("basilica-tf", ".out");
        Path err = Files.createTempFile("basilica-tf", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long start = System.nanoTime();
        try {
            Process p = pb.start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done = false;
            }
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " ran past " + timeout.toSeconds() + " s");
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err), millis);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private synchronized void deleteNamespace() {
        if (closed) return;
        closed = true;
        try {
            exec(List.of("ip", "netns", "delete", netns), null, Map.of(), Duration.ofSeconds(30));
        } catch (IOException e) {
            System.err.println("could not delete network namespace " + netns + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        deleteNamespace();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs anyway
        }
    }
}
