package dev.basilica.emit.terraform;

import dev.basilica.plan.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Names of Terraform resources and of the cloud objects they create, derived from what a thing is. */
public final class Names {

    private Names() {}

    /** A model name ({@code gpu-h100-1}) as a Terraform resource name ({@code gpu_h100_1}). */
    public static String resource(String modelName) {
        String s = modelName.replace('-', '_').replace('.', '_');
        if (!Character.isLetter(s.charAt(0)) && s.charAt(0) != '_') s = "_" + s;
        return Hcl.identifier(s);
    }

    /** {@code basilica-<env>-<what>}: the cloud-side name of a security group, firewall or tag. */
    public static String cloud(String environment, String what) {
        return "basilica-" + environment + "-" + what;
    }

    /** Resource name of a set of roles: {@code validator_monitoring}. */
    public static String roles(List<Role> roles) {
        return roles.stream().map(Role::id).collect(Collectors.joining("_"));
    }

    /**
     * {@code name} as an RFC 1035 label of at most {@code max} characters (lower-case letters, digits
     * and '-', starting with a letter, not ending with '-'), as GCP requires of firewall names and
     * network tags. Longer names keep their start and end with a digest of the whole, so two long names
     * never collide and the result never changes for the same input.
     */
    public static String label(String name, int max) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-{2,}", "-");
        if (!s.isEmpty() && !Character.isLetter(s.charAt(0))) s = "x-" + s;
        s = s.replaceAll("-+$", "");
        if (s.length() <= max) return s;
        String digest = sha256(name).substring(0, 8);
        String head = s.substring(0, max - digest.length() - 1).replaceAll("-+$", "");
        return head + "-" + digest;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
