package dev.basilica.emit.systemd;

import dev.basilica.emit.GeneratedHeader;
import dev.basilica.emit.Templates;
import dev.basilica.output.OutputKind;
import dev.basilica.output.OutputTree;
import dev.basilica.plan.DeployedFiles;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.Fleet.HostPlan;
import dev.basilica.plan.HostLayout;
import dev.basilica.plan.Settings;
import dev.basilica.plan.ServicePlan;
import dev.basilica.plan.ServiceKind;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fleet → {@code systemd/basilica-<service>.service}: one hardened unit per service (shared by every host
 * that runs it, as the fleet-wide service plan it comes from is; the hosts' configs carry what differs), logging
 * to the journal, secrets from a root-only EnvironmentFile, no ExecReload (the services have no
 * SIGHUP handler: a reload would kill them).
 */
public final class SystemdUnitEmitter {

    public static final String TEMPLATE = "systemd/basilica-service.service.j2";
    public static final String PULL_SERVICE_TEMPLATE = "systemd/basilica-pull.service.j2";
    public static final String PULL_TIMER_TEMPLATE = "systemd/basilica-pull.timer.j2";
    /** Pull mode's units, one pair for every host (the host's inventory name comes from its own pull.env). */
    public static final String PULL_SERVICE = "systemd/basilica-pull.service";
    public static final String PULL_TIMER = "systemd/basilica-pull.timer";

    private SystemdUnitEmitter() {}

    public static void emit(Fleet fleet, Templates templates, OutputTree out) {
        String header = GeneratedHeader.line(fleet, "#").strip();
        Set<ServiceKind> run = EnumSet.noneOf(ServiceKind.class);
        for (HostPlan h : fleet.hosts()) run.addAll(h.services());
        for (ServiceKind s : run) {
            out.put(path(s), templates.render(TEMPLATE, context(fleet.service(s), header)), OutputKind.SYSTEMD, s);
        }
        Settings.Pull pull = fleet.settings().pull();
        if (pull != null) {
            Map<String, Object> c = pullContext(fleet.name(), pull, header);
            out.put(PULL_SERVICE, templates.render(PULL_SERVICE_TEMPLATE, c), OutputKind.SYSTEMD, null);
            out.put(PULL_TIMER, templates.render(PULL_TIMER_TEMPLATE, c), OutputKind.SYSTEMD, null);
        }
    }

    /**
     * What the pull units need. The repository URL, the ref and the paths in the checkout are arguments of
     * ExecStart= (escaped by {@link UnitValues#commandLine}); the host's inventory name is not in the unit but in
     * {@link HostLayout#PULL_ENV_FILE}, so every host installs the same two files.
     */
    static Map<String, Object> pullContext(String environment, Settings.Pull pull, String header) {
        String ansible = "out/" + environment + "/ansible/";
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("header", UnitValues.line("header", header));
        c.put("pull_dir", UnitValues.specifiers("WorkingDirectory", HostLayout.PULL_DIR));
        c.put("environment_file", UnitValues.specifiers("EnvironmentFile", HostLayout.PULL_ENV_FILE));
        List<String> argv = new java.util.ArrayList<>(List.of(HostLayout.PULL_COMMAND, pull.repository(), pull.ref(), HostLayout.PULL_CHECKOUT,
                ansible + "inventory/hosts.yml", String.valueOf(pull.keepRuns())));
        for (String p : pull.playbooks()) argv.add(ansible + p);
        c.put("exec_start", UnitValues.commandLine("pull", argv));
        c.put("interval", pull.intervalMinutes() + "min");
        c.put("random_delay", pull.randomDelayMinutes() + "min");
        // A run is never longer than its interval: the next one starts from a finished state.
        c.put("timeout", pull.intervalMinutes() + "min");
        return c;
    }

    public static String path(ServiceKind s) {
        return DeployedFiles.unitSource(s);
    }

    /**
     * What the unit template needs, from the service's plan; equal for every host running the same
     * service. Every string is already checked and escaped (by {@link UnitValues}) for the setting the
     * template puts it in, so a template overriding this one writes each value only where the packaged
     * template does.
     */
    static Map<String, Object> context(ServicePlan s, String header) {
        Map<String, Object> c = new LinkedHashMap<>();
        String id = s.kind().id();
        ServicePlan.Hardening h = s.hardening();
        String userField = s.userSource();
        c.put("header", UnitValues.line("header", header));
        c.put("service", UnitValues.specifiers("service", id));
        c.put("title", UnitValues.specifiers("Description", s.title()));
        c.put("user", UnitValues.specifiers(userField, s.user()));
        c.put("home", UnitValues.word(userField, s.home()));
        c.put("data_dir", UnitValues.specifiers("WorkingDirectory", s.dataDir()));
        c.put("environment_file", UnitValues.specifiers("EnvironmentFile", s.serviceEnvFile()));
        c.put("log_level", UnitValues.word("services." + id + ".log_level", s.logLevel()));
        // MemoryMax= expands no specifiers (80% is a valid value): checked, not escaped.
        c.put("memory_max", UnitValues.line("services." + id + ".memory_max", s.memoryMax()));
        c.put("exec_start", UnitValues.commandLine("ExecStart of " + id, s.execStart()));
        c.put("executor", h.deviceAccess());
        c.put("privileged_ports", h.privilegedPorts());
        c.put("needs", UnitValues.line(userField, h.needs()));
        c.put("protect_home", h.protectHome());
        c.put("docker_required", h.dockerRequired());
        c.put("read_write_paths", h.readWritePaths().stream().map(p -> UnitValues.word(userField, p)).toList());
        c.put("supplementary_groups", h.supplementaryGroups());
        c.put("after", h.after());
        c.put("memory_deny_write_execute", h.memoryDenyWriteExecute());
        return c;
    }
}
