package dev.basilica.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An external program this tool drives, found on PATH, with its version and the environment that
 * makes its output machine-readable and quiet.
 *
 * @param name what it is called on PATH
 * @param path where it was found
 * @param version the version it reported ("unknown" when it reported none)
 * @param environment variables set for every run of it
 */
public record Tool(String name, Path path, String version, Map<String, String> environment) {

    /** How each known tool is found and what it needs to run unattended. */
    public record Kind(String name, List<String> versionArgs, Map<String, String> environment, String installHint) {}

    public static final Kind TERRAFORM = new Kind("terraform", List.of("version"),
            Map.of("TF_IN_AUTOMATION", "1", "TF_INPUT", "0", "CHECKPOINT_DISABLE", "1", "NO_COLOR", "1"),
            "install Terraform 1.10 or later (https://developer.hashicorp.com/terraform/install) or OpenTofu as 'tofu'");
    public static final Kind TOFU = new Kind("tofu", List.of("version"),
            Map.of("TF_IN_AUTOMATION", "1", "TF_INPUT", "0", "CHECKPOINT_DISABLE", "1", "NO_COLOR", "1"),
            "install OpenTofu (https://opentofu.org/docs/intro/install/)");
    public static final Kind ANSIBLE_PLAYBOOK = new Kind("ansible-playbook", List.of("--version"),
            Map.of("ANSIBLE_STDOUT_CALLBACK", "json", "ANSIBLE_RETRY_FILES_ENABLED", "False", "ANSIBLE_NOCOLOR", "1",
                    "ANSIBLE_FORCE_COLOR", "0", "ANSIBLE_LOAD_CALLBACK_PLUGINS", "1", "PYTHONUNBUFFERED", "1"),
            "install Ansible (Debian: apt-get install ansible; or pip install ansible-core)");
    /** The OpenSSH client, for commands that read the hosts directly (unit states, journals). */
    public static final Kind SSH = new Kind("ssh", List.of("-V"), Map.of(),
            "install the OpenSSH client (Debian: apt-get install openssh-client)");
}
