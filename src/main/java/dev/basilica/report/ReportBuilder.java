package dev.basilica.report;

import dev.basilica.model.Environment;
import dev.basilica.model.InputFile;
import dev.basilica.model.Suggestions;
import dev.basilica.report.ansible.AnsibleChecks;
import dev.basilica.report.ansible.AnsibleResultParser;
import dev.basilica.report.gpu.GpuChecks;
import dev.basilica.report.gpu.NvidiaSmiParser;
import dev.basilica.report.terraform.TerraformChecks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a report from tool outputs: reads each file, parses it, turns it into checks, and collects every
 * input error instead of stopping at the first, so one run names all bad inputs.
 */
public final class ReportBuilder {

    private final String environment;
    /** Host → expected GPUs; null when there is no model to compare with. */
    private final Map<String, List<GpuChecks.Expected>> expectedGpus;
    private final List<String> sources = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<ReportInputException> errors = new ArrayList<>();
    private final Set<String> gpuHosts = new LinkedHashSet<>();

    private ReportBuilder(String environment, Map<String, List<GpuChecks.Expected>> expectedGpus) {
        this.environment = environment;
        this.expectedGpus = expectedGpus;
    }

    /** A report about no particular model: GPU findings are not compared with anything. */
    public static ReportBuilder withoutModel() {
        return new ReportBuilder(null, null);
    }

    /** A report about {@code env}: GPU findings are compared with its hosts' {@code gpus}. */
    public static ReportBuilder forModel(Environment env) {
        Map<String, List<GpuChecks.Expected>> expected = new LinkedHashMap<>();
        for (Environment.Host h : env.hosts()) {
            expected.put(h.name(), h.gpus().stream()
                    .map(g -> new GpuChecks.Expected(g.model(), g.count(), g.driverBranch(), g.migDevices())).toList());
        }
        return new ReportBuilder(env.name(), expected);
    }

    /** {@code terraform show -json PLANFILE} or {@code terraform plan -json} output, told apart by content. */
    public ReportBuilder terraform(Path file, String display) {
        sources.add("terraform: " + display);
        try {
            checks.addAll(TerraformChecks.read(readText(file, display, true), display));
        } catch (ReportInputException e) {
            errors.add(e);
        }
        return this;
    }

    /** Ansible's JSON callback output; {@code checkMode} null to recognise check mode from the results. */
    public ReportBuilder ansible(Path file, String display, Boolean checkMode) {
        sources.add("ansible: " + display);
        try {
            checks.addAll(AnsibleChecks.of(AnsibleResultParser.parse(readText(file, display, false), display, checkMode)));
        } catch (ReportInputException e) {
            errors.add(e);
        }
        return this;
    }

    /** One host's nvidia-smi output (XML, CSV or an error text). */
    public ReportBuilder gpu(String host, Path file, String display) {
        sources.add("gpu " + host + ": " + display);
        if (expectedGpus != null && !expectedGpus.containsKey(host)) {
            errors.add(new ReportInputException("--gpu " + host + "=" + display, "no host '" + host + "' in environment '"
                    + environment + "'" + Suggestions.didYouMean(host, expectedGpus.keySet()) + " (hosts: "
                    + String.join(", ", expectedGpus.keySet()) + ")"));
            return this;
        }
        if (!gpuHosts.add(host)) {
            errors.add(new ReportInputException("--gpu " + host + "=" + display, "host '" + host + "' is given more than once"));
            return this;
        }
        try {
            var result = NvidiaSmiParser.parse(read(file, display, false), display);
            checks.addAll(GpuChecks.of(host, result, expectedGpus == null ? null : expectedGpus.get(host)));
        } catch (ReportInputException e) {
            errors.add(e);
        }
        return this;
    }

    /** Checks from another source (live probes), added as they are. */
    public ReportBuilder add(List<Check> more) {
        checks.addAll(more);
        return this;
    }

    public List<ReportInputException> errors() {
        return List.copyOf(errors);
    }

    public Report build() {
        List<Check> all = new ArrayList<>(checks);
        if (expectedGpus != null && !gpuHosts.isEmpty()) {
            expectedGpus.forEach((host, gpus) -> {
                if (!gpus.isEmpty() && !gpuHosts.contains(host)) all.add(GpuChecks.notGiven(host));
            });
        }
        return Report.of(environment, sources, all);
    }

    /** A file's text, decoded by {@link ToolText}: UTF-8 or UTF-16, BOM and CRLF undone. */
    static String read(Path file, String display, boolean zipIsTerraformPlan) throws ReportInputException {
        return readText(file, display, zipIsTerraformPlan).text();
    }

    /**
     * A file's text with what decoding it took. A zip (Terraform's binary plan file) is passed on as its
     * signature for the Terraform reader to name.
     */
    static ToolText readText(Path file, String display, boolean zipIsTerraformPlan) throws ReportInputException {
        byte[] bytes;
        try {
            bytes = InputFile.read(file);
        } catch (InputFile.Refused e) {
            String problem = e.getMessage();
            if (problem.startsWith("a directory") || problem.startsWith("not a regular file")) {
                problem += "; give the file a tool wrote";
            }
            throw new ReportInputException(display, problem);
        }
        return ToolText.decode(bytes, display, zipIsTerraformPlan);
    }
}
