package dev.basilica.report.terraform;

import java.util.List;
import java.util.Optional;

/**
 * Which Terraform resource types are firewalls or networks: deleting or replacing one of them can cut
 * hosts off (SSH included) or open them up, so the report flags every such change for review.
 */
public final class NetworkResources {

    /** What a flagged resource type is. */
    public enum Kind {
        FIREWALL, NETWORK;

        public String id() {
            return this == FIREWALL ? "firewall" : "network";
        }
    }

    private record Family(String typeOrPrefix, Kind kind) {
        boolean matches(String type) {
            return type.equals(typeOrPrefix) || type.startsWith(typeOrPrefix + "_");
        }
    }

    /** Exact types, and prefixes of families ({@code aws_security_group} also covers {@code aws_security_group_rule}). */
    private static final List<Family> FAMILIES = List.of(
            // AWS
            new Family("aws_security_group", Kind.FIREWALL),
            new Family("aws_default_security_group", Kind.FIREWALL),
            new Family("aws_vpc_security_group_ingress_rule", Kind.FIREWALL),
            new Family("aws_vpc_security_group_egress_rule", Kind.FIREWALL),
            new Family("aws_network_interface_sg_attachment", Kind.FIREWALL),
            new Family("aws_network_acl", Kind.FIREWALL),
            new Family("aws_default_network_acl", Kind.FIREWALL),
            new Family("aws_vpc", Kind.NETWORK),
            new Family("aws_default_vpc", Kind.NETWORK),
            new Family("aws_subnet", Kind.NETWORK),
            new Family("aws_default_subnet", Kind.NETWORK),
            new Family("aws_route_table", Kind.NETWORK),
            new Family("aws_route", Kind.NETWORK),
            new Family("aws_internet_gateway", Kind.NETWORK),
            new Family("aws_nat_gateway", Kind.NETWORK),
            new Family("aws_eip", Kind.NETWORK),
            // Google Cloud
            new Family("google_compute_firewall", Kind.FIREWALL),
            new Family("google_compute_network_firewall_policy", Kind.FIREWALL),
            new Family("google_compute_network", Kind.NETWORK),
            new Family("google_compute_subnetwork", Kind.NETWORK),
            new Family("google_compute_route", Kind.NETWORK),
            new Family("google_compute_router", Kind.NETWORK),
            new Family("google_compute_address", Kind.NETWORK),
            // Hetzner Cloud
            new Family("hcloud_firewall", Kind.FIREWALL),
            new Family("hcloud_network", Kind.NETWORK),
            new Family("hcloud_primary_ip", Kind.NETWORK),
            new Family("hcloud_floating_ip", Kind.NETWORK),
            // Scaleway
            new Family("scaleway_instance_security_group", Kind.FIREWALL),
            new Family("scaleway_vpc", Kind.NETWORK),
            new Family("scaleway_instance_ip", Kind.NETWORK),
            // DigitalOcean
            new Family("digitalocean_firewall", Kind.FIREWALL),
            new Family("digitalocean_vpc", Kind.NETWORK),
            new Family("digitalocean_reserved_ip", Kind.NETWORK),
            new Family("digitalocean_floating_ip", Kind.NETWORK),
            // OpenStack
            new Family("openstack_networking_secgroup", Kind.FIREWALL),
            new Family("openstack_networking_secgroup_rule_v2", Kind.FIREWALL),
            new Family("openstack_networking_network", Kind.NETWORK),
            new Family("openstack_networking_subnet", Kind.NETWORK),
            new Family("openstack_networking_router", Kind.NETWORK),
            new Family("openstack_networking_floatingip", Kind.NETWORK),
            // Azure
            new Family("azurerm_network_security_group", Kind.FIREWALL),
            new Family("azurerm_network_security_rule", Kind.FIREWALL),
            new Family("azurerm_virtual_network", Kind.NETWORK),
            new Family("azurerm_subnet", Kind.NETWORK),
            new Family("azurerm_public_ip", Kind.NETWORK),
            // Vultr, Linode
            new Family("vultr_firewall_group", Kind.FIREWALL),
            new Family("vultr_firewall_rule", Kind.FIREWALL),
            new Family("vultr_vpc", Kind.NETWORK),
            new Family("linode_firewall", Kind.FIREWALL),
            new Family("linode_vpc", Kind.NETWORK));

    private NetworkResources() {}

    /** FIREWALL or NETWORK for such a resource type; empty for anything else. */
    public static Optional<Kind> kindOf(String type) {
        if (type == null) return Optional.empty();
        return FAMILIES.stream().filter(f -> f.matches(type)).map(Family::kind).findFirst();
    }
}
