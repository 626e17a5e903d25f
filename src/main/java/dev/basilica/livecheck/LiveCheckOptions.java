package dev.basilica.livecheck;

import dev.basilica.report.Category;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How {@link LiveChecks} runs.
 *
 * @param categories       which checks to report (network, services, security, workflow, performance)
 * @param failFast         stop starting probes after the first failed check
 * @param parallelism      probes in flight at once from the control machine (each holds one socket)
 * @param connectTimeout   how long one TCP connect or HTTP request may take
 * @param slowResponse     a health or metrics answer slower than this is a warning
 * @param onHosts          also collect facts on the hosts through Ansible (needs ansible-playbook)
 * @param controllerAddress the address the hosts see the control machine connect from; null to ask the
 *                         routing table per host
 * @param progress         receives one line per step and, with verbose, Ansible's progress
 */
public record LiveCheckOptions(Set<Category> categories, boolean failFast, int parallelism, Duration connectTimeout,
                                Duration slowResponse, boolean onHosts, String controllerAddress, boolean verbose,
                                Consumer<String> progress) {

    /** The live probes' categories. */
    public static final Set<Category> ALL = Set.copyOf(EnumSet.of(Category.NETWORK, Category.SERVICES, Category.SECURITY,
            Category.WORKFLOW, Category.PERFORMANCE));

    public LiveCheckOptions {
        categories = Set.copyOf(categories);
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be 1 or more");
        if (progress == null) progress = line -> { };
    }

    public static LiveCheckOptions defaults() {
        return new LiveCheckOptions(ALL, false, 64, Duration.ofSeconds(3), Duration.ofMillis(500), true, null, false, null);
    }

    public LiveCheckOptions withCategories(Set<Category> c) {
        return new LiveCheckOptions(c, failFast, parallelism, connectTimeout, slowResponse, onHosts, controllerAddress, verbose, progress);
    }

    public LiveCheckOptions withFailFast(boolean f) {
        return new LiveCheckOptions(categories, f, parallelism, connectTimeout, slowResponse, onHosts, controllerAddress, verbose, progress);
    }

    public LiveCheckOptions withOnHosts(boolean h) {
        return new LiveCheckOptions(categories, failFast, parallelism, connectTimeout, slowResponse, h, controllerAddress, verbose, progress);
    }

    public LiveCheckOptions withParallelism(int p) {
        return new LiveCheckOptions(categories, failFast, p, connectTimeout, slowResponse, onHosts, controllerAddress, verbose, progress);
    }

    public LiveCheckOptions withConnectTimeout(Duration t) {
        return new LiveCheckOptions(categories, failFast, parallelism, t, slowResponse, onHosts, controllerAddress, verbose, progress);
    }

    public LiveCheckOptions withControllerAddress(String a) {
        return new LiveCheckOptions(categories, failFast, parallelism, connectTimeout, slowResponse, onHosts, a, verbose, progress);
    }

    public LiveCheckOptions withProgress(boolean v, Consumer<String> p) {
        return new LiveCheckOptions(categories, failFast, parallelism, connectTimeout, slowResponse, onHosts, controllerAddress, v, p);
    }

    public boolean wants(Category c) {
        return categories.contains(c);
    }
}
