package dev.basilica.cli;

import dev.basilica.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "basilica",
        mixinStandardHelpOptions = true,
        versionProvider = BasilicaCommand.VersionProvider.class,
        description = {
            "Compiles a Basilica environment model (environments/NAME.yaml) into reviewable provisioning code under "
                + "out/NAME/: the service configs the real binaries load, hardened systemd units, Ansible inventory, "
                + "playbooks and roles, monitoring (Prometheus, Alertmanager, Grafana), Terraform for cloud firewalls "
                + "and networks, and a MANIFEST.json of every file it wrote.",
            "It then runs ansible-playbook and terraform against the fleet, checks the live hosts against the model, "
                + "and turns what the tools printed into reports."},
        subcommands = {
            GenerateCommand.class,
            EnvCommand.class,
            SchemaCommand.class,
            ProvisionCommand.class,
            ConfigureCommand.class,
            DeployCommand.class,
            ManageCommand.class,
            NetworkCommand.class,
            PlanCommand.class,
            ApplyCommand.class,
            ReportCommand.class,
            ValidateCommand.class,
            CompletionCommand.class,
            BenchCommand.class,
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  basilica generate                         compile environments/development.yaml to out/development/",
            "  basilica generate --env staging --check   fail if out/staging/ is stale",
            "  basilica env check --env production       report every problem of a model",
            "  basilica provision configure --env production",
            "  basilica provision all --env production       generate, then servers, configure, deploy, start, validate",
            "  basilica plan --env production                what would change, Terraform's plan saved",
            "  basilica apply --env production               apply that saved plan, if still fresh",
            "  basilica manage status --env staging",
            "  basilica manage logs executor --follow",
            "  basilica report --env staging --terraform-plan plan.json --gpu staging-gpu-1=gpu1.xml",
            "  basilica validate all --env staging --report",
            "",
            "Exit codes: 0 ok, 1 checks failed, 2 invalid input, 3 tool missing, 4 internal error."})
public final class BasilicaCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"basilica " + Version.get(), "model " + dev.basilica.model.EnvironmentSchema.API_VERSION};
        }
    }
}
