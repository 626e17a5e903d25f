package dev.basilica.livecheck;

import dev.basilica.plan.DeployedFiles;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.HostLayout;
import dev.basilica.plan.ServiceKind;
import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Whether a host runs what {@code out/NAME/} says: each copied file's sha256 against {@code MANIFEST.json}, the
 * variable names of each service's secrets file against the plan's secrets (names only: the values are never
 * collected), and the host's record of the applied configuration against the host's part of the manifest.
 */
final class DriftChecks {

    /** How many characters of a sha256 a message shows. */
    static final int PREFIX = 12;

    private final Fleet fleet;
    private final String env;
    private final Map<String, String> manifest;

    /** @param manifest {@code out/NAME/MANIFEST.json}'s files and their sha256; null when the tree has none */
    DriftChecks(Fleet fleet, Map<String, String> manifest) {
        this.fleet = fleet;
        this.env = fleet.name();
        this.manifest = manifest;
    }

    List<Check> evaluate(Fleet.HostPlan plan, HostFacts f) {
        List<Check> out = new ArrayList<>();
        for (DeployedFiles.File file : DeployedFiles.of(plan)) out.add(copy(plan.name(), file, f));
        for (ServiceKind s : plan.services()) out.add(secretNames(plan.name(), s, f));
        out.add(applied(plan, f));
        return out;
    }

    /** {@code services.HOST.SVC.config-sha256}, {@code services.HOST.SVC.unit-sha256}, {@code services.HOST.monitoring.FILE}. */
    static String copyId(String host, DeployedFiles.File file) {
        if (file.service() == null) return "services." + host + ".monitoring." + file.source().substring(file.source().indexOf('/') + 1);
        String what = file.target().equals(HostLayout.config(file.service())) ? "config" : "unit";
        return "services." + host + "." + file.service().id() + "." + what + "-sha256";
    }

    /** The command that puts the generated files on one host again and restarts what changed. */
    String reinstall(String host) {
        return "basilica provision configure --apply --env " + env + " --limit " + host
                + " (re-installs the configs, units and monitoring files from out/" + env + "/ and restarts what changed)";
    }

    private Check copy(String host, DeployedFiles.File file, HostFacts f) {
        String id = copyId(host, file);
        String generated = "out/" + env + "/" + file.source();
        if (manifest == null) {
            return Check.of(id, host, Category.SERVICES, Status.SKIP, file.target() + ": no MANIFEST.json to compare with", List.of(),
                    null);
        }
        String want = manifest.get(file.source());
        if (want == null) {
            return Check.of(id, host, Category.SERVICES, Status.WARN, file.target() + ": " + generated + " is not in MANIFEST.json",
                    List.of("the generated tree lacks the file this host should have"), "basilica generate --env " + env);
        }
        if (f.copies() == null) {
            return Check.of(id, host, Category.SERVICES, Status.SKIP, file.target() + ": checksum not collected",
                    List.of("out/" + env + "/ansible/collect.yml predates this check"), null);
        }
        HostFacts.Copy c = f.copy(file.target());
        String fix = reinstall(host);
        if (c == null || (c.sha256() == null && c.exists())) {
            String why = c != null && c.error() != null ? c.error() : f.taskErrors().getOrDefault(HostFacts.COPIES, "no result for this file");
            return Check.of(id, host, Category.SERVICES, Status.FAIL, file.target() + " on " + host + ": checksum not collected",
                    List.of(why.isBlank() ? "no result for this file" : why), fix);
        }
        if (!c.exists()) {
            return Check.of(id, host, Category.SERVICES, Status.FAIL, file.target() + " is missing on " + host,
                    List.of("it should equal " + generated + " (sha256 " + prefix(want) + ")"), fix);
        }
        List<String> evidence = List.of("on " + host + ": " + file.target() + " sha256 " + prefix(c.sha256()),
                generated + " sha256 " + prefix(want));
        if (c.sha256().equalsIgnoreCase(want)) {
            return Check.of(id, host, Category.SERVICES, Status.PASS, file.target() + " equals " + generated, evidence, null);
        }
        return Check.of(id, host, Category.SERVICES, Status.FAIL, file.target() + " on " + host + " differs from " + generated,
                evidence, fix);
    }

    /** The names {@code service.env.j2} writes for the service: one per secret the plan hands it. */
    static TreeSet<String> expectedNames(Fleet fleet, ServiceKind s) {
        TreeSet<String> out = new TreeSet<>();
        fleet.service(s).secrets().forEach((field, ref) -> {
            if (ref != null) out.add(HostLayout.SECRET_VARIABLES.getOrDefault(field, field));
        });
        return out;
    }

    private Check secretNames(String host, ServiceKind s, HostFacts f) {
        String id = "security." + host + "." + s.id() + ".secret-names";
        String file = HostLayout.serviceEnvFile(s);
        TreeSet<String> want = expectedNames(fleet, s);
        String wanted = want.isEmpty() ? "none" : String.join(", ", want);
        HostFacts.EnvNames e = f.envNames(s.id());
        if (f.envNames() == null) {
            return Check.of(id, host, Category.SECURITY, Status.SKIP, file + ": names not collected",
                    List.of("out/" + env + "/ansible/collect.yml predates this check"), null);
        }
        String fix = reinstall(host);
        if (e == null || e.names() == null) {
            String why = e != null ? e.error() : f.taskErrors().getOrDefault(HostFacts.ENV_NAMES, "no result for this service");
            return Check.of(id, host, Category.SECURITY, Status.FAIL, file + " on " + host + " could not be read",
                    List.of(why == null || why.isBlank() ? "no result" : why, "the plan wants: " + wanted), fix);
        }
        TreeSet<String> have = new TreeSet<>(e.names());
        TreeSet<String> missing = new TreeSet<>(want);
        missing.removeAll(have);
        TreeSet<String> extra = new TreeSet<>(have);
        extra.removeAll(want);
        List<String> evidence = new ArrayList<>();
        evidence.add("names in " + file + ": " + (have.isEmpty() ? "none" : String.join(", ", have)));
        evidence.add("the plan wants: " + wanted);
        if (missing.isEmpty() && extra.isEmpty()) {
            return Check.of(id, host, Category.SECURITY, Status.PASS, file + " assigns the plan's secrets (" + wanted + ")", evidence, null);
        }
        List<String> what = new ArrayList<>();
        if (!missing.isEmpty()) what.add("lacks " + String.join(", ", missing));
        if (!extra.isEmpty()) what.add("has unexpected " + String.join(", ", extra));
        return Check.of(id, host, Category.SECURITY, Status.FAIL, file + " on " + host + " " + String.join(" and ", what), evidence,
                fix + "; a secret the model no longer names: remove it from the model's references or rotate it");
    }

    private Check applied(Fleet.HostPlan plan, HostFacts f) {
        String host = plan.name();
        String id = "services." + host + ".configuration";
        String fix = "basilica provision all --env " + env + " --limit " + host;
        HostFacts.Applied a = f.applied();
        if (a == null) {
            return Check.of(id, host, Category.SERVICES, Status.SKIP, "record of the applied configuration not collected",
                    List.of("out/" + env + "/ansible/collect.yml predates this check"), null);
        }
        if (a.error() != null && !a.exists()) {
            return Check.of(id, host, Category.SERVICES, Status.FAIL, HostLayout.APPLIED_RECORD + " on " + host + " could not be read",
                    List.of(a.error()), fix);
        }
        if (!a.exists()) {
            return Check.of(id, host, Category.SERVICES, Status.WARN, "no record of an applied configuration on " + host,
                    List.of(HostLayout.APPLIED_RECORD + " is missing: the host was never configured by this version of basilica, "
                            + "or only by runs limited with --tags or --service, which do not write it"), fix);
        }
        String since = AppliedConfiguration.since(a.mtime());
        if (a.content() == null) {
            return Check.of(id, host, Category.SERVICES, Status.FAIL, HostLayout.APPLIED_RECORD + " on " + host + " could not be read",
                    List.of(a.error() == null ? "no content" : a.error(), "written " + since), fix);
        }
        AppliedConfiguration record;
        try {
            record = AppliedConfiguration.parse(a.content());
        } catch (IllegalArgumentException e) {
            return Check.of(id, host, Category.SERVICES, Status.FAIL, HostLayout.APPLIED_RECORD + " on " + host + " is not a record",
                    List.of(e.getMessage(), "written " + since), fix);
        }
        if (manifest == null) {
            return Check.of(id, host, Category.SERVICES, Status.SKIP, "configuration applied since " + since
                    + "; no MANIFEST.json to compare with", List.of(), null);
        }
        List<String> sources = DeployedFiles.of(plan).stream().map(DeployedFiles.File::source).toList();
        SortedMap<String, String> expected = AppliedConfiguration.part(manifest, sources);
        AppliedConfiguration.Difference d = record.compare(env, expected);
        if (d.none()) {
            return Check.of(id, host, Category.SERVICES, Status.PASS, "configuration applied since " + since,
                    List.of(expected.size() + " generated files, as in out/" + env + "/MANIFEST.json"), null);
        }
        List<String> evidence = new ArrayList<>();
        if (d.otherEnvironment() != null) evidence.add("the record is of environment " + d.otherEnvironment() + ", not " + env);
        evidence.addAll(d.files());
        return Check.of(id, host, Category.SERVICES, Status.FAIL, host + " is running an older configuration since " + since
                + " (" + d.counted("generated file") + " changed since)", evidence, fix);
    }

    static String prefix(String sha256) {
        return sha256.length() > PREFIX ? sha256.substring(0, PREFIX) : sha256;
    }
}
