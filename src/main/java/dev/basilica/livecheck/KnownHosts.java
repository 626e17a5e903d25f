package dev.basilica.livecheck;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys an OpenSSH {@code known_hosts} file (or {@code ssh-keyscan}'s output, which has the same
 * lines) pins for one host: plain host patterns ({@code addr}, {@code [addr]:port}, comma-separated) and
 * hashed ones ({@code |1|salt|hash}). Markers ({@code @revoked}, {@code @cert-authority}) are not pins.
 */
public final class KnownHosts {

    /** A key as {@code type base64}, e.g. {@code ssh-ed25519 AAAAC3...}. */
    public record Key(String type, String base64) {
        @Override
        public String toString() {
            return type + " " + (base64.length() > 24 ? base64.substring(0, 12) + "..." + base64.substring(base64.length() - 8) : base64);
        }
    }

    private KnownHosts() {}

    /** The name OpenSSH looks a host up by: {@code addr} on port 22, else {@code [addr]:port}. */
    public static String lookupName(String address, int port) {
        return port == 22 ? address : "[" + address + "]:" + port;
    }

    /** Every key in {@code text} recorded for {@code address} on {@code port}. */
    public static Set<Key> keysFor(String text, String address, int port) {
        String name = lookupName(address, port);
        Set<Key> out = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("@")) continue;
            String[] f = l.split("\\s+");
            if (f.length < 3) continue;
            if (matches(f[0], name)) out.add(new Key(f[1], f[2]));
        }
        return out;
    }

    private static boolean matches(String patterns, String name) {
        if (patterns.startsWith("|1|")) return hashedMatches(patterns, name);
        for (String p : patterns.split(",")) {
            if (p.equals(name)) return true;
        }
        return false;
    }

    private static boolean hashedMatches(String field, String name) {
        String[] parts = field.split("\\|");
        if (parts.length != 4) return false;
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            byte[] h = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(h).equals(parts[3]);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** Key lines of ssh-keyscan's output for any host (its comment lines dropped). */
    public static List<Key> scanned(String output) {
        List<Key> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] f = l.split("\\s+");
            if (f.length >= 3) out.add(new Key(f[1], f[2]));
        }
        return out;
    }
}
