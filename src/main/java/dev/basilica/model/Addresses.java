package dev.basilica.model;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Strict IP and CIDR parsing that never touches DNS. */
public final class Addresses {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private Addresses() {}

    public record Cidr(String address, int prefix, boolean ipv6) {
        @Override
        public String toString() {
            return address + "/" + prefix;
        }
    }

    public static boolean isIpv4(String v) {
        return IPV4.matcher(v).matches();
    }

    public static boolean isIpv6(String v) {
        if (!v.contains(":") || !IPV6_CHARS.matcher(v).matches()) return false;
        try {
            // Only literal addresses reach here (checked above), so no lookup happens.
            return InetAddress.getByName(v).getAddress().length == 16 || v.contains("::ffff:");
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public static boolean isIp(String v) {
        return isIpv4(v) || isIpv6(v);
    }

    public static Optional<Cidr> parseCidr(String v) {
        int slash = v.indexOf('/');
        if (slash < 0) return Optional.empty();
        String addr = v.substring(0, slash);
        String len = v.substring(slash + 1);
        if (!len.matches("[0-9]{1,3}")) return Optional.empty();
        int prefix = Integer.parseInt(len);
        if (isIpv4(addr) && prefix <= 32) return Optional.of(new Cidr(addr, prefix, false));
        if (isIpv6(addr) && prefix <= 128) return Optional.of(new Cidr(addr, prefix, true));
        return Optional.empty();
    }

    /** True when the address has no bits set past the prefix (what cloud APIs require). */
    public static boolean isNetworkAddress(Cidr c) {
        try {
            byte[] bytes = InetAddress.getByName(c.address()).getAddress();
            BigInteger value = new BigInteger(1, bytes);
            int bits = bytes.length * 8;
            BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - c.prefix()).subtract(BigInteger.ONE);
            return value.and(hostMask).signum() == 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** True when every address of {@code inner} lies in {@code outer}. */
    public static boolean contains(Cidr outer, Cidr inner) {
        if (outer.ipv6() != inner.ipv6() || inner.prefix() < outer.prefix()) return false;
        BigInteger o = value(outer.address());
        BigInteger i = value(inner.address());
        int bits = outer.ipv6() ? 128 : 32;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - outer.prefix()).subtract(BigInteger.ONE));
        return o.and(mask).equals(i.and(mask));
    }

    /**
     * The canonical text of a literal IP address: IPv4 as given (the parser admits no leading zeros),
     * IPv6 in RFC 5952 form (lower case, no leading zeros, the longest run of two or more zero groups
     * as {@code ::}, the first such run on a tie).
     */
    public static String canonical(String ip) {
        if (isIpv4(ip)) return ip;
        byte[] b;
        try {
            b = InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
        if (b.length == 4) return ip; // an IPv4-mapped literal; leave it as written
        int[] g = new int[8];
        for (int k = 0; k < 8; k++) g[k] = ((b[2 * k] & 0xff) << 8) | (b[2 * k + 1] & 0xff);
        int bestStart = -1;
        int bestLen = 0;
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int start = k;
            while (k < 8 && g[k] == 0) k++;
            if (k - start > bestLen && k - start >= 2) {
                bestStart = start;
                bestLen = k - start;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                out.append("::");
                k += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(g[k]));
        }
        return out.toString();
    }

    /** A CIDR block in canonical text ({@link #canonical(String)} address, then the prefix). */
    public static String canonical(Cidr c) {
        return canonical(c.address()) + "/" + c.prefix();
    }

    private static BigInteger value(String ip) {
        try {
            return new BigInteger(1, InetAddress.getByName(ip).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    static String cidrProblem(String v) {
        int slash = v.indexOf('/');
        if (slash < 0) {
            return isIp(v) ? "a CIDR needs a prefix length; for a single address write " + v + (isIpv4(v) ? "/32" : "/128")
                    : "expected a CIDR block such as 10.0.0.0/8 or 2001:db8::/32";
        }
        String addr = v.substring(0, slash);
        if (isIpv4(addr)) return "the prefix length of an IPv4 CIDR must be 0-32";
        if (isIpv6(addr)) return "the prefix length of an IPv6 CIDR must be 0-128";
        return "'" + addr + "' is not an IP address; expected a CIDR block such as 10.0.0.0/8";
    }
}
