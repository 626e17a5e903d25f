package dev.basilica.model;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Shapes a string field must have. Each check returns the reason a value is wrong, or empty when it
 * is fine; the reason completes "'VALUE' is not ...".
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

    private final String description;

    Format(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Empty when {@code v} has this format. */
    public boolean accepts(String v) {
        return switch (this) {
            case NONE -> true;
            case NAME -> NAME_RE.matcher(v).matches() && !v.endsWith("-");
            case USER -> USER_RE.matcher(v).matches();
            case IP -> Addresses.isIp(v);
            case HOST -> Addresses.isIp(v) || isHostname(v);
            case CIDR -> Addresses.parseCidr(v).isPresent();
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

    /** Why {@code v} is not of this format, for a message; empty when it is. */
    public Optional<String> problem(String v) {
        if (accepts(v)) return Optional.empty();
        if (this == CIDR) return Optional.of(Addresses.cidrProblem(v));
        if (this == WS_URL && v.contains("://")) {
            return Optional.of("the endpoint scheme must be ws:// or wss:// (the chain speaks WebSocket)");
        }
        return Optional.of("expected " + description);
    }

    static boolean isHostname(String v) {
        if (v.isEmpty() || v.length() > 253) return false;
        String h = v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
        String[] labels = h.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL_RE.matcher(label).matches()) return false;
        }
        // A dotted all-numeric name is a malformed IPv4 address, not a host name.
        return !h.matches("[0-9.]+");
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
