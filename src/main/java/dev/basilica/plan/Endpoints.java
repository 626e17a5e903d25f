package dev.basilica.plan;

import dev.basilica.model.Addresses;

/** host:port and URL forms that put IPv6 literals in brackets. */
public final class Endpoints {

    private Endpoints() {}

    public static String hostPort(String host, int port) {
        return (Addresses.isIpv6(host) ? "[" + host + "]" : host) + ":" + port;
    }

    /** Whether the text is an IPv4 or IPv6 address (not a DNS name). */
    public static boolean isIp(String host) {
        return Addresses.isIp(host);
    }

    public static String url(String scheme, String host, int port) {
        return scheme + "://" + hostPort(host, port);
    }
}
