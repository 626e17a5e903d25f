package dev.basilica.cli;

import picocli.CommandLine.Option;

/** Options of every command that acts on hosts. */
public final class OperateOptions {

    @Option(names = {"-l", "--limit"}, paramLabel = "HOSTS",
            description = "Only these hosts: host or inventory group names, comma-separated (passed to ansible-playbook --limit).")
    String limit;

    @Option(names = {"-n", "--dry-run"},
            description = "Print the commands (and their environment) that would run, and run nothing.")
    boolean dryRun;

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "120",
            description = "Stop a playbook that runs longer than this (default: ${DEFAULT-VALUE} minutes).")
    long timeoutMinutes;
}
