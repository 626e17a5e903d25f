package dev.basilica.cli;

import java.nio.file.Path;

/**
 * Where the project lives: {@code environments/}, {@code out/}, {@code state/}. {@code BASILICA_HOME} when set (the
 * wrapper scripts set it to the repository root), else the current directory. Relative paths the
 * user types ({@code --file}, {@code --out}) are taken relative to the current directory.
 */
public record Workspace(Path home, Path cwd) {

    /** The model of environment NAME: {@code environments/NAME.yaml} (not a service's {@code /etc/basilica/SERVICE.env}). */
    public Path modelFile(String name) {
        return home.resolve("environments").resolve(name + ".yaml");
    }

    public Path defaultOut(String env) {
        return home.resolve("out").resolve(env);
    }

    /**
     * The environment's operational state: Terraform state, known hosts, reports and the operation log.
     * Not generated output, so outside {@code out/}: no regeneration ever replaces it.
     */
    public Path stateDir(String env) {
        return stateRoot().resolve(env);
    }

    public Path stateRoot() {
        return home.resolve("state");
    }

    public Path userPath(String p) {
        return cwd.resolve(p).normalize();
    }

    /** How to name a file in messages and headers: relative to the home when inside it, never a machine path. */
    public String display(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path h = home.toAbsolutePath().normalize();
        if (abs.startsWith(h)) return h.relativize(abs).toString().replace('\\', '/');
        return abs.getFileName().toString();
    }
}
