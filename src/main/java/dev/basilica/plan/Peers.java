package dev.basilica.plan;

import dev.basilica.model.Addresses;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;

/** Canonical CIDR text for firewall peers, and the name fragments made from it. */
public final class Peers {

    private Peers() {}

    /** IPv4 before IPv6, then by numeric address, then by prefix. */
    public static final Comparator<Addresses.Cidr> ORDER = Comparator
            .comparing(Addresses.Cidr::ipv6)
            .thenComparing(c -> numeric(c.address()))
            .thenComparingInt(Addresses.Cidr::prefix);

    /** A CIDR block in canonical text; fails on anything that is not one. */
    public static String canonicalCidr(String cidr) {
        Addresses.Cidr c = Addresses.parseCidr(cidr).orElseThrow(() -> new IllegalArgumentException("not a CIDR block: " + cidr));
        return Addresses.canonical(c);
    }

    /** The single-address block of a literal IP: {@code /32} or {@code /128}. */
    public static String hostCidr(String ip) {
        return Addresses.canonical(ip) + (Addresses.isIpv4(ip) ? "/32" : "/128");
    }

    /**
     * A name fragment for a peer: {@code any_ipv4}, {@code any_ipv6}, {@code 203_0_113_0_24},
     * {@code ipv6_2001_db8__32}. Different blocks give different fragments.
     */
    public static String slug(String canonicalCidr) {
        if (canonicalCidr.equals("0.0.0.0/0")) return "any_ipv4";
        if (canonicalCidr.equals("::/0")) return "any_ipv6";
        String s = canonicalCidr.replace('.', '_').replace(':', '_').replace('/', '_');
        return canonicalCidr.contains(":") ? "ipv6_" + s : s;
    }

    private static BigInteger numeric(String ip) {
        try {
            return new BigInteger(1, InetAddress.getByName(ip).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
