package dev.basilica.emit.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basilica.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every import of a role registers its handlers again, so a play that imports {@code basilica_service} three times
 * restarts an updated service three times for one notification. Each play of the generated rolling update imports
 * each role once (the restart count on booted hosts is a separate, integration matter).
 */
class RollingUpdateHandlersTest {

    @Test
    void eachPlayOfTheRollingUpdateImportsEachRoleOnce() throws IOException {
        List<Object> plays = new Yaml().load(Files.readString(Repo.path("out/development/ansible/rolling-update.yml")));
        assertEquals(3, plays.size());
        for (Object p : plays) {
            Map<?, ?> play = (Map<?, ?>) p;
            Map<String, Integer> imports = new TreeMap<>();
            count(play.get("tasks"), imports);
            assertEquals(Map.of("basilica_service", 1), imports, "role imports in play '" + play.get("name") + "'");
        }
    }

    private static void count(Object tasks, Map<String, Integer> imports) {
        if (!(tasks instanceof List<?> list)) return;
        for (Object t : new ArrayList<>(list)) {
            if (!(t instanceof Map<?, ?> task)) continue;
            for (String module : List.of("ansible.builtin.import_role", "ansible.builtin.include_role", "import_role", "include_role")) {
                if (task.get(module) instanceof Map<?, ?> role) imports.merge(String.valueOf(role.get("name")), 1, Integer::sum);
            }
            for (String nested : List.of("block", "rescue", "always")) count(task.get(nested), imports);
        }
    }
}
