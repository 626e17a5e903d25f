package dev.basilica.livecheck;

import dev.basilica.plan.ServiceKind;
import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The validator's /health and the services' /metrics as checks, whether asked from the control machine or on the host. */
final class HttpChecks {

    /** A Prometheus text-format sample line: name, optional labels, a value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "(?m)^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}\\n]*\\})?[ \\t]+[-+]?([0-9.]+([eE][-+]?[0-9]+)?|NaN|Inf)");

    private HttpChecks() {}

    static String healthId(String host) {
        return "services." + host + ".validator.health";
    }

    static String metricsId(String host, ServiceKind s) {
        return "services." + host + "." + s.id() + ".metrics";
    }

    /**
     * @param where how the endpoint was asked ("from the control machine", "on the host")
     */
    static List<Check> health(String env, String host, String url, HttpProbe.Response r, String where, Duration slow) {
        List<Check> out = new ArrayList<>();
        List<String> evidence = List.of("GET " + url + " " + where + ": " + r.describe());
        if (r.ok()) {
            out.add(Check.of(healthId(host), host, Category.SERVICES, Status.PASS, "validator /health answers 200", evidence, null));
        } else {
            out.add(Check.of(healthId(host), host, Category.SERVICES, Status.FAIL,
                    "validator /health does not answer 200 (" + (r.error() != null ? r.error() : "HTTP " + r.status()) + ")",
                    evidence, Remedies.start(env, ServiceKind.VALIDATOR)));
        }
        out.add(timing("performance." + host + ".validator.health-time", host, "validator /health", r, slow));
        return out;
    }

    static List<Check> metrics(String env, String host, ServiceKind s, String url, HttpProbe.Response r, String where, Duration slow) {
        List<Check> out = new ArrayList<>();
        List<String> evidence = new ArrayList<>(List.of("GET " + url + " " + where + ": " + r.describe()));
        String id = metricsId(host, s);
        if (!r.ok()) {
            out.add(Check.of(id, host, Category.SERVICES, Status.FAIL,
                    s.id() + " metrics not scrapable (" + (r.error() != null ? r.error() : "HTTP " + r.status()) + ")",
                    evidence, Remedies.start(env, s)));
        } else {
            long samples = SAMPLE.matcher(r.body()).results().count();
            evidence.add(samples + " samples in the first " + r.body().length() + " characters");
            if (samples == 0) {
                out.add(Check.of(id, host, Category.SERVICES, Status.FAIL, s.id() + " /metrics answers without Prometheus samples",
                        evidence, "check that the " + s.id() + " runs with its metrics enabled ([metrics.prometheus] in its config): "
                                + Remedies.deploy(env, s)));
            } else {
                out.add(Check.of(id, host, Category.SERVICES, Status.PASS, s.id() + " metrics scrapable (" + samples + " samples)",
                        evidence, null));
            }
        }
        out.add(timing("performance." + host + "." + s.id() + ".metrics-time", host, s.id() + " /metrics", r, slow));
        return out;
    }

    private static Check timing(String id, String host, String what, HttpProbe.Response r, Duration slow) {
        if (r.error() != null) {
            return Check.of(id, host, Category.PERFORMANCE, Status.SKIP, what + ": no answer to time", List.of(r.describe()), null);
        }
        List<String> evidence = List.of(r.describe() + "; warning above " + slow.toMillis() + " ms");
        if (r.millis() > slow.toMillis()) {
            return Check.of(id, host, Category.PERFORMANCE, Status.WARN, what + " answered in " + r.millis() + " ms (slow)", evidence,
                    "look at the host's load and the service's log; a slow answer often comes before a failing one");
        }
        return Check.of(id, host, Category.PERFORMANCE, Status.PASS, what + " answered in " + r.millis() + " ms", evidence, null);
    }
}
