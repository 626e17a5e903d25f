package dev.basilica.emit.ansible;

import static dev.basilica.emit.ansible.DockerRoleConvergeIT.playbook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.model.ModelLoader;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.plan.HostLayout;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.support.AnsibleRun;
import dev.basilica.support.GeneratedOut;
import dev.basilica.support.Tools;
import dev.basilica.testfleet.DockerFleet;
import dev.basilica.testfleet.DockerFleets;
import dev.basilica.testfleet.DockerHost;
import dev.basilica.testfleet.Exec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated {@code grafana} role converged for real on a Docker test fleet host, with Prometheus and
 * Alertmanager beside it (the whole {@code servers.yml} for a monitoring-only host). Grafana is not in
 * Debian and its repository cannot be reached, so the test builds a stand-in {@code grafana} package
 * ({@link #standinDeb}: the real package's unit, default file, grafana.ini, provisioning directories and
 * grafana user; a small server, src/test/resources/standins/grafana-standin.py, that reads grafana.ini,
 * GF_* variables and the provisioning files and serves /api/health, /api/datasources, /api/search and
 * /api/dashboards/uid/UID) and serves it with the fleet's repository, the model's apt mirror.
 *
 * <p>Asserted: grafana installed from the mirror (no Grafana repository added); grafana-server active
 * as the grafana user on the modelled port (which only the role's drop-in sets); the provisioning files
 * root:grafana and readable by the service; /api/health; the provisioned Prometheus datasource is the
 * modelled Prometheus, which answers there; the generated dashboard served with its uid and title; a
 * re-converge changes nothing; a model change of both ports (a new datasource file, a new port file)
 * starts grafana-server exactly once, with both in effect. The admin password is the model's secret
 * (monitoring.grafana_admin_password, a file on the controller): admin:admin is refused and the modelled password
 * works after the first converge; a changed secret on the existing database is set by grafana-cli (the old one then
 * refused); the password file is root-only and read by the drop-in, and the password is in neither the generated
 * tree, ansible-playbook's output nor the host's journal. What it cannot show: that a real Grafana
 * accepts the files (see docs/testing.md).
 */
@Tag("docker")
@Tag("integration")
class GrafanaConvergeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "monitor";
    static final String VERSION = "10.4.2";
    private static final String FIRST_PASSWORD = "first-Gr4fana-admin";
    private static final String SECOND_PASSWORD = "second-Gr4fana-admin";
    /** The admin password the API calls log in with: the modelled one in effect. */
    private static String currentPassword = FIRST_PASSWORD;
    private static final String STARTS = "journalctl -o cat -u grafana-server.service | grep -c 'Started grafana-server.service' || true";

    @TempDir
    Path work;

    @Test
    void grafanaConvergesFromTheMirrorServesItsProvisioningAndRestartsOncePerChange() throws Exception {
        DockerFleets.assumeAvailable();
        Tools.assume("dpkg-deb", "dpkg");
        long started = System.nanoTime();
        currentPassword = FIRST_PASSWORD;
        Path deb = standinDeb(work.resolve("deb"));
        try (DockerFleet fleet = DockerFleets.bootOrSkip(b -> b.extraPackage(deb), HOST)) {
            DockerHost monitor = fleet.host(HOST);
            Path project = work.resolve("project");
            Path out = project.resolve("out/grafanaconverge");
            Files.createDirectories(project.resolve("environments"));
            Path model = project.resolve("environments/grafanaconverge.yaml");
            Path secret = work.resolve("grafana_admin_password");
            Files.writeString(secret, FIRST_PASSWORD + "\n");
            Files.writeString(model, model(fleet, 9095, 3300, secret));
            GeneratedOut.write(model, "environments/grafanaconverge.yaml", out);
            Path ansible = out.resolve("ansible");

            playbook(ansible, "known-hosts.yml").assertOk();
            AnsibleRun first = playbook(ansible, "servers.yml");
            if (first.failures() > 0) {
                System.out.println("grafana: " + monitor.ssh("systemctl status grafana-server --no-pager; journalctl -o cat -u grafana-server --no-pager | tail -n 40").stdout());
            }
            first.assertOk();
            System.out.printf("grafana: fleet up and first converge after %d s%n", (System.nanoTime() - started) / 1_000_000_000);

            // From the mirror, not from Grafana's repository.
            String policy = monitor.ssh("apt-cache policy grafana").orThrow().stdout();
            assertTrue(policy.contains("*** " + VERSION) && policy.contains(fleet.repositoryUrl().toString().replaceAll("/$", "")),
                    "grafana installed from the local repository:\n" + policy);
            assertTrue(fleet.repositoryRequests().stream().anyMatch(r -> r.path().contains("grafana_" + VERSION) && r.status() == 200),
                    "grafana's .deb came from the local repository");
            assertFalse(monitor.ssh("test -e /etc/apt/sources.list.d/grafana.list").ok(), "no Grafana repository with a mirror");

            // The service, as the package's user, on the modelled port.
            assertEquals("active", monitor.ssh("systemctl is-active grafana-server.service").stdout().strip());
            assertEquals("enabled", monitor.ssh("systemctl is-enabled grafana-server.service").stdout().strip());
            String pid = monitor.ssh("systemctl show -p MainPID --value grafana-server.service").orThrow().stdout().strip();
            assertEquals("grafana", monitor.ssh("ps -o user= -p " + pid).orThrow().stdout().strip(), "grafana-server's user");
            assertEquals("root:grafana 640\nroot:grafana 640\nroot:grafana 755\nroot:grafana 644\n",
                    monitor.ssh("stat -c '%U:%G %a' /etc/grafana/provisioning/datasources/basilica.yml"
                            + " /etc/grafana/provisioning/dashboards/basilica.yml /var/lib/grafana/dashboards/basilica"
                            + " /var/lib/grafana/dashboards/basilica/basilica.json").orThrow().stdout(),
                    "provisioning ownership and modes");

            // Every start so far, the first included, on the modelled port: never on the package's default.
            String listens = monitor.ssh("journalctl -o cat -u grafana-server.service | grep 'HTTP Server Listen'").orThrow().stdout();
            assertTrue(!listens.isEmpty() && listens.lines().allMatch(l -> l.endsWith(":3300")), "grafana-server's starts:\n" + listens);
            System.out.printf("grafana: %d start(s) in the first converge%n", starts(monitor));

            String base = "http://" + monitor.address() + ":3300";
            JsonNode health = get(base + "/api/health", false);
            assertEquals("ok", health.path("database").asText(), health.toString());
            assertEquals(401, status(base + "/api/datasources"), "the API needs the admin login");
            assertEquals(401, status(base + "/api/datasources", "admin:admin"), "Grafana's default admin:admin is refused");
            assertEquals(200, status(base + "/api/datasources", "admin:" + FIRST_PASSWORD), "the modelled admin password works");
            assertSecretKept(monitor, out, first, FIRST_PASSWORD);
            assertDatasource(monitor, base, 9095);

            // The generated dashboard, by its uid and title.
            JsonNode generated = JSON.readTree(out.resolve("monitoring/grafana/dashboards/basilica.json").toFile());
            String uid = generated.path("uid").asText();
            String title = generated.path("title").asText();
            assertFalse(uid.isEmpty() || title.isEmpty(), "the generated dashboard has a uid and a title");
            JsonNode search = get(base + "/api/search?type=dash-db", true);
            assertEquals(1, search.size(), search.toString());
            assertEquals(uid, search.get(0).path("uid").asText());
            assertEquals(title, search.get(0).path("title").asText());
            assertEquals("Basilica", search.get(0).path("folderTitle").asText());
            JsonNode dashboard = get(base + "/api/dashboards/uid/" + uid, true);
            assertEquals(title, dashboard.path("dashboard").path("title").asText());
            assertEquals(generated.path("panels").size(), dashboard.path("dashboard").path("panels").size());
            assertTrue(dashboard.path("meta").path("provisioned").asBoolean(), dashboard.path("meta").toString());

            // A re-converge changes nothing.
            AnsibleRun again = playbook(ansible, "servers.yml");
            again.assertOk();
            assertEquals(Map.of(HOST, 0), again.changedByHost(), "re-converge must change nothing:\n" + again.changedTasks());

            // Both ports changed in the model: a new datasource file and a new port file, one start of Grafana.
            int before = starts(monitor);
            Files.writeString(model, model(fleet, 9096, 3301, secret));
            Files.writeString(secret, SECOND_PASSWORD + "\n");
            GeneratedOut.write(model, "environments/grafanaconverge.yaml", out);
            AnsibleRun changed = playbook(ansible, "servers.yml");
            changed.assertOk();
            assertEquals(1, starts(monitor) - before, "grafana-server started exactly once:\n" + changed.changedTasks());
            base = "http://" + monitor.address() + ":3301";
            currentPassword = SECOND_PASSWORD;
            assertEquals("ok", get(base + "/api/health", false).path("database").asText());
            assertEquals(-1, status("http://" + monitor.address() + ":3300/api/health"), "nothing left on the old port");
            assertDatasource(monitor, base, 9096);
            // The changed secret, on a database that exists: reset by grafana-cli, the old one refused.
            assertTrue(changed.changedTasks().contains("Reset the admin password"), changed.changedTasks());
            assertEquals(401, status(base + "/api/datasources", "admin:" + FIRST_PASSWORD), "the old admin password is refused");
            assertEquals(401, status(base + "/api/datasources", "admin:admin"), "admin:admin is refused");
            assertSecretKept(monitor, out, changed, SECOND_PASSWORD);
            assertSecretKept(monitor, out, changed, FIRST_PASSWORD);
            AnsibleRun settled = playbook(ansible, "servers.yml");
            settled.assertOk();
            assertEquals(Map.of(HOST, 0), settled.changedByHost(), settled.changedTasks());

            // validate checks the password file on the host: passes as converged; a loosened mode fails with the
            // configure run that writes it again, and that run puts it right.
            Fleet plan = FleetPlanner.plan(ModelLoader.load(model, "environments/grafanaconverge.yaml"));
            String id = "security." + HOST + ".grafana.admin-password-file";
            Check converged = DockerRoleConvergeIT.validated(ansible, plan, null).get(id);
            assertEquals(Status.PASS, converged.status(), String.valueOf(converged));
            monitor.ssh("chmod 0644 " + HostLayout.GRAFANA_ADMIN_ENV_FILE).orThrow();
            Check loose = DockerRoleConvergeIT.validated(ansible, plan, null).get(id);
            assertEquals(Status.FAIL, loose.status(), loose.toString());
            assertEquals(HostLayout.GRAFANA_ADMIN_ENV_FILE + " is root:root 0644, not root:root 0600", loose.title());
            assertTrue(loose.remediation().contains("basilica provision configure --apply --env grafanaconverge --limit " + HOST),
                    loose.remediation());
            playbook(ansible, "configure.yml", "--limit", HOST).assertOk();
            assertEquals(Status.PASS, DockerRoleConvergeIT.validated(ansible, plan, null).get(id).status(), "after the configure run");
            System.out.printf("grafana: done after %d s%n", (System.nanoTime() - started) / 1_000_000_000);
        }
    }

    /**
     * The admin password only in the root-only file that grafana-server reads: not in the generated tree, not in
     * Ansible's output (the tasks that handle it have no_log), not in the host's journal.
     */
    private static void assertSecretKept(DockerHost monitor, Path out, AnsibleRun run, String password) throws IOException {
        assertEquals("root:root 600\n", monitor.ssh("stat -c '%U:%G %a' /etc/default/grafana-server.d-basilica-admin").orThrow().stdout(),
                "the admin password file is root-only");
        assertTrue(monitor.ssh("systemctl cat grafana-server.service").orThrow().stdout()
                .contains("EnvironmentFile=/etc/default/grafana-server.d-basilica-admin"), "the drop-in reads the password file");
        try (var files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f, StandardCharsets.ISO_8859_1).contains(password), "the password in generated " + f);
            }
        }
        assertFalse(run.result().output().contains(password), "the password in ansible-playbook's output");
        String journal = monitor.ssh("journalctl -o cat --no-pager").orThrow().stdout();
        assertTrue(journal.contains("Invoked with"), "the journal records Ansible's module calls");
        assertFalse(journal.contains(password), "the password in the host's journal");
    }

    /** The one provisioned datasource is the modelled Prometheus, and that Prometheus answers at its URL. */
    private static void assertDatasource(DockerHost monitor, String base, int prometheusPort) throws Exception {
        JsonNode sources = get(base + "/api/datasources", true);
        assertEquals(1, sources.size(), sources.toString());
        JsonNode prometheus = sources.get(0);
        assertEquals("prometheus", prometheus.path("type").asText());
        assertEquals("http://127.0.0.1:" + prometheusPort, prometheus.path("url").asText(), prometheus.toString());
        assertTrue(prometheus.path("isDefault").asBoolean(), prometheus.toString());
        Exec.Result ready = null;
        for (int i = 0; i < 30; i++) {  // Prometheus may still be starting after its restart
            ready = monitor.ssh("curl -sf " + prometheus.path("url").asText() + "/-/ready");
            if (ready.ok()) break;
            Thread.sleep(1000);
        }
        assertTrue(ready.ok(), "Prometheus answers at the datasource's URL: " + ready.stdout() + ready.stderr());
    }

    private static int starts(DockerHost h) throws IOException {
        return Integer.parseInt(h.ssh(STARTS).stdout().strip());
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static JsonNode get(String url, boolean login) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (login) request.header("Authorization", basic("admin:" + currentPassword));
        IOException last = null;
        for (int i = 0; i < 30; i++) {  // the service may still be binding its port after a (re)start
            try {
                HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), url + ": " + r.body());
                return JSON.readTree(r.body());
            } catch (IOException e) {
                last = e;
                Thread.sleep(1000);
            }
        }
        throw new IOException(url + " never answered", last);
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** The HTTP status without a login, or -1 when nothing answers. */
    private static int status(String url) throws Exception {
        return status(url, null);
    }

    /** The HTTP status with basic authentication (none when null), or -1 when nothing answers. */
    private static int status(String url, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (credentials != null) request.header("Authorization", basic(credentials));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException refused) {
            return -1;
        }
    }

    private static String model(DockerFleet fleet, int prometheusPort, int grafanaPort, Path adminPassword) {
        DockerHost h = fleet.host(HOST);
        return String.join("\n",
                "apiVersion: basilica.dev/v1alpha1",
                "kind: Environment",
                "name: grafanaconverge",
                "tier: staging",
                "chain: { network: test, netuid: 387 }",
                "hosts:",
                "  - { name: " + HOST + ", address: " + h.address() + ", roles: [monitoring], ssh: { user: root, key: " + h.privateKey() + " } }",
                "services: { validator: { enabled: false }, miner: { enabled: false }, executor: { enabled: false } }",
                "packages:",
                "  apt_mirror: { url: \"" + fleet.repositoryUrl() + "\", suites: [\"./\"], trusted: true }",
                "monitoring: { enabled: true, grafana: true, prometheus_port: " + prometheusPort + ", grafana_port: " + grafanaPort
                        + ", grafana_admin_password: { file: " + adminPassword + " } }",
                "firewall: { enabled: false }",
                "");
    }

    /**
     * A stand-in for Grafana's own {@code grafana} package (apt.grafana.com), laid out as the real one
     * is in what the role relies on: {@code grafana-server.service} starting
     * {@code /usr/share/grafana/bin/grafana server --config=${CONF_FILE} ... cfg:default.paths.provisioning=...}
     * as User/Group grafana with {@code EnvironmentFile=/etc/default/grafana-server}; {@code /etc/grafana/grafana.ini}
     * (defaults commented out) and the default file as conffiles; empty {@code /etc/grafana/provisioning/}
     * directories; a postinst that creates the grafana system group and user, gives {@code /var/lib/grafana} and
     * {@code /var/log/grafana} to them and {@code /etc/grafana} to root:grafana, reloads systemd and, like the
     * real one, neither enables nor starts the service.
     */
    static Path standinDeb(Path dir) throws IOException {
        Path root = dir.resolve("grafana");
        Path debian = root.resolve("DEBIAN");
        write(debian.resolve("control"), "0644", String.join("\n",
                "Package: grafana",
                "Version: " + VERSION,
                "Architecture: all",
                "Maintainer: basilica tests <tests@basilica.invalid>",
                "Depends: python3, passwd",
                "Section: default",
                "Priority: optional",
                "Description: Grafana stand-in for basilica's converge tests",
                " Serves /api/health, datasources and dashboards from the provisioning files.",
                ""));
        write(debian.resolve("conffiles"), "0644", "/etc/default/grafana-server\n/etc/grafana/grafana.ini\n");
        write(debian.resolve("postinst"), "0755", String.join("\n",
                "#!/bin/sh",
                "set -e",
                "[ \"$1\" = configure ] || exit 0",
                "getent group grafana >/dev/null || groupadd --system grafana",
                "getent passwd grafana >/dev/null || useradd --system --gid grafana --home-dir /usr/share/grafana"
                        + " --no-create-home --shell /bin/false grafana",
                "mkdir -p /var/lib/grafana /var/log/grafana /var/lib/grafana/plugins",
                "chown -R grafana:grafana /var/lib/grafana /var/log/grafana",
                "chmod 755 /var/lib/grafana /var/log/grafana",
                "chown -R root:grafana /etc/grafana",
                "find /etc/grafana -type f -exec chmod 640 {} +",
                "find /etc/grafana -type d -exec chmod 755 {} +",
                "if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi",
                "echo '### NOT starting on installation, please execute: systemctl enable --now grafana-server'",
                ""));
        String server;
        try (InputStream in = GrafanaConvergeIT.class.getResourceAsStream("/standins/grafana-standin.py")) {
            server = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        write(root.resolve("usr/share/grafana/bin/grafana"), "0755", server);
        // As the real package's /usr/sbin/grafana-cli: the package's settings, then "grafana cli".
        write(root.resolve("usr/sbin/grafana-cli"), "0755", String.join("\n",
                "#!/bin/sh",
                "DEFAULT=/etc/default/grafana-server",
                "GRAFANA_HOME=/usr/share/grafana",
                "CONF_FILE=/etc/grafana/grafana.ini",
                "DATA_DIR=/var/lib/grafana",
                "LOG_DIR=/var/log/grafana",
                "PLUGINS_DIR=/var/lib/grafana/plugins",
                "PROVISIONING_CFG_DIR=/etc/grafana/provisioning",
                "[ -f \"$DEFAULT\" ] && . \"$DEFAULT\"",
                "exec \"$GRAFANA_HOME/bin/grafana\" cli --homepath=\"$GRAFANA_HOME\" --config=\"$CONF_FILE\" --pluginsDir=\"$PLUGINS_DIR\""
                        + " \"--configOverrides=cfg:default.paths.provisioning=$PROVISIONING_CFG_DIR cfg:default.paths.data=$DATA_DIR"
                        + " cfg:default.paths.logs=$LOG_DIR cfg:default.paths.plugins=$PLUGINS_DIR\" \"$@\"",
                ""));
        write(root.resolve("usr/lib/systemd/system/grafana-server.service"), "0644", String.join("\n",
                "[Unit]",
                "Description=Grafana instance (stand-in)",
                "Wants=network-online.target",
                "After=network-online.target",
                "",
                "[Service]",
                "EnvironmentFile=/etc/default/grafana-server",
                "User=grafana",
                "Group=grafana",
                "Type=simple",
                "Restart=on-failure",
                "WorkingDirectory=/usr/share/grafana",
                "RuntimeDirectory=grafana",
                "RuntimeDirectoryMode=0750",
                "ExecStart=/usr/share/grafana/bin/grafana server --config=${CONF_FILE} --pidfile=${PID_FILE_DIR}/grafana-server.pid"
                        + " --packaging=deb cfg:default.paths.logs=${LOG_DIR} cfg:default.paths.data=${DATA_DIR}"
                        + " cfg:default.paths.plugins=${PLUGINS_DIR} cfg:default.paths.provisioning=${PROVISIONING_CFG_DIR}",
                "LimitNOFILE=10000",
                "TimeoutStopSec=20",
                "",
                "[Install]",
                "WantedBy=multi-user.target",
                ""));
        write(root.resolve("etc/default/grafana-server"), "0644", String.join("\n",
                "GRAFANA_USER=grafana",
                "GRAFANA_GROUP=grafana",
                "GRAFANA_HOME=/usr/share/grafana",
                "LOG_DIR=/var/log/grafana",
                "DATA_DIR=/var/lib/grafana",
                "MAX_OPEN_FILES=10000",
                "CONF_DIR=/etc/grafana",
                "CONF_FILE=/etc/grafana/grafana.ini",
                "RESTART_ON_UPGRADE=true",
                "PLUGINS_DIR=/var/lib/grafana/plugins",
                "PROVISIONING_CFG_DIR=/etc/grafana/provisioning",
                "PID_FILE_DIR=/var/run/grafana",
                ""));
        write(root.resolve("etc/grafana/grafana.ini"), "0640", String.join("\n",
                "##################### Grafana Configuration (stand-in) #####################",
                "[paths]",
                ";provisioning = conf/provisioning",
                "",
                "[server]",
                ";http_addr =",
                ";http_port = 3000",
                "",
                "[security]",
                ";admin_user = admin",
                ";admin_password = admin",
                ""));
        for (String d : List.of("access-control", "alerting", "dashboards", "datasources", "notifiers", "plugins")) {
            Files.createDirectories(root.resolve("etc/grafana/provisioning").resolve(d));
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Path deb = dir.resolve("grafana_" + VERSION + "_all.deb");
        Exec.run(Duration.ofMinutes(1), "dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root.toString(), deb.toString()).orThrow();
        return deb;
    }

    private static void write(Path file, String mode, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(
                mode.chars().skip(1).mapToObj(c -> switch (c - '0') {
                    case 7 -> "rwx";
                    case 6 -> "rw-";
                    case 5 -> "r-x";
                    case 4 -> "r--";
                    default -> "---";
                }).reduce("", String::concat)));
    }
}
