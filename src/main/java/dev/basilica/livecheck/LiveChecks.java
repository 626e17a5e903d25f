package dev.basilica.livecheck;

import dev.basilica.output.Manifest;
import dev.basilica.output.OutputRefusedException;
import dev.basilica.plan.Fleet;
import dev.basilica.report.Check;
import dev.basilica.report.Report;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.Status;
import dev.basilica.report.ansible.AnsibleResultParser;
import dev.basilica.report.ansible.AnsibleRun;
import dev.basilica.run.Tool;
import dev.basilica.run.ToolMissingException;
import dev.basilica.run.ToolRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Live validation of a fleet, the use case behind {@code basilica validate} and the last phase of
 * {@code provision all}: probes from the control machine (in Java) and facts from the hosts (the
 * generated {@code collect.yml} through ansible-playbook), evaluated against the model into one
 * {@link Report}.
 *
 * <pre>
 * Report r = LiveChecks.run(fleet, Path.of("out/staging"), Path.of("state/staging"), System.getenv(), LiveCheckOptions.defaults());
 * </pre>
 */
public final class LiveChecks {

    /** The whole playbook run; it waits for at most a few timeouts per host, in parallel over the hosts. */
    static final Duration ANSIBLE_TIMEOUT = Duration.ofMinutes(30);

    private LiveChecks() {}

    /**
     * @param out         the environment's generated tree ({@code out/ENV}), with {@code ansible/collect.yml}
     * @param state       the environment's state ({@code state/ENV}), with {@code known_hosts}
     * @param environment the process environment: tools' PATH and the secret values to look for in {@code out/}
     * @throws ToolMissingException      when facts are wanted from the hosts and ansible-playbook is missing
     * @throws ReportInputException      when the generated tree lacks the playbook (run {@code basilica generate})
     */
    public static Report run(Fleet fleet, Path out, Path state, Map<String, String> environment, LiveCheckOptions options)
            throws ToolMissingException, ReportInputException, IOException {
        ToolRunner runner = new ToolRunner(environment);
        Optional<Tool> ansible = Optional.empty();
        Path collect = out.resolve("ansible/collect.yml");
        if (options.onHosts()) {
            ansible = Optional.of(runner.require(Tool.ANSIBLE_PLAYBOOK));
            if (!Files.isRegularFile(collect)) {
                throw new ReportInputException("out/" + fleet.name() + "/ansible/collect.yml",
                        "missing; generate the tree first: basilica generate --env " + fleet.name());
            }
        }
        List<Check> checks = new ArrayList<>();
        ControllerProbes controller = new ControllerProbes(fleet, state.resolve("known_hosts"), options, runner,
                runner.find(new Tool.Kind("ssh-keyscan", List.of("-V"), Map.of(), "install the OpenSSH client")));
        List<ProbeEngine.Probe> probes = new ArrayList<>(controller.probes());
        options.progress().accept("probing " + fleet.hosts().size() + " hosts from the control machine (" + probes.size() + " probes, "
                + options.parallelism() + " at once)");
        ProbeEngine engine = new ProbeEngine(options.parallelism(), options.failFast());
        checks.addAll(engine.run(probes));
        boolean stopped = options.failFast() && checks.stream().anyMatch(c -> c.status() == Status.FAIL);

        if (ansible.isPresent() && !stopped) {
            options.progress().accept("collecting facts on the hosts: ansible-playbook collect.yml");
            checks.addAll(onHosts(fleet, manifest(out), runner, ansible.get(), out.resolve("ansible"), controller.httpCovered(), options));
        }
        checks.add(SecretScan.scan(fleet, out, environment));
        List<Check> wanted = checks.stream().filter(c -> options.wants(c.category()) || c.id().equals("validate.fail-fast")).toList();
        return Report.of(fleet.name(), List.of("validate: " + String.join(",", options.categories().stream()
                .map(c -> c.id()).sorted().toList())), wanted);
    }

    /** {@code out/NAME/MANIFEST.json}'s files and their sha256; null when there is none or it is not basilica's. */
    static Map<String, String> manifest(Path out) throws IOException {
        try {
            return Manifest.digests(out).orElse(null);
        } catch (OutputRefusedException e) {
            return null;
        }
    }

    private static List<Check> onHosts(Fleet fleet, Map<String, String> manifest, ToolRunner runner, Tool ansible, Path dir,
                                       Set<String> covered, LiveCheckOptions options) throws IOException {
        ToolRunner.Invocation inv = ToolRunner.Invocation.of(ansible, dir, ANSIBLE_TIMEOUT, "collect.yml")
                .withProgress(line -> { }, line -> {
                    if (options.verbose()) options.progress().accept("ansible: " + line);
                });
        ToolRunner.Result r = runner.run(inv);
        return evaluate(fleet, manifest, r.stdout(), r.stderr(), covered, options.slowResponse());
    }

    /**
     * The checks from one run of {@code collect.yml}: its JSON callback output (and its stderr, for a run
     * that produced none).
     */
    public static List<Check> evaluate(Fleet fleet, String stdout, String stderr, Set<String> covered, Duration slow) {
        return evaluate(fleet, null, stdout, stderr, covered, slow);
    }

    /**
     * As above, also comparing the hosts' copies of the generated files and their records of the applied
     * configuration with {@code manifest} ({@code MANIFEST.json}'s files; null: those checks are skipped).
     */
    public static List<Check> evaluate(Fleet fleet, Map<String, String> manifest, String stdout, String stderr, Set<String> covered,
                                       Duration slow) {
        return evaluate(fleet, manifest, stdout, stderr, covered, slow, java.time.Instant.now());
    }

    /** As above, judging pull mode's last runs at {@code now}. */
    static List<Check> evaluate(Fleet fleet, Map<String, String> manifest, String stdout, String stderr, Set<String> covered,
                                Duration slow, java.time.Instant now) {
        PullChecks pullChecks = new PullChecks(fleet, now);
        HostChecks hostChecks = new HostChecks(fleet, covered, slow);
        DriftChecks drift = new DriftChecks(fleet, manifest);
        DockerChecks docker = new DockerChecks(fleet);
        List<Check> out = new ArrayList<>();
        Map<String, HostFacts> facts;
        AnsibleRun run;
        try {
            facts = HostFacts.parse(stdout, "ansible-playbook collect.yml");
            run = AnsibleResultParser.parse(stdout, "ansible-playbook collect.yml", false);
        } catch (ReportInputException e) {
            String why = e.getMessage() + (stderr.isBlank() ? "" : "; stderr: " + stderr.strip().lines().reduce((a, b) -> b).orElse(""));
            for (Fleet.HostPlan h : fleet.hosts()) out.addAll(hostChecks.notCollected(h.name(), why));
            return out;
        }
        for (Fleet.HostPlan h : fleet.hosts()) {
            HostFacts f = facts.get(h.name());
            if (f != null) {
                out.addAll(hostChecks.evaluate(h, f));
                out.addAll(drift.evaluate(h, f));
                out.addAll(docker.evaluate(h, f));
                out.addAll(pullChecks.evaluate(h.name(), f));
                continue;
            }
            String why = run.results(h.name()).stream().filter(t -> t.outcome() == AnsibleRun.Outcome.UNREACHABLE)
                    .map(t -> "unreachable: " + t.message()).findFirst().orElse("no results for this host (not in the inventory?)");
            out.addAll(hostChecks.notCollected(h.name(), why));
        }
        return out;
    }
}
