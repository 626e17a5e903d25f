package dev.basilica.plan;

import dev.basilica.model.Addresses;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One provider-neutral firewall rule: traffic of one protocol and port range between the hosts of one
 * role and one CIDR block, in one direction. Its identity is exactly those fields; {@link #id()} is
 * made from them alone, so adding or removing any other rule, host or source never changes it.
 *
 * @param peer the remote side in canonical CIDR text ({@code 203.0.113.7/32}, {@code 2001:db8::/32})
 * @param fromPort first port; 0 with {@link Protocol#ALL}
 * @param toPort last port; 0 with {@link Protocol#ALL}
 * @param purposes why the rule exists, sorted; several model entries can ask for the same rule
 */
public record FirewallRule(Role role, Direction direction, Protocol protocol, int fromPort, int toPort, String peer,
                           List<String> purposes) {

    public enum Direction {
        INGRESS("in"), EGRESS("out");

        private final String id;

        Direction(String id) {
            this.id = id;
        }

        /** {@code in} or {@code out}. */
        public String id() {
            return id;
        }
    }

    public enum Protocol {
        TCP, UDP, ALL;

        /** {@code tcp}, {@code udp} or {@code all}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Protocol parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** Deterministic order: role, direction, protocol, ports, then peer (IPv4 before IPv6, by address). */
    public static final Comparator<FirewallRule> ORDER = Comparator
            .comparing(FirewallRule::role)
            .thenComparing(FirewallRule::direction)
            .thenComparing(FirewallRule::protocol)
            .thenComparingInt(FirewallRule::fromPort)
            .thenComparingInt(FirewallRule::toPort)
            .thenComparing(FirewallRule::peerCidr, Peers.ORDER);

    public FirewallRule {
        purposes = List.copyOf(purposes);
        if (protocol == Protocol.ALL && (fromPort != 0 || toPort != 0)) {
            throw new IllegalArgumentException("a rule for all protocols has no ports");
        }
        if (protocol != Protocol.ALL && (fromPort < 1 || toPort < fromPort || toPort > 65535)) {
            throw new IllegalArgumentException("bad port range " + fromPort + "-" + toPort);
        }
    }

    /**
     * The rule's stable name: {@code <role>_<in|out>_<protocol>[_<ports>]_<from|to>_<peer>}, e.g.
     * {@code validator_in_tcp_8080_from_any_ipv4}, {@code executor_in_tcp_50051_from_10_0_0_2_32},
     * {@code miner_out_all_to_any_ipv6}. Valid as a Terraform resource name.
     */
    public String id() {
        StringBuilder b = new StringBuilder(role.id()).append('_').append(direction.id()).append('_').append(protocol.id());
        if (protocol != Protocol.ALL) b.append('_').append(portsId("_"));
        b.append(direction == Direction.INGRESS ? "_from_" : "_to_").append(Peers.slug(peer));
        return b.toString();
    }

    /** The identity without the peer: what providers that list several peers in one rule group by. */
    public String serviceKey() {
        StringBuilder b = new StringBuilder(role.id()).append('_').append(direction.id()).append('_').append(protocol.id());
        if (protocol != Protocol.ALL) b.append('_').append(portsId("_"));
        return b.toString();
    }

    /** {@code 22} or {@code 9000<sep>9100}. */
    public String portsId(String separator) {
        return fromPort == toPort ? Integer.toString(fromPort) : fromPort + separator + toPort;
    }

    public boolean singlePort() {
        return fromPort == toPort;
    }

    public boolean ipv6() {
        return peerCidr().ipv6();
    }

    public Addresses.Cidr peerCidr() {
        return Addresses.parseCidr(peer).orElseThrow();
    }

    /** Whether the peer block contains the address (false for text that is not an IP address). */
    public boolean admits(String address) {
        var me = Addresses.parseCidr(address + (Addresses.isIpv4(address) ? "/32" : "/128")).orElse(null);
        return me != null && Addresses.contains(peerCidr(), me);
    }

    /** The purposes as one line of text. */
    public String description() {
        return String.join("; ", purposes);
    }
}
