package dev.basilica.plan;

/**
 * Where a secret lives: exactly one of an environment variable, a file on the controller or a vault
 * path. Never the secret itself. Its components (and so its serialised form) are the model's.
 */
public record SecretReference(String env, String file, String vault) {
    @Override
    public String toString() {
        if (env != null) return "env:" + env;
        if (file != null) return "file:" + file;
        return "vault:" + vault;
    }
}
