package dev.basilica.model;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Strict IP and CIDR parsing that never touches DNS. */
public final class Addresses {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    private static final Pattern PREFIX_LENGTH = Pattern.compile("[0-9]{1,3}");
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

    /** A syntactically valid CIDR block; host bits past the prefix may still be set (see {@link #isNetworkAddress}). */
    public static Optional<Cidr> parseCidr(String v) {
        int slash = v.indexOf('/');
        if (slash < 0) return Optional.empty();
        String addr = v.substring(0, slash);
        String len = v.substring(slash + 1);
        if (!PREFIX_LENGTH.matcher(len).matches()) return Optional.empty();
        int prefix = Integer.parseInt(len);
        if (isIpv4(addr) && prefix <= 32) return Optional.of(new Cidr(addr, prefix, false));
        if (isIpv6(addr) && prefix <= 128) return Optional.of(new Cidr(addr, prefix, true));
        return Optional.empty();
    }

    /** True when the address has no bits set past the prefix (what cloud APIs require). */
    public static boolean isNetworkAddress(Cidr c) {
        return networkAddress(c).address().equals(canonicalAddress(c));
    }

    /** The block {@code c} lies in: its address with every bit past the prefix cleared. */
    public static Cidr networkAddress(Cidr c) {
        byte[] bytes = literal(c.address());
        int bits = bytes.length * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - c.prefix()).subtract(BigInteger.ONE));
        BigInteger network = new BigInteger(1, bytes).and(mask);
        byte[] out = new byte[bytes.length];
        byte[] raw = network.toByteArray();
        int n = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - n, out, out.length - n, n);
        return new Cidr(c.ipv6() ? formatIpv6(out) : formatIpv4(out), c.prefix(), c.ipv6());
    }

    private static String canonicalAddress(Cidr c) {
        byte[] bytes = literal(c.address());
        return c.ipv6() ? formatIpv6(bytes) : formatIpv4(bytes);
    }

    private static byte[] literal(String address) {
        try {
            byte[] b = InetAddress.getByName(address).getAddress();
            if (address.contains(":") && b.length == 4) {
                // ::ffff:a.b.c.d comes back as IPv4; keep it 16 bytes long.
                byte[] v6 = new byte[16];
                v6[10] = (byte) 0xff;
                v6[11] = (byte) 0xff;
                System.arraycopy(b, 0, v6, 12, 4);
                return v6;
            }
            return b;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + address, e);
        }
    }

    private static String formatIpv4(byte[] b) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }

    /** RFC 5952 text: lower-case hex, no leading zeros, the longest run of two or more zero groups as "::". */
    private static String formatIpv6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) bestStart = -1;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /**
     * Why text that looks like an IPv4 address (digits and dots only) is not one, or null when it is one.
     * Leading zeros are refused because some tools read them as octal (010 is 8 to inet_aton).
     */
    static String ipv4Problem(String v) {
        if (isIpv4(v)) return null;
        String[] parts = v.split("\\.", -1);
        if (parts.length != 4) {
            return "an IPv4 address has 4 numbers separated by '.', this has " + parts.length;
        }
        for (String p : parts) {
            if (p.isEmpty()) return "an IPv4 address has 4 numbers separated by '.', one of them is empty";
        }
        for (String p : parts) {
            if (p.length() > 3 || Integer.parseInt(p) > 255) return "'" + p + "' is larger than 255";
        }
        for (String p : parts) {
            if (p.length() > 1 && p.startsWith("0")) {
                return "'" + p + "' has a leading zero, which some tools read as octal";
            }
        }
        return "not an IPv4 address";
    }

    /** {@code v} with the leading zeros of each number removed, when that makes it an IPv4 address. */
    static String withoutLeadingZeros(String v) {
        if (!v.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) return null;
        StringBuilder sb = new StringBuilder();
        for (String p : v.split("\\.")) {
            if (sb.length() > 0) sb.append('.');
            sb.append(Integer.parseInt(p));
        }
        return isIpv4(sb.toString()) ? sb.toString() : null;
    }

    /** Why {@code v} is not a CIDR block of a network; the text completes "'V' is not valid: ". */
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
        return b.length == 4 ? ip : formatIpv6(b); // an IPv4-mapped literal stays as written
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
            return isIp(v) ? "a CIDR block needs a prefix length" : "not a CIDR block";
        }
        String addr = v.substring(0, slash);
        String len = v.substring(slash + 1);
        boolean v4 = isIpv4(addr);
        if (!v4 && !isIpv6(addr)) {
            String why = addr.matches("[0-9.]+") ? ipv4Problem(addr) : null;
            return "'" + addr + "' is not an IP address" + (why != null ? " (" + why + ")" : "");
        }
        int max = v4 ? 32 : 128;
        if (!len.matches("[0-9]{1,3}") || Integer.parseInt(len) > max) {
            return "the prefix length of an " + (v4 ? "IPv4" : "IPv6") + " CIDR block is 0-" + max + ", not '" + len + "'";
        }
        Cidr c = new Cidr(addr, Integer.parseInt(len), !v4);
        if (!isNetworkAddress(c)) {
            return "host bits are set past the /" + c.prefix() + " prefix, which cloud firewalls reject";
        }
        return "not a CIDR block";
    }

    /** The valid CIDR block {@code v} most likely means, or null. */
    static String cidrSuggestion(String v) {
        int slash = v.indexOf('/');
        if (slash < 0) {
            if (isIpv4(v)) return v + "/32";
            if (isIpv6(v)) return v + "/128";
            return null;
        }
        String addr = v.substring(0, slash);
        String len = v.substring(slash + 1);
        if (!isIp(addr)) {
            String fixed = withoutLeadingZeros(addr);
            return fixed != null ? cidrSuggestion(fixed + "/" + len) : null;
        }
        if (!PREFIX_LENGTH.matcher(len).matches()) return null;
        var c = parseCidr(v);
        return c.map(x -> networkAddress(x).toString()).orElse(null);
    }
}
