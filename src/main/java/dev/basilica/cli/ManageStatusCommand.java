package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.operate.Inventory;
import dev.basilica.operate.Operation;
import dev.basilica.operate.ServiceStatus;
import dev.basilica.operate.Ssh;
import dev.basilica.plan.ServiceKind;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show each service's unit state on each host (systemctl show over SSH, with the inventory's "
            + "address, port, user and key, and the project's known_hosts), and whether each host runs the current "
            + "configuration (its record of the applied configuration against MANIFEST.json). Exit 1 when a unit is "
            + "not active or a host is unreachable."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica manage status --env production", "  basilica manage status executor --limit executors"})
final class ManageStatusCommand extends OperateCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE", converter = Vocabulary.Service.class,
            completionCandidates = Vocabulary.ServicesInStartOrder.class,
            description = "Only this service (${COMPLETION-CANDIDATES}).")
    ServiceKind service;

    ManageStatusCommand(Context ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws IOException {
        try {
            Operation op = operation();
            List<Inventory.Host> hosts = op.hosts(service);
            if (hosts == null) return ExitCode.INVALID_INPUT;
            if (options.dryRun) {
                op.printSsh(hosts, h -> ServiceStatus.remoteCommand(service != null ? List.of(service) : h.services()), false);
                return ExitCode.OK;
            }
            Ssh ssh = op.ssh();
            if (ssh == null) return ExitCode.TOOL_MISSING;
            ServiceStatus.Result status = op.serviceStatus(ssh).status(hosts, service);
            ServiceStatus.table(status).forEach(ctx.out()::println);
            ctx.out().flush();
            // The configuration is shown, not judged: a host running an older one is what validate fails on.
            return status.rows().stream().allMatch(ServiceStatus.Row::running) ? ExitCode.OK : ExitCode.CHECKS_FAILED;
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was run.");
        }
    }
}
