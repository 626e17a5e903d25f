package dev.basilica.livecheck;

import dev.basilica.plan.Fleet;
import dev.basilica.plan.ServiceKind;
import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.run.Tool;
import dev.basilica.run.ToolRunner;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * The probes made from the control machine, in Java: a TCP connect to every port the model opens to it
 * and to a representative set it must not reach, HTTP GETs of the validator's /health and of metrics
 * endpoints the control machine may reach, and the SSH host key compared with the pinned one.
 */
public final class ControllerProbes {

    /** ssh-keyscan processes at once: each is a child process, so fewer than the socket probes. */
    private static final int KEYSCANS_AT_ONCE = 8;
    private static final int METRICS_LIMIT = 256 * 1024;

    private final Fleet fleet;
    private final Path knownHosts;
    private final LiveCheckOptions options;
    private final ToolRunner runner;
    private final Optional<Tool> keyscan;
    private final Semaphore keyscans = new Semaphore(KEYSCANS_AT_ONCE);
    /** The health and metrics checks these probes make, so the on-host facts do not repeat them. */
    private final Set<String> httpCovered = new HashSet<>();

    /**
     * @param knownHosts the managed known_hosts file ({@code out/ENV/known_hosts})
     * @param keyscan    ssh-keyscan, when installed
     */
    public ControllerProbes(Fleet fleet, Path knownHosts, LiveCheckOptions options, ToolRunner runner, Optional<Tool> keyscan) {
        this.fleet = fleet;
        this.knownHosts = knownHosts;
        this.options = options;
        this.runner = runner;
        this.keyscan = keyscan;
    }

    /** Ids of the health and metrics checks these probes make. */
    public Set<String> httpCovered() {
        return Set.copyOf(httpCovered);
    }

    public List<ProbeEngine.Probe> probes() {
        List<ProbeEngine.Probe> out = new ArrayList<>();
        String env = fleet.name();
        for (Fleet.HostPlan h : fleet.hosts()) {
            String name = h.name();
            InetAddress address;
            try {
                address = InetAddress.getByName(h.host().address());
            } catch (UnknownHostException e) {
                Check c = Check.of("network." + name + ".address", name, Category.NETWORK, Status.FAIL,
                        "address " + h.host().address() + " does not resolve", List.of(String.valueOf(e.getMessage())),
                        "fix hosts[].address of " + name + " in the model, or the DNS record");
                out.add(new ProbeEngine.Probe(c.id(), name, Category.NETWORK, () -> List.of(c)));
                continue;
            }
            String controller = options.controllerAddress() != null ? options.controllerAddress() : sourceAddress(address, h.host().ssh().port());
            List<PortExpectations.Port> ports = PortExpectations.of(fleet, h, controller);
            if (options.wants(Category.NETWORK)) {
                for (PortExpectations.Port p : ports) out.add(portProbe(env, name, address, controller, p));
                out.add(hostKeyProbe(env, h, address));
            }
            boolean wantsHttp = options.wants(Category.SERVICES) || options.wants(Category.PERFORMANCE);
            if (!wantsHttp) continue;
            for (PortExpectations.Port p : ports) {
                if (!p.open() || p.service() == null) continue;
                if (p.service() == ServiceKind.VALIDATOR && p.port() == fleet.service(ServiceKind.VALIDATOR).mainPort()) {
                    httpCovered.add(HttpChecks.healthId(name));
                    String url = url(address, p.port(), "/health");
                    out.add(new ProbeEngine.Probe(HttpChecks.healthId(name), name, Category.SERVICES, () -> HttpChecks.health(env, name, url,
                            HttpProbe.get(address, p.port(), "/health", options.connectTimeout(), 64 * 1024), "from the control machine",
                            options.slowResponse())));
                } else if (p.port() == metricsPort(p.service()) && p.listener() != null && p.listener().endsWith("metrics")) {
                    httpCovered.add(HttpChecks.metricsId(name, p.service()));
                    String url = url(address, p.port(), "/metrics");
                    out.add(new ProbeEngine.Probe(HttpChecks.metricsId(name, p.service()), name, Category.SERVICES,
                            () -> HttpChecks.metrics(env, name, p.service(), url,
                                    HttpProbe.get(address, p.port(), "/metrics", options.connectTimeout(), METRICS_LIMIT),
                                    "from the control machine", options.slowResponse())));
                }
            }
        }
        return out;
    }

    private int metricsPort(ServiceKind k) {
        return fleet.service(k).metricsPort();
    }

    static String url(InetAddress a, int port, String path) {
        String h = a.getHostAddress();
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port + path;
    }

    private ProbeEngine.Probe portProbe(String env, String host, InetAddress address, String controller, PortExpectations.Port p) {
        String id = "network." + host + (p.open() ? ".open." : ".closed.") + p.port();
        String what = "tcp/" + p.port() + (p.listener() != null ? " (" + p.listener() + ")" : "");
        return new ProbeEngine.Probe(id, host, Category.NETWORK, () -> {
            TcpProbe.Result r = TcpProbe.connect(address, p.port(), options.connectTimeout());
            List<String> evidence = List.of("connect " + address.getHostAddress() + ":" + p.port() + " from " + controller + ": " + r.describe(),
                    "model: " + p.why());
            Check c;
            if (p.open()) {
                c = switch (r.state()) {
                    case OPEN -> Check.of(id, host, Category.NETWORK, Status.PASS, what + " reachable from the control machine", evidence, null);
                    case REFUSED -> p.service() != null || "SSH".equals(p.listener())
                            ? Check.of(id, host, Category.NETWORK, Status.FAIL, what + ": the path is open but nothing listens", evidence,
                                    p.service() != null ? Remedies.start(env, p.service()) : Remedies.servers(env))
                            : Check.of(id, host, Category.NETWORK, Status.WARN, what + ": open in the firewall but nothing listens", evidence,
                                    p.listener() != null ? "start the " + p.listener() + " on " + host + ": basilica provision servers --env " + env
                                            : "remove the rule from the model if nothing should listen there");
                    case FILTERED, UNREACHABLE -> Check.of(id, host, Category.NETWORK, Status.FAIL,
                            what + " blocked: the model opens it to the control machine", evidence, Remedies.firewall(env, host));
                };
            } else {
                c = r.state() == TcpProbe.State.OPEN
                        ? Check.of(id, host, Category.NETWORK, Status.FAIL, what + " reachable though the model does not open it to "
                                + controller, evidence, Remedies.firewall(env, host) + "; find what listens with 'ss -ltnp' on " + host)
                        : Check.of(id, host, Category.NETWORK, Status.PASS, what + " closed to the control machine ("
                                + r.state().name().toLowerCase(java.util.Locale.ROOT) + ")", evidence, null);
            }
            return List.of(c);
        });
    }

    private ProbeEngine.Probe hostKeyProbe(String env, Fleet.HostPlan h, InetAddress address) {
        String host = h.name();
        String id = "network." + host + ".ssh.host-key";
        int port = h.host().ssh().port();
        return new ProbeEngine.Probe(id, host, Category.NETWORK, () -> {
            if (keyscan.isEmpty()) {
                return List.of(Check.of(id, host, Category.NETWORK, Status.SKIP, "ssh-keyscan is not installed", List.of(),
                        "install the OpenSSH client (Debian: apt-get install openssh-client)"));
            }
            String pinnedText;
            try {
                pinnedText = Files.exists(knownHosts) ? Files.readString(knownHosts) : "";
            } catch (IOException e) {
                pinnedText = "";
            }
            var pinned = KnownHosts.keysFor(pinnedText, h.host().address(), port);
            if (pinned.isEmpty()) {
                return List.of(Check.of(id, host, Category.NETWORK, Status.FAIL, "no pinned SSH host key for " + KnownHosts.lookupName(
                        h.host().address(), port), List.of("state/" + env + "/known_hosts has no line for this host"),
                        "record it on first contact: cd out/" + env + "/ansible && ansible-playbook known-hosts.yml --limit " + host));
            }
            ToolRunner.Result r;
            keyscans.acquireUninterruptibly();
            try {
                long secs = Math.max(1, options.connectTimeout().toSeconds());
                r = runner.run(ToolRunner.Invocation.of(keyscan.get(), null, Duration.ofSeconds(secs + 10), "-T", Long.toString(secs),
                        "-p", Integer.toString(port), address.getHostAddress()));
            } catch (IOException e) {
                return List.of(Check.of(id, host, Category.NETWORK, Status.FAIL, "ssh-keyscan could not run", List.of(String.valueOf(e.getMessage())),
                        "check the OpenSSH client installation"));
            } finally {
                keyscans.release();
            }
            List<KnownHosts.Key> offered = KnownHosts.scanned(r.stdout());
            if (offered.isEmpty()) {
                return List.of(Check.of(id, host, Category.NETWORK, Status.FAIL, "SSH on port " + port + " does not answer",
                        List.of("ssh-keyscan -p " + port + " " + address.getHostAddress() + ": no key (exit " + r.exitCode() + ") "
                                + r.stderr().strip()), Remedies.network(env)));
            }
            List<String> evidence = new ArrayList<>();
            evidence.add("offered: " + offered);
            evidence.add("pinned in state/" + env + "/known_hosts: " + pinned);
            boolean match = offered.stream().anyMatch(pinned::contains);
            if (match) {
                return List.of(Check.of(id, host, Category.NETWORK, Status.PASS, "SSH answers with the pinned host key", evidence, null));
            }
            return List.of(Check.of(id, host, Category.NETWORK, Status.FAIL,
                    "SSH host key differs from the pinned one (a reinstalled host, or someone in between)", evidence,
                    Remedies.hostKeys(env, host)));
        });
    }

    /** The local address the routing table picks to reach {@code target}; no packet is sent. */
    static String sourceAddress(InetAddress target, int port) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(target, port));
            InetAddress local = s.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) return target.isLoopbackAddress() ? target.getHostAddress() : "0.0.0.0";
            return local.getHostAddress();
        } catch (IOException e) {
            return "0.0.0.0";
        }
    }
}
