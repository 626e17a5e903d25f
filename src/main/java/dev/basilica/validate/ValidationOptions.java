package dev.basilica.validate;

import dev.basilica.report.Category;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How {@link ValidationRunner} runs.
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
public record ValidationOptions(Set<Category> categories, boolean failFast, int parallelism, Duration connectTimeout,
                                Duration slowResponse, boolean onHosts, String controllerAddress, boolean verbose,
                                Consumer<String> progress) {

    /** The live probes' categories. */
    public static final Set<Category> ALL = Set.copyOf(EnumSet.of(Category.NETWORK, Category.SERVICES, Category.SECURITY,
            Category.WORKFLOW, Category.PERFORMANCE));

    public ValidationOptions {
        categories = Set.copyOf(categories);
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be 1 or more");
        if (progress == null) progress = line -> { };
    }

    public static ValidationOptions defaults() {
        return new ValidationOptions(ALL, false, 64, Duration.ofSeconds(3), Duration.ofMillis(500), true, null, false, null);
    }

    public ValidationOptions withCategories(Set<Category> c) {
        return new ValidationOptions(c, failFast, parallelism, connectTimeout, slowResponse, onHosts, controllerAddress, verbose, progress);
    }

    public ValidationOptions withFailFast(boolean f) {
        return new ValidationOptions(categories, f, parallelism, connectTimeout, slowResponse, onHosts, controllerAddress, verbose, progress);
    }

    public ValidationOptions withOnHosts(boolean h) {
        return new ValidationOptions(categories, failFast, parallelism, connectTimeout, slowResponse, h, controllerAddress, verbose, progress);
    }

    public ValidationOptions withParallelism(int p) {
        return new ValidationOptions(categories, failFast, p, connectTimeout, slowResponse, onHosts, controllerAddress, verbose, progress);
    }

    public ValidationOptions withConnectTimeout(Duration t) {
        return new ValidationOptions(categories, failFast, parallelism, t, slowResponse, onHosts, controllerAddress, verbose, progress);
    }

    public ValidationOptions withControllerAddress(String a) {
        return new ValidationOptions(categories, failFast, parallelism, connectTimeout, slowResponse, onHosts, a, verbose, progress);
    }

    public ValidationOptions withProgress(boolean v, Consumer<String> p) {
        return new ValidationOptions(categories, failFast, parallelism, connectTimeout, slowResponse, onHosts, controllerAddress, v, p);
    }

    public boolean wants(Category c) {
        return categories.contains(c);
    }
}
