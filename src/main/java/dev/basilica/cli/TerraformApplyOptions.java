package dev.basilica.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** What a Terraform apply may do: the options of {@code apply} and of the terraform phase of {@code provision all}. */
public final class TerraformApplyOptions {

    @Option(names = "--allow-destroy",
            description = "Apply also a plan that deletes or replaces a firewall or network (review it first).")
    boolean allowDestroy;

    @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for another run's state lock before giving up (default: ${DEFAULT-VALUE} seconds).")
    long lockTimeoutSeconds;

    Duration lockTimeout() {
        return Duration.ofSeconds(Math.max(0, lockTimeoutSeconds));
    }
}
