package dev.basilica.livecheck;

import dev.basilica.plan.ServiceKind;

/** The fix each failed check suggests, as the command lines of the provisioning README. */
final class Remedies {

    private Remedies() {}

    static String start(String env, ServiceKind s) {
        return "start it: basilica manage start " + s.id() + " --env " + env + "; if it stops again, read its log: basilica manage logs "
                + s.id() + " --env " + env;
    }

    static String firewall(String env, String host) {
        return "re-apply the modelled firewall: basilica network firewall --env " + env + " (then look at 'ufw status numbered' on "
                + host + " for rules added by hand)";
    }

    static String deploy(String env, ServiceKind s) {
        return "re-install the service's files with their owners and modes: basilica deploy " + env + " " + s.id();
    }

    static String servers(String env) {
        return "re-apply the server setup (SSH hardening, users, firewall): basilica provision servers --env " + env;
    }

    static String hostKeys(String env, String host) {
        return "compare the host's fingerprint on its console ('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub'); if it is right, "
                + "record it again: cd out/" + env + "/ansible && ansible-playbook known-hosts.yml --limit " + host;
    }

    static String network(String env) {
        return "test the paths between the hosts: basilica network test --env " + env;
    }
}
