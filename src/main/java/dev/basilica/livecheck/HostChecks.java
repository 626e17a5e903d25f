package dev.basilica.livecheck;

import dev.basilica.plan.Fleet;
import dev.basilica.plan.HostFeature;
import dev.basilica.plan.HostLayout;
import dev.basilica.plan.Machine;
import dev.basilica.plan.ServiceKind;
import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.Status;
import dev.basilica.report.gpu.GpuChecks;
import dev.basilica.report.gpu.NvidiaSmiParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns one host's collected facts into checks, comparing them with what the model says. */
public final class HostChecks {

    static final long DISK_FAIL_BYTES = 2L << 30;
    static final long DISK_WARN_BYTES = 10L << 30;
    static final long MEMORY_FAIL_BYTES = 256L << 20;
    static final long MEMORY_WARN_BYTES = 1L << 30;
    private static final Pattern MEMINFO = Pattern.compile("(?m)^(\\w+):\\s+(\\d+) kB");

    private final Fleet fleet;
    private final String env;
    private final Set<String> httpCovered;
    private final Duration slow;

    /** @param httpCovered health and metrics checks the control machine already made */
    public HostChecks(Fleet fleet, Set<String> httpCovered, Duration slow) {
        this.fleet = fleet;
        this.env = fleet.name();
        this.httpCovered = httpCovered;
        this.slow = slow;
    }

    /** The checks of a host Ansible could not collect from: one failure naming why. */
    public List<Check> notCollected(String host, String why) {
        return List.of(Check.of("network." + host + ".ansible", host, Category.NETWORK, Status.FAIL,
                "Ansible could not collect facts from " + host, List.of(why), Remedies.network(env)));
    }

    public List<Check> evaluate(Fleet.HostPlan plan, HostFacts f) {
        String host = plan.name();
        List<Check> out = new ArrayList<>();
        out.add(Check.of("network." + host + ".ansible", host, Category.NETWORK, Status.PASS, "Ansible reaches " + host, List.of(), null));
        for (ServiceKind s : plan.services()) {
            out.add(unit(host, s, f.unit(s.id())));
            out.add(config(host, s, f.file(HostLayout.config(s))));
            out.add(secretsFile(host, s, f.file(HostLayout.serviceEnvFile(s))));
            out.add(user(host, s, f.unit(s.id()), f.processUsers()));
        }
        if (plan.has(HostFeature.GRAFANA) && fleet.settings().secretReferences().containsKey("monitoring.grafana_admin_password")) {
            out.add(fileCheck("security." + host + ".grafana.admin-password-file", host, Category.SECURITY,
                    f.file(HostLayout.GRAFANA_ADMIN_ENV_FILE), HostLayout.GRAFANA_ADMIN_ENV_FILE, "root", "root", "0600",
                    "write it again with its owner and mode: basilica provision configure --apply --env " + env + " --limit " + host));
        }
        out.addAll(http(host, plan, f));
        out.add(passwordAuth(host, f.sshd()));
        out.add(firewall(host, f.ufw()));
        out.add(disk(host, f.disk()));
        out.add(memory(host, f.meminfo()));
        out.addAll(paths(host, f));
        out.addAll(gpus(plan, f.gpus()));
        return out;
    }

    private Check unit(String host, ServiceKind s, HostFacts.Unit u) {
        String id = "services." + host + "." + s.id() + ".unit";
        String what = s.unitName();
        if (u == null) return Check.of(id, host, Category.SERVICES, Status.FAIL, what + ": state not collected", List.of(), Remedies.network(env));
        List<String> evidence = List.of(u.error() != null ? u.error()
                : "LoadState=" + u.loadState() + " ActiveState=" + u.activeState() + " SubState=" + u.subState() + " MainPID=" + u.mainPid());
        if (u.error() != null) return Check.of(id, host, Category.SERVICES, Status.FAIL, what + ": systemd did not answer", evidence,
                "look at the host: systemctl status " + what);
        if ("not-found".equals(u.loadState())) {
            return Check.of(id, host, Category.SERVICES, Status.FAIL, what + " is not installed", evidence, Remedies.deploy(env, s));
        }
        if ("active".equals(u.activeState())) {
            return Check.of(id, host, Category.SERVICES, Status.PASS, what + " is active (" + u.subState() + ")", evidence, null);
        }
        return Check.of(id, host, Category.SERVICES, Status.FAIL, what + " is " + u.activeState() + " (" + u.subState() + ")", evidence,
                Remedies.start(env, s));
    }

    private String runUser(ServiceKind s) {
        return fleet.service(s).user();
    }

    private Check config(String host, ServiceKind s, HostFacts.FileStat f) {
        String id = "services." + host + "." + s.id() + ".config";
        return fileCheck(id, host, Category.SERVICES, f, HostLayout.config(s), "root", fleet.service(s).group(), "0640", Remedies.deploy(env, s));
    }

    private Check secretsFile(String host, ServiceKind s, HostFacts.FileStat f) {
        String id = "security." + host + "." + s.id() + ".secrets-file";
        return fileCheck(id, host, Category.SECURITY, f, HostLayout.serviceEnvFile(s), "root", "root", "0600", Remedies.deploy(env, s));
    }

    private static Check fileCheck(String id, String host, Category cat, HostFacts.FileStat f, String path, String owner, String group,
                                   String mode, String fix) {
        String want = owner + ":" + group + " " + mode;
        if (f == null) return Check.of(id, host, cat, Status.FAIL, path + ": not collected", List.of(), fix);
        if (!f.exists()) return Check.of(id, host, cat, Status.FAIL, path + " is missing", List.of("expected " + want), fix);
        String have = f.owner() + ":" + f.group() + " " + f.mode();
        List<String> evidence = List.of(path + " is " + have + "; the model wants " + want);
        if (have.equals(want)) return Check.of(id, host, cat, Status.PASS, path + " is " + want, evidence, null);
        return Check.of(id, host, cat, Status.FAIL, path + " is " + have + ", not " + want, evidence, fix);
    }

    private Check user(String host, ServiceKind s, HostFacts.Unit u, Map<Integer, String> processUsers) {
        String id = "security." + host + "." + s.id() + ".user";
        String want = runUser(s);
        if (u == null || u.error() != null) return Check.of(id, host, Category.SECURITY, Status.SKIP, "unit not readable", List.of(), null);
        String configured = u.user().isEmpty() ? "root" : u.user();
        String running = u.mainPid() > 0 ? processUsers.get(u.mainPid()) : null;
        List<String> evidence = new ArrayList<>();
        evidence.add("unit User=" + (u.user().isEmpty() ? "(none: root)" : u.user()));
        if (running != null) evidence.add("process " + u.mainPid() + " runs as " + running);
        boolean asModel = configured.equals(want) && (running == null || running.equals(want));
        if (asModel && "root".equals(want)) {
            return Check.of(id, host, Category.SECURITY, Status.PASS, s.id() + " runs as root, as the model allows (services."
                    + s.id() + ".user)", evidence, null);
        }
        if (asModel) return Check.of(id, host, Category.SECURITY, Status.PASS, s.id() + " runs as " + want + ", not root", evidence, null);
        boolean root = "root".equals(configured) || "root".equals(running);
        return Check.of(id, host, Category.SECURITY, Status.FAIL, s.id() + (root ? " runs as root" : " runs as " + configured)
                + "; the model says " + want, evidence, Remedies.deploy(env, s));
    }

    private List<Check> http(String host, Fleet.HostPlan plan, HostFacts f) {
        List<Check> out = new ArrayList<>();
        for (HostFacts.Http h : f.http()) {
            ServiceKind s;
            try {
                s = ServiceKind.parse(h.service());
            } catch (IllegalArgumentException e) {
                continue;
            }
            String error = h.status() > 0 ? null : h.message().isEmpty() ? "no answer" : h.message();
            HttpProbe.Response r = new HttpProbe.Response(h.status(), h.content(), h.elapsedSeconds() * 1000L, error);
            String url = "http://127.0.0.1:" + h.port() + h.path();
            if (h.path().equals("/health") && !httpCovered.contains(HttpChecks.healthId(host))) {
                out.addAll(HttpChecks.health(env, host, url, r, "on the host", slow));
            } else if (h.path().equals("/metrics") && !httpCovered.contains(HttpChecks.metricsId(host, s))) {
                out.addAll(HttpChecks.metrics(env, host, s, url, r, "on the host", slow));
            }
        }
        return out;
    }

    private Check passwordAuth(String host, HostFacts.Command sshd) {
        String id = "security." + host + ".ssh.password-auth";
        if (sshd == null || sshd.skipped()) return Check.of(id, host, Category.SECURITY, Status.SKIP, "sshd settings not collected", List.of(), null);
        Matcher m = Pattern.compile("(?m)^passwordauthentication (\\w+)").matcher(sshd.stdout());
        if (!m.find()) {
            return Check.of(id, host, Category.SECURITY, Status.FAIL, "could not read the SSH server's settings (sshd -T)",
                    List.of(firstLines(sshd.failure(), 3)), Remedies.servers(env));
        }
        List<String> evidence = List.of("sshd -T: passwordauthentication " + m.group(1));
        if (m.group(1).equals("no")) return Check.of(id, host, Category.SECURITY, Status.PASS, "password SSH logins are off", evidence, null);
        return Check.of(id, host, Category.SECURITY, Status.FAIL, "password SSH logins are on", evidence, Remedies.servers(env));
    }

    private Check firewall(String host, HostFacts.Command ufw) {
        String id = "security." + host + ".firewall";
        if (!fleet.firewall().enabled()) {
            return Check.of(id, host, Category.SECURITY, Status.SKIP, "the model has no host firewall (firewall.enabled: false)", List.of(), null);
        }
        if (ufw == null || ufw.skipped()) return Check.of(id, host, Category.SECURITY, Status.SKIP, "ufw state not collected", List.of(), null);
        String first = firstLines(ufw.output(), 1);
        if (ufw.stdout().contains("Status: active")) {
            return Check.of(id, host, Category.SECURITY, Status.PASS, "ufw is active", List.of(firstLines(ufw.stdout(), 4)), null);
        }
        return Check.of(id, host, Category.SECURITY, Status.FAIL, "the firewall is not active", List.of("ufw status: " + first),
                Remedies.firewall(env, host));
    }

    private Check disk(String host, HostFacts.Command df) {
        String id = "workflow." + host + ".disk";
        if (df == null || df.skipped() || df.stdout().isBlank()) {
            return Check.of(id, host, Category.WORKFLOW, Status.FAIL, "disk space not readable", List.of(df == null ? "" : df.output()),
                    "look at the host: df -h");
        }
        long worstFree = Long.MAX_VALUE;
        double worstPct = 100;
        List<String> evidence = new ArrayList<>();
        for (String line : df.stdout().split("\n")) {
            String[] c = line.strip().split("\\s+");
            if (c.length < 6 || !c[1].matches("\\d+")) continue;
            long total = Long.parseLong(c[1]) * 1024;
            long free = Long.parseLong(c[3]) * 1024;
            double pct = total == 0 ? 100 : 100.0 * free / total;
            evidence.add(c[5] + ": " + gib(free) + " free of " + gib(total));
            worstFree = Math.min(worstFree, free);
            worstPct = Math.min(worstPct, pct);
        }
        if (evidence.isEmpty()) return Check.of(id, host, Category.WORKFLOW, Status.FAIL, "disk space not readable", List.of(df.output()), null);
        String fix = "free space on " + host + " (old images: docker system prune; logs: journalctl --vacuum-size=1G) or grow the disk";
        if (worstFree < DISK_FAIL_BYTES) return Check.of(id, host, Category.WORKFLOW, Status.FAIL, "disk nearly full (" + gib(worstFree) + " free)", evidence, fix);
        if (worstFree < DISK_WARN_BYTES || worstPct < 10) {
            return Check.of(id, host, Category.WORKFLOW, Status.WARN, "little disk headroom (" + gib(worstFree) + " free)", evidence, fix);
        }
        return Check.of(id, host, Category.WORKFLOW, Status.PASS, "disk headroom " + gib(worstFree) + " free", evidence, null);
    }

    private Check memory(String host, String meminfo) {
        String id = "workflow." + host + ".memory";
        Map<String, Long> kb = new HashMap<>();
        if (meminfo != null) {
            Matcher m = MEMINFO.matcher(meminfo);
            while (m.find()) kb.put(m.group(1), Long.parseLong(m.group(2)));
        }
        if (!kb.containsKey("MemAvailable") || !kb.containsKey("MemTotal")) {
            return Check.of(id, host, Category.WORKFLOW, Status.FAIL, "memory not readable (/proc/meminfo)", List.of(), "look at the host: free -h");
        }
        long avail = kb.get("MemAvailable") * 1024;
        long total = kb.get("MemTotal") * 1024;
        List<String> evidence = List.of("MemAvailable " + gib(avail) + " of MemTotal " + gib(total));
        String fix = "find what uses the memory on " + host + " (ps aux --sort=-rss | head), or lower services.*.memory_max in the model";
        if (avail < MEMORY_FAIL_BYTES) return Check.of(id, host, Category.WORKFLOW, Status.FAIL, "memory nearly exhausted", evidence, fix);
        if (avail < MEMORY_WARN_BYTES || avail * 10 < total) {
            return Check.of(id, host, Category.WORKFLOW, Status.WARN, "little memory headroom (" + gib(avail) + " available)", evidence, fix);
        }
        return Check.of(id, host, Category.WORKFLOW, Status.PASS, "memory headroom " + gib(avail) + " available", evidence, null);
    }

    private List<Check> paths(String host, HostFacts f) {
        List<Check> out = new ArrayList<>();
        for (HostFacts.PathResult p : f.paths()) {
            int colon = p.endpoint().lastIndexOf(':');
            String address = colon > 0 ? p.endpoint().substring(0, colon) : p.endpoint();
            String port = colon > 0 ? p.endpoint().substring(colon + 1) : "";
            String target = fleet.hosts().stream().filter(h -> h.host().address().equals(address)).map(Fleet.HostPlan::name)
                    .findFirst().orElse(address);
            ServiceKind svc = port.equals(Integer.toString(fleet.service(ServiceKind.EXECUTOR).mainPort())) ? ServiceKind.EXECUTOR
                    : port.equals(Integer.toString(fleet.service(ServiceKind.MINER).mainPort())) ? ServiceKind.MINER : null;
            String id = "network." + host + ".path." + target + "." + port;
            String what = host + " → " + target + " tcp/" + port + (svc != null ? " (" + svc.id() + " gRPC)" : "");
            List<String> evidence = List.of("wait_for " + p.endpoint() + " on " + host + ": "
                    + (p.reachable() ? "connected" : p.message()));
            if (p.reachable()) {
                out.add(Check.of(id, host, Category.NETWORK, Status.PASS, what + " open", evidence, null));
            } else {
                String fix = (svc != null ? "if the " + svc.id() + " on " + target + " is down: basilica manage start " + svc.id() + " --env "
                        + env + "; otherwise " : "") + Remedies.firewall(env, target);
                out.add(Check.of(id, host, Category.NETWORK, Status.FAIL, what + " not reachable", evidence, fix));
            }
        }
        return out;
    }

    private List<Check> gpus(Fleet.HostPlan plan, HostFacts.Command smi) {
        Machine h = plan.host();
        if (h.gpuCount() == 0) return List.of();
        String host = h.name();
        if (smi == null || smi.skipped()) {
            return List.of(Check.of("gpu." + host + ".nvidia-smi", host, Category.WORKFLOW, Status.SKIP, "nvidia-smi not run", List.of(), null));
        }
        List<GpuChecks.Expected> expected = h.gpus().stream().map(g -> new GpuChecks.Expected(g.model(), g.count(), g.driverBranch(), g.migDevices())).toList();
        String text = smi.rc() == 0 ? smi.stdout() : smi.output();
        try {
            return GpuChecks.of(host, NvidiaSmiParser.parse(text, "nvidia-smi -q -x on " + host), expected).stream()
                    .map(c -> Check.of(c.id(), c.host(), Category.WORKFLOW, c.status(), c.title(), c.evidence(), c.remediation())).toList();
        } catch (ReportInputException e) {
            return List.of(Check.of("gpu." + host + ".nvidia-smi", host, Category.WORKFLOW, Status.FAIL, "nvidia-smi output not readable",
                    List.of(e.getMessage()), "run nvidia-smi on " + host + "; reinstall the driver: basilica provision servers --env " + env));
        }
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    private static String firstLines(String s, int n) {
        return String.join(" | ", s.strip().lines().limit(n).toList());
    }
}
