package dev.basilica.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Shapes a string field must have. {@link #problem} says why a value is wrong, what would be valid and,
 * where an obvious repair exists, which valid value was probably meant.
 */
public enum Format {
    NONE("any text"),
    /** A name usable as a host name label, inventory name and file name. */
    NAME("a name of lower-case letters, digits and '-' (1-63 characters, starting with a letter)"),
    /** A Unix user name. */
    USER("a Unix user name (lower-case letters, digits, '_' and '-', starting with a letter or '_')"),
    IP("an IPv4 or IPv6 address"),
    /** Where something can be reached: an IP address or a DNS host name. */
    HOST("an IP address or a DNS host name"),
    /** A network block: no bits set past the prefix, as cloud firewall APIs require. */
    CIDR("a CIDR block such as 10.0.0.0/8 or 2001:db8::/32"),
    WS_URL("a ws:// or wss:// URL"),
    HTTP_URL("an http:// or https:// URL"),
    GIT_URL("a git URL (https://, ssh:// or git@host:path)"),
    SHA256("a sha256 digest (64 hexadecimal characters)"),
    ENV_VAR("an environment variable name (A-Z, 0-9, _; not starting with a digit)"),
    IDENTIFIER("an Ansible variable name (letters, digits, _; not starting with a digit)"),
    SS58("an SS58 address (48 base58 characters starting with 5)"),
    PATH("a file path"),
    GIT_REF("a git branch, tag or commit"),
    GPU_MODEL("a GPU model name such as H100, H200, A100 or RTX4090 (letters, digits, '-', '_')"),
    DRIVER_BRANCH("an NVIDIA driver branch such as 580 or a full version such as 580.95.05"),
    /** A Terraform version constraint. */
    VERSION_CONSTRAINT("a version constraint such as '>= 1.10.0, < 2.0.0' or '~> 5.100'"),
    /** An id a cloud provider gave a resource. */
    CLOUD_ID("a cloud resource id (letters, digits, '-', '_', '.', ':' and '/')"),
    /** An AWS tag key. */
    TAG_KEY("a tag key (1-128 ASCII characters: letters, digits, spaces and _ . : / = + - @; not starting with aws:)"),
    /** A GCP project id. */
    GCP_PROJECT("a GCP project id (6-30 lower-case letters, digits and '-', starting with a letter)");

    private static final Pattern NAME_RE = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern USER_RE = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern LABEL_RE = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern SHA256_RE = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern ENV_RE = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Pattern IDENT_RE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SS58_RE = Pattern.compile("5[1-9A-HJ-NP-Za-km-z]{47}");
    private static final Pattern GIT_REF_RE = Pattern.compile("[A-Za-z0-9._/-]{1,200}");
    private static final Pattern GPU_RE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");
    private static final Pattern CONSTRAINT_RE = Pattern.compile(
            "\\s*(=|!=|>=|<=|>|<|~>)?\\s*v?[0-9]+(\\.[0-9]+){0,2}(-[0-9A-Za-z.]+)?\\s*"
            + "(,\\s*(=|!=|>=|<=|>|<|~>)?\\s*v?[0-9]+(\\.[0-9]+){0,2}(-[0-9A-Za-z.]+)?\\s*)*");
    private static final Pattern CLOUD_ID_RE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,254}");
    private static final Pattern TAG_KEY_RE = Pattern.compile("[A-Za-z0-9 _.:/=+@-]{1,128}");
    private static final Pattern GCP_PROJECT_RE = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
    private static final Pattern DRIVER_RE = Pattern.compile("[0-9]{3}(\\.[0-9]{1,3}(\\.[0-9]{1,3})?)?");
    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private final String description;

    Format(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** True when {@code v} has this format. */
    public boolean accepts(String v) {
        return switch (this) {
            case NONE -> true;
            case NAME -> NAME_RE.matcher(v).matches() && !v.endsWith("-");
            case USER -> USER_RE.matcher(v).matches();
            case IP -> Addresses.isIp(v);
            case HOST -> Addresses.isIp(v) || isHostname(v);
            case CIDR -> Addresses.parseCidr(v).map(Addresses::isNetworkAddress).orElse(false);
            case WS_URL -> hasSchemeAndHost(v, "ws://", "wss://");
            case HTTP_URL -> hasSchemeAndHost(v, "http://", "https://");
            case GIT_URL -> hasSchemeAndHost(v, "https://", "ssh://", "git://", "file://")
                    || v.matches("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._/~-]+");
            case SHA256 -> SHA256_RE.matcher(v).matches();
            case ENV_VAR -> ENV_RE.matcher(v).matches();
            case IDENTIFIER -> IDENT_RE.matcher(v).matches();
            case SS58 -> SS58_RE.matcher(v).matches();
            case PATH -> !v.isBlank() && v.indexOf('\0') < 0 && v.indexOf('\n') < 0;
            case GIT_REF -> GIT_REF_RE.matcher(v).matches() && !v.contains("..");
            case GPU_MODEL -> GPU_RE.matcher(v).matches();
            case DRIVER_BRANCH -> DRIVER_RE.matcher(v).matches();
            case VERSION_CONSTRAINT -> CONSTRAINT_RE.matcher(v).matches();
            case CLOUD_ID -> CLOUD_ID_RE.matcher(v).matches();
            case TAG_KEY -> TAG_KEY_RE.matcher(v).matches() && !v.startsWith("aws:");
            case GCP_PROJECT -> GCP_PROJECT_RE.matcher(v).matches();
        };
    }

    /**
     * Why {@code v} is not of this format, for a message; empty when it is. The text completes
     * "'VALUE' is not valid: " and reads "what is wrong; what is valid; did you mean".
     */
    public Optional<String> problem(String v) {
        if (accepts(v)) return Optional.empty();
        StringBuilder sb = new StringBuilder();
        String why = reason(v);
        if (why != null) sb.append(why).append("; ");
        sb.append("expected ").append(description);
        String fix = repair(v);
        if (fix != null && !fix.equals(v) && accepts(fix)) sb.append("; did you mean '").append(fix).append("'?");
        return Optional.of(sb.toString());
    }

    /** What exactly is wrong with {@code v}, or null when the description says enough. */
    private String reason(String v) {
        if (v.isEmpty()) return "it is empty";
        return switch (this) {
            case NAME -> nameReason(v);
            case USER -> v.length() > 32 ? "it is longer than 32 characters" : badCharacter(v, "[a-z0-9_-]", "a user name");
            case IP -> v.matches("[0-9.]+") ? Addresses.ipv4Problem(v) : null;
            case HOST -> hostReason(v);
            case CIDR -> Addresses.cidrProblem(v);
            case WS_URL -> v.startsWith("http://") || v.startsWith("https://")
                    ? "the chain speaks WebSocket, not HTTP"
                    : v.contains("://") ? "unsupported scheme '" + v.substring(0, v.indexOf("://") + 3) + "'"
                    : "it has no scheme";
            case HTTP_URL -> v.contains("://") && !v.startsWith("http://") && !v.startsWith("https://")
                    ? "unsupported scheme '" + v.substring(0, v.indexOf("://") + 3) + "'"
                    : !v.contains("://") ? "it has no scheme" : null;
            case SHA256 -> sha256Reason(v);
            case ENV_VAR -> Character.isDigit(v.charAt(0)) ? "it starts with a digit"
                    : !v.equals(v.toUpperCase(Locale.ROOT)) ? "it has lower-case letters"
                    : badCharacter(v, "[A-Z0-9_]", "an environment variable name");
            case IDENTIFIER -> Character.isDigit(v.charAt(0)) ? "it starts with a digit"
                    : badCharacter(v, "[A-Za-z0-9_]", "a variable name");
            case SS58 -> ss58Reason(v);
            default -> null;
        };
    }

    /** The valid value {@code v} most likely means, or null; only offered when it passes {@link #accepts}. */
    private String repair(String v) {
        if (v.isEmpty()) return null;
        return switch (this) {
            case NAME -> v.toLowerCase(Locale.ROOT).replaceAll("[_. ]", "-");
            case USER -> v.toLowerCase(Locale.ROOT);
            case IP -> Addresses.withoutLeadingZeros(v);
            case HOST -> hostRepair(v);
            case CIDR -> Addresses.cidrSuggestion(v);
            case WS_URL -> v.startsWith("https://") ? "wss://" + v.substring(8)
                    : v.startsWith("http://") ? "ws://" + v.substring(7) : null;
            case SHA256 -> v.regionMatches(true, 0, "sha256:", 0, 7) ? v.substring(7) : null;
            case ENV_VAR -> v.toUpperCase(Locale.ROOT).replaceAll("[-. ]", "_");
            case IDENTIFIER -> v.replaceAll("[-. ]", "_");
            default -> null;
        };
    }

    private static String nameReason(String v) {
        if (v.length() > 63) return "it is longer than 63 characters";
        if (!v.equals(v.toLowerCase(Locale.ROOT))) return "it has upper-case letters";
        if (!Character.isLetter(v.charAt(0))) return "it does not start with a letter";
        if (v.endsWith("-")) return "it ends with '-'";
        return badCharacter(v, "[a-z0-9-]", "a name");
    }

    private static String badCharacter(String v, String allowed, String what) {
        for (int i = 0; i < v.length(); i++) {
            String c = String.valueOf(v.charAt(i));
            if (!c.matches(allowed)) {
                return (c.equals(" ") ? "a space" : "'" + c + "'") + " is not allowed in " + what;
            }
        }
        return null;
    }

    private static String hostReason(String v) {
        if (v.contains("://")) return "give the bare host, not a URL";
        if (v.matches("[0-9.]+")) return Addresses.ipv4Problem(v);
        if (v.contains(":")) {
            if (v.chars().filter(c -> c == ':').count() == 1 && v.matches(".*:[0-9]+")) {
                return "give the address without a port";
            }
            return "not a valid IPv6 address";
        }
        if (v.length() > 253) return "a host name is at most 253 characters long";
        String h = v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
        for (String label : h.split("\\.", -1)) {
            if (label.isEmpty()) return "a host name has no empty labels (no leading dot, no '..')";
            String bad = badCharacter(label, "[A-Za-z0-9-]", "a host name (letters, digits, '-' and '.')");
            if (bad != null) return bad;
            if (label.length() > 63) return "the label '" + label + "' is longer than 63 characters";
            if (label.startsWith("-") || label.endsWith("-")) return "the label '" + label + "' starts or ends with '-'";
        }
        return null;
    }

    private static String hostRepair(String v) {
        if (v.contains("://")) {
            try {
                String host = new URI(v).getHost();
                if (host != null && host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
                return host;
            } catch (URISyntaxException e) {
                return null;
            }
        }
        if (v.matches("[^:]+:[0-9]+")) return v.substring(0, v.indexOf(':'));
        if (v.matches("[0-9.]+")) return Addresses.withoutLeadingZeros(v);
        return v.replace('_', '-');
    }

    private static String sha256Reason(String v) {
        if (v.regionMatches(true, 0, "sha256:", 0, 7)) return "drop the 'sha256:' prefix";
        for (int i = 0; i < v.length(); i++) {
            if (Character.digit(v.charAt(i), 16) < 0) return "'" + v.charAt(i) + "' is not a hexadecimal digit";
        }
        return "it has " + v.length() + " characters, not 64";
    }

    private static String ss58Reason(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (BASE58.indexOf(v.charAt(i)) < 0) return "'" + v.charAt(i) + "' is not a base58 character (base58 has no 0, O, I or l)";
        }
        if (v.length() != 48) return "it has " + v.length() + " characters, not 48";
        return "it does not start with 5 (the Substrate address prefix)";
    }

    static boolean isHostname(String v) {
        if (v.isEmpty() || v.length() > 253) return false;
        String h = v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
        String[] labels = h.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL_RE.matcher(label).matches()) return false;
        }
        // A dotted all-numeric name is a malformed IPv4 address, not a host name.
        return !DIGITS_AND_DOTS.matcher(h).matches();
    }

    private static boolean hasSchemeAndHost(String v, String... schemes) {
        for (String s : schemes) {
            if (v.startsWith(s) && v.length() > s.length()) {
                String rest = v.substring(s.length());
                String hostPort = rest.split("[/?#]", 2)[0];
                if (hostPort.isEmpty()) return s.equals("file://");
                String host = hostPort;
                if (host.startsWith("[")) {
                    int end = host.indexOf(']');
                    return end > 0 && Addresses.isIp(host.substring(1, end));
                }
                int colon = host.lastIndexOf(':');
                if (colon >= 0) {
                    String port = host.substring(colon + 1);
                    if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) return false;
                    host = host.substring(0, colon);
                }
                if (host.contains("@")) host = host.substring(host.indexOf('@') + 1);
                return Addresses.isIp(host) || isHostname(host);
            }
        }
        return false;
    }
}
