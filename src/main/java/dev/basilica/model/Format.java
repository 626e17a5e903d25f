package dev.basilica.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Shapes a string field must have. {@link #problem} says why a value is wrong, what would be valid and,
 * where an obvious repair exists, which valid value was probably meant.
 */
public enum Format {
    /** A name usable as a host name label, inventory name and file name. */
    NAME("a name of lower-case letters, digits and '-' (1-63 characters, starting with a letter)", 63),
    /** A Unix user name. */
    USER("a Unix user name (lower-case letters, digits, '_' and '-', starting with a letter or '_')", 32),
    IP("an IPv4 or IPv6 address", 64),
    /** Where something can be reached: an IP address or a DNS host name. */
    HOST("an IP address or a DNS host name", 253),
    /** A network block: no bits set past the prefix, as cloud firewall APIs require. */
    CIDR("a CIDR block such as 10.0.0.0/8 or 2001:db8::/32", 64),
    WS_URL("a ws:// or wss:// URL", 2048),
    HTTP_URL("an http:// or https:// URL", 2048),
    GIT_URL("a git URL (https://, ssh://, git:// or user@host:path)", 2048),
    SHA256("a sha256 digest (64 hexadecimal characters)", 128),
    ENV_VAR("an environment variable name (A-Z, 0-9, _; not starting with a digit)", 255),
    IDENTIFIER("an Ansible variable name (letters, digits, _; not starting with a digit)", 255),
    SS58("an SS58 address (48 base58 characters starting with 5)", 128),
    /** A path on the operator's machine. */
    PATH("a file path: absolute, ~/..., or relative, without '..' segments (letters, digits, spaces and . _ - + , @ = : / ~)", 4096),
    GIT_REF("a git branch, tag or commit (letters, digits, '.', '_', '-', '/'; no '..'; not starting with '-' or '/')", 200),
    /** An apt suite, or the path of a flat repository (ending in '/'), as sources.list takes it. */
    APT_SUITE("an apt suite such as bookworm or bookworm-updates, or a flat repository's path ending in '/' such as ./ "
            + "(letters, digits, '.', '_', '-', '/'; no '..')", 100),
    GPU_MODEL("a GPU model name such as H100, H200, A100 or RTX4090 (letters, digits, '-', '_')", 40),
    DRIVER_BRANCH("an NVIDIA driver branch such as 580 or a full version such as 580.95.05", 32),
    /** A Terraform version constraint. */
    VERSION_CONSTRAINT("a version constraint such as '>= 1.10.0, < 2.0.0' or '~> 5.100'", 256),
    /** An id a cloud provider gave a resource. */
    CLOUD_ID("a cloud resource id (letters, digits, '-', '_', '.', ':' and '/')", 255),
    /** An AWS tag key. */
    TAG_KEY("a tag key (1-128 ASCII characters: letters, digits, spaces and _ . : / = + - @; not starting with aws:)", 128),
    /** An AWS tag value. */
    TAG_VALUE("a tag value (at most 256 ASCII characters: letters, digits, spaces and _ . : / = + - @)", 256),
    /** A GCP project id. */
    GCP_PROJECT("a GCP project id (6-30 lower-case letters, digits and '-', starting with a letter)", 30),
    /** A Bittensor wallet or hotkey name: one directory or file name under ~/.bittensor/wallets. */
    WALLET_NAME("a wallet or hotkey name (letters, digits, '_', '-' and '.'; 1-64 characters; not starting with '.')", 64),
    /** systemd's MemoryMax= value. */
    SYSTEMD_SIZE("a systemd size: bytes with an optional K, M, G, T, P or E suffix (such as 512M or 4G), a percentage "
            + "of physical memory from 0% to 100%, or infinity", 32),
    /** journald's SystemMaxUse= value. */
    JOURNAL_SIZE("a size in bytes with an optional K, M, G, T, P or E suffix, such as 512M or 4G", 32),
    /** Free text for people: a description. */
    TEXT("one line of text (at most 256 characters, no control characters, no spaces at either end)", 256),
    /** A cloud region. */
    REGION("a region name such as eu-central-1, europe-west4 or fr-par (lower-case letters, digits and '-'; 2-32 characters)", 32),
    /** A cloud availability zone. */
    ZONE("a zone name such as eu-central-1a or fr-par-1 (lower-case letters, digits and '-'; 2-32 characters)", 32),
    /** An S3 or GCS bucket name. */
    BUCKET("a bucket name (3-222 lower-case letters, digits, '.', '_' and '-', starting and ending with a letter or digit)", 222),
    /** An object key or prefix inside a bucket. */
    OBJECT_KEY("an object key (letters, digits, '.', '_', '-', '=', '+' and '/'; no '..' or empty segments; not starting with '/')", 1024),
    /** A container image reference. */
    DOCKER_IMAGE("an image reference such as ubuntu:22.04 or registry.example.com:5000/team/image:tag@sha256:<64 hex>", 512),
    /** A Cargo feature to enable. */
    CARGO_FEATURE("a Cargo feature name (letters, digits, '_', '-' and '+', or crate/feature)", 64);

    private static final Pattern NAME_RE = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern USER_RE = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern LABEL_RE = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern SHA256_RE = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern ENV_RE = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Pattern IDENT_RE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SS58_RE = Pattern.compile("5[1-9A-HJ-NP-Za-km-z]{47}");
    private static final Pattern APT_SUITE_RE = Pattern.compile("\\./|[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*/?");
    private static final Pattern GIT_REF_RE = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._/-]{0,199}");
    private static final Pattern GPU_RE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");
    private static final Pattern CONSTRAINT_RE = Pattern.compile(
            "\\s*(=|!=|>=|<=|>|<|~>)?\\s*v?[0-9]+(\\.[0-9]+){0,2}(-[0-9A-Za-z.]+)?\\s*"
            + "(,\\s*(=|!=|>=|<=|>|<|~>)?\\s*v?[0-9]+(\\.[0-9]+){0,2}(-[0-9A-Za-z.]+)?\\s*)*");
    private static final Pattern CLOUD_ID_RE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,254}");
    private static final Pattern TAG_KEY_RE = Pattern.compile("[A-Za-z0-9 _.:/=+@-]{1,128}");
    private static final Pattern TAG_VALUE_RE = Pattern.compile("[A-Za-z0-9 _.:/=+@-]{0,256}");
    private static final Pattern GCP_PROJECT_RE = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
    private static final Pattern DRIVER_RE = Pattern.compile("[0-9]{3}(\\.[0-9]{1,3}(\\.[0-9]{1,3})?)?");
    private static final Pattern WALLET_RE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}");
    private static final Pattern BYTES_RE = Pattern.compile("[0-9]{1,20}(\\.[0-9]{1,9})?[KMGTPE]?");
    private static final Pattern PERCENT_RE = Pattern.compile("([0-9]{1,3})(\\.[0-9]{1,3})?%");
    private static final Pattern REGION_RE = Pattern.compile("[a-z][a-z0-9-]{0,30}[a-z0-9]");
    private static final Pattern BUCKET_RE = Pattern.compile("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]");
    private static final Pattern OBJECT_KEY_RE = Pattern.compile("[A-Za-z0-9._=+-]+(/[A-Za-z0-9._=+-]+)*/?");
    private static final Pattern PATH_CHARS = Pattern.compile("[\\p{L}\\p{N} ._/~+,@=:-]*");
    private static final Pattern CARGO_FEATURE_RE = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9_-]*/)?[A-Za-z0-9_][A-Za-z0-9_+-]*");
    private static final Pattern SCP_GIT_RE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~-][A-Za-z0-9._/~-]*");
    /** The docker reference grammar (distribution/reference): [domain[:port]/]path[:tag][@digest]. */
    private static final Pattern DOCKER_IMAGE_RE;

    static {
        String component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
        String domainLabel = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
        String domain = "(?:" + domainLabel + "(?:\\." + domainLabel + ")*|\\[[0-9A-Fa-f:]+\\])(?::[0-9]{1,5})?";
        String name = "(?:" + domain + "/)?" + component + "(?:/" + component + ")*";
        DOCKER_IMAGE_RE = Pattern.compile(name + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");
    }

    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private final String description;
    private final int maxLength;

    Format(String description, int maxLength) {
        this.description = description;
        this.maxLength = maxLength;
    }

    public String description() {
        return description;
    }

    /** The longest value this format accepts, in characters; no format is unbounded. */
    public int maxLength() {
        return maxLength;
    }

    /**
     * True when {@code v} has this format. No format accepts more than {@link #maxLength()} characters or any
     * control or invisible character ({@link DisplayText#isUnsafe}).
     */
    public boolean accepts(String v) {
        return v.length() <= maxLength && DisplayText.firstUnsafe(v) < 0 && hasShape(v);
    }

    private boolean hasShape(String v) {
        return switch (this) {
            case NAME -> NAME_RE.matcher(v).matches() && !v.endsWith("-");
            case USER -> USER_RE.matcher(v).matches();
            case IP -> Addresses.isIp(v);
            case HOST -> Addresses.isIp(v) || isHostname(v);
            case CIDR -> Addresses.parseCidr(v).map(Addresses::isNetworkAddress).orElse(false);
            case WS_URL, HTTP_URL, GIT_URL -> urlProblem(v) == null;
            case SHA256 -> SHA256_RE.matcher(v).matches();
            case ENV_VAR -> ENV_RE.matcher(v).matches();
            case IDENTIFIER -> IDENT_RE.matcher(v).matches();
            case SS58 -> SS58_RE.matcher(v).matches();
            case PATH -> pathProblem(v) == null;
            case GIT_REF -> GIT_REF_RE.matcher(v).matches() && !v.contains("..") && !v.endsWith("/")
                    && !v.endsWith(".lock") && !v.contains("//");
            case APT_SUITE -> APT_SUITE_RE.matcher(v).matches() && !v.contains("..");
            case GPU_MODEL -> GPU_RE.matcher(v).matches();
            case DRIVER_BRANCH -> DRIVER_RE.matcher(v).matches();
            case VERSION_CONSTRAINT -> CONSTRAINT_RE.matcher(v).matches();
            case CLOUD_ID -> CLOUD_ID_RE.matcher(v).matches();
            case TAG_KEY -> TAG_KEY_RE.matcher(v).matches() && !v.startsWith("aws:");
            case TAG_VALUE -> TAG_VALUE_RE.matcher(v).matches();
            case GCP_PROJECT -> GCP_PROJECT_RE.matcher(v).matches();
            case WALLET_NAME -> WALLET_RE.matcher(v).matches();
            case SYSTEMD_SIZE -> v.equals("infinity") || BYTES_RE.matcher(v).matches() || percentProblem(v) == null;
            case JOURNAL_SIZE -> BYTES_RE.matcher(v).matches();
            case TEXT -> !v.isEmpty() && v.equals(v.strip());
            case REGION, ZONE -> REGION_RE.matcher(v).matches() && !v.contains("--");
            case BUCKET -> BUCKET_RE.matcher(v).matches() && !v.contains("..");
            case OBJECT_KEY -> OBJECT_KEY_RE.matcher(v).matches() && !hasDotSegment(v);
            case DOCKER_IMAGE -> DOCKER_IMAGE_RE.matcher(v).matches();
            case CARGO_FEATURE -> CARGO_FEATURE_RE.matcher(v).matches();
        };
    }

    /**
     * An ECMA-262 pattern for JSON Schema: the whole grammar where a regular expression says it, else the
     * rule every format shares (no control characters). The validator's own check is {@link #accepts}.
     */
    public String jsonPattern() {
        String p = switch (this) {
            case NAME -> "[a-z]([a-z0-9-]{0,61}[a-z0-9])?";
            case USER -> USER_RE.pattern();
            case SHA256 -> SHA256_RE.pattern();
            case ENV_VAR -> ENV_RE.pattern();
            case IDENTIFIER -> IDENT_RE.pattern();
            case SS58 -> SS58_RE.pattern();
            case GIT_REF -> GIT_REF_RE.pattern();
            case APT_SUITE -> APT_SUITE_RE.pattern();
            case GPU_MODEL -> GPU_RE.pattern();
            case DRIVER_BRANCH -> DRIVER_RE.pattern();
            case CLOUD_ID -> CLOUD_ID_RE.pattern();
            case TAG_KEY -> TAG_KEY_RE.pattern();
            case TAG_VALUE -> TAG_VALUE_RE.pattern();
            case GCP_PROJECT -> GCP_PROJECT_RE.pattern();
            case WALLET_NAME -> WALLET_RE.pattern();
            case SYSTEMD_SIZE -> "infinity|" + BYTES_RE.pattern() + "|" + PERCENT_RE.pattern();
            case JOURNAL_SIZE -> BYTES_RE.pattern();
            case REGION, ZONE -> REGION_RE.pattern();
            case BUCKET -> BUCKET_RE.pattern();
            case OBJECT_KEY -> OBJECT_KEY_RE.pattern();
            case DOCKER_IMAGE -> DOCKER_IMAGE_RE.pattern();
            case CARGO_FEATURE -> CARGO_FEATURE_RE.pattern();
            default -> "[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*";
        };
        return "^(?:" + p + ")$";
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
        String fix = v.length() > maxLength || DisplayText.firstUnsafe(v) >= 0 ? null : repair(v);
        if (fix != null && !fix.equals(v) && accepts(fix)) sb.append("; did you mean ").append(DisplayText.quoted(fix)).append("?");
        return Optional.of(sb.toString());
    }

    /** What exactly is wrong with {@code v}, or null when the description says enough. */
    private String reason(String v) {
        if (v.isEmpty()) return "it is empty";
        if (v.length() > maxLength) return "it is " + v.length() + " characters long; at most " + maxLength;
        int bad = DisplayText.firstUnsafe(v);
        if (bad >= 0) return DisplayText.nameOf(v, bad) + " at character " + (bad + 1) + " is not allowed";
        return switch (this) {
            case NAME -> nameReason(v);
            case USER -> badCharacter(v, "[a-z0-9_-]", "a user name");
            case IP -> v.matches("[0-9.]+") ? Addresses.ipv4Problem(v) : badCharacter(v, "[0-9A-Fa-f.:]", "an IP address");
            case HOST -> hostReason(v);
            case CIDR -> Addresses.cidrProblem(v);
            case WS_URL, HTTP_URL, GIT_URL -> urlProblem(v);
            case SHA256 -> sha256Reason(v);
            case ENV_VAR -> Character.isDigit(v.charAt(0)) ? "it starts with a digit"
                    : !v.equals(v.toUpperCase(Locale.ROOT)) ? "it has lower-case letters"
                    : badCharacter(v, "[A-Z0-9_]", "an environment variable name");
            case IDENTIFIER -> Character.isDigit(v.charAt(0)) ? "it starts with a digit"
                    : badCharacter(v, "[A-Za-z0-9_]", "a variable name");
            case SS58 -> ss58Reason(v);
            case PATH -> pathProblem(v);
            case GIT_REF -> v.contains("..") ? "'..' is not allowed in a git ref"
                    : v.startsWith("-") ? "it starts with '-' (git would read it as an option)"
                    : badCharacter(v, "[A-Za-z0-9._/-]", "a git ref");
            case APT_SUITE -> v.contains("..") ? "'..' is not allowed in an apt suite"
                    : badCharacter(v, "[A-Za-z0-9._/-]", "an apt suite");
            case GPU_MODEL -> badCharacter(v, "[A-Za-z0-9_-]", "a GPU model name");
            case DRIVER_BRANCH -> badCharacter(v, "[0-9.]", "a driver version");
            case VERSION_CONSTRAINT -> badCharacter(v, "[0-9A-Za-z.,<>=!~ -]", "a version constraint");
            case GCP_PROJECT -> !v.equals(v.toLowerCase(Locale.ROOT)) ? "it has upper-case letters"
                    : badCharacter(v, "[a-z0-9-]", "a GCP project id");
            case CLOUD_ID -> !Character.isLetterOrDigit(v.charAt(0)) ? "it does not start with a letter or digit"
                    : badCharacter(v, "[A-Za-z0-9._:/-]", "a cloud resource id");
            case TAG_KEY, TAG_VALUE -> v.startsWith("aws:") && this == TAG_KEY ? "the aws: prefix is reserved by AWS"
                    : badCharacter(v, "[A-Za-z0-9 _.:/=+@-]", "a tag");
            case WALLET_NAME -> v.indexOf('/') >= 0 ? "'/' is not allowed: a wallet name is one directory name, never a path"
                    : v.startsWith(".") ? "it starts with '.'" + (v.startsWith("..") ? " ('..' leaves the wallets directory)" : "")
                    : badCharacter(v, "[A-Za-z0-9_.-]", "a wallet name");
            case SYSTEMD_SIZE -> v.indexOf('%') >= 0 ? percentProblem(v) : sizeReason(v);
            case JOURNAL_SIZE -> v.indexOf('%') >= 0 ? "a percentage is not a journald size" : sizeReason(v);
            case TEXT -> "it has spaces at the start or the end";
            case REGION, ZONE -> !v.equals(v.toLowerCase(Locale.ROOT)) ? "it has upper-case letters"
                    : badCharacter(v, "[a-z0-9-]", this == REGION ? "a region name" : "a zone name");
            case BUCKET -> !v.equals(v.toLowerCase(Locale.ROOT)) ? "it has upper-case letters"
                    : v.contains("..") ? "'..' is not allowed in a bucket name"
                    : badCharacter(v, "[a-z0-9._-]", "a bucket name");
            case OBJECT_KEY -> hasDotSegment(v) ? "'.' and '..' segments are not allowed in an object key"
                    : v.startsWith("/") ? "it starts with '/'"
                    : v.contains("//") ? "it has an empty segment ('//')"
                    : badCharacter(v, "[A-Za-z0-9._=+/-]", "an object key");
            case DOCKER_IMAGE -> !Character.isLetterOrDigit(v.charAt(0)) ? "it does not start with a letter or digit"
                    : imageRepositoryHasUpperCase(v) ? "a repository name has no upper-case letters"
                    : badCharacter(v, "[a-zA-Z0-9._/:@\\[\\]-]", "an image reference");
            case CARGO_FEATURE -> badCharacter(v, "[A-Za-z0-9_+/-]", "a Cargo feature name");
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
            case SYSTEMD_SIZE, JOURNAL_SIZE -> v.equalsIgnoreCase("infinity") ? "infinity"
                    : v.toUpperCase(Locale.ROOT).replaceAll("(?<=[KMGTPE])I?B$", "").replace(" ", "");
            case TEXT -> v.strip();
            case REGION, ZONE, BUCKET -> v.toLowerCase(Locale.ROOT);
            default -> null;
        };
    }

    /** True when the repository path of an image reference (after a registry, before a tag) has upper case. */
    private static boolean imageRepositoryHasUpperCase(String v) {
        String name = v.contains("@") ? v.substring(0, v.indexOf('@')) : v;
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) name = name.substring(0, colon);
        int slash = name.indexOf('/');
        if (slash > 0) {
            String first = name.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) name = name.substring(slash + 1);
        }
        return !name.equals(name.toLowerCase(Locale.ROOT));
    }

    private static boolean hasDotSegment(String v) {
        for (String segment : v.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) return true;
        }
        return false;
    }

    /** Why {@code v} is not a path for the operator's machine, or null when it is one. */
    private static String pathProblem(String v) {
        if (v.isEmpty()) return "it is empty";
        if (!v.equals(v.strip())) return "it has spaces at the start or the end";
        for (String segment : v.split("/", -1)) {
            if (segment.equals("..")) return "'..' is not allowed in a path";
        }
        if (v.startsWith("~") && !v.startsWith("~/")) return "only ~/ is expanded (not ~user); write the full path";
        if (!PATH_CHARS.matcher(v).matches()) {
            return badCharacter(v, "[\\p{L}\\p{N} ._/~+,@=:-]", "a path");
        }
        return null;
    }

    /** Why a URL of this format is not valid, or null when it is. */
    private String urlProblem(String v) {
        int space = firstWhitespace(v);
        if (space >= 0) return "a space at character " + (space + 1) + " is not allowed in a URL";
        if (this == GIT_URL && !v.contains("://")) {
            return SCP_GIT_RE.matcher(v).matches() ? null : "it has no scheme";
        }
        List<String> schemes = switch (this) {
            case WS_URL -> List.of("ws", "wss");
            case HTTP_URL -> List.of("http", "https");
            default -> List.of("https", "ssh", "git");
        };
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            return "not a URL (" + DisplayText.escape(e.getReason()) + " at character " + (e.getIndex() + 1) + ")";
        }
        String scheme = uri.getScheme();
        if (scheme == null) return "it has no scheme";
        if (!schemes.contains(scheme)) {
            if (this == WS_URL && (scheme.equals("http") || scheme.equals("https"))) return "the chain speaks WebSocket, not HTTP";
            return "unsupported scheme '" + DisplayText.escape(scheme) + "://'";
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) return "it has no host";
        String host = uri.getHost();
        if (host == null) return "'" + DisplayText.escape(uri.getRawAuthority()) + "' is not a host[:port]";
        String user = uri.getRawUserInfo();
        if (user != null) {
            if (this != GIT_URL) return "credentials in a URL are not allowed (they would be copied into generated files)";
            if (user.contains(":")) return "a password in a URL is not allowed (it would be copied into generated files)";
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) return "port " + uri.getPort() + " is out of range 1-65535";
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!Addresses.isIp(bare) && !isHostname(bare)) return "'" + bare + "' is not an IP address or a DNS host name";
        return null;
    }

    private static int firstWhitespace(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (Character.isWhitespace(v.charAt(i)) || Character.isSpaceChar(v.charAt(i))) return i;
        }
        return -1;
    }

    private static String percentProblem(String v) {
        var m = PERCENT_RE.matcher(v);
        if (!m.matches()) return "'%' is only allowed at the end of a percentage such as 50%";
        if (Integer.parseInt(m.group(1)) > 100 || (Integer.parseInt(m.group(1)) == 100 && m.group(2) != null
                && !m.group(2).matches("\\.0+"))) {
            return v + " is more than 100%";
        }
        return null;
    }

    private static String sizeReason(String v) {
        if (v.startsWith("-")) return "a size cannot be negative";
        return badCharacter(v, "[0-9.KMGTPE]", "a size");
    }

    private static String nameReason(String v) {
        if (!v.equals(v.toLowerCase(Locale.ROOT))) return "it has upper-case letters";
        if (!Character.isLetter(v.charAt(0))) return "it does not start with a letter";
        if (v.endsWith("-")) return "it ends with '-'";
        return badCharacter(v, "[a-z0-9-]", "a name");
    }

    private static String badCharacter(String v, String allowed, String what) {
        Pattern ok = Pattern.compile(allowed);
        for (int i = 0; i < v.length(); ) {
            String c = new String(Character.toChars(v.codePointAt(i)));
            if (!ok.matcher(c).matches()) {
                return (c.equals(" ") ? "a space" : DisplayText.quoted(c)) + " is not allowed in " + what;
            }
            i += c.length();
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
