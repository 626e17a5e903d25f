package dev.basilica.bench;

import static dev.basilica.support.Repo.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.model.Environment;
import dev.basilica.model.Environment.Host;
import dev.basilica.model.Environment.Role;
import dev.basilica.model.ModelLoader;
import java.nio.file.Files;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FleetModelWriterTest {

    @ParameterizedTest
    @ValueSource(ints = {1000, 10000})
    void committedBenchmarkModelsAreWhatTheCommandWrites(int executors) throws Exception {
        String committed = Files.readString(root().resolve("examples/fleet-" + executors + ".yaml"));
        assertEquals(FleetModelWriter.write("fleet-" + executors, executors), committed,
                "regenerate with: basilica bench model --executors " + executors + " --output examples/fleet-" + executors + ".yaml");
    }

    @Test
    void aSmallFleetIsValidAndVaried() throws Exception {
        Environment env = ModelLoader.parse(FleetModelWriter.write("fleet-600", 600), "fleet-600.yaml").environment();
        assertEquals(600, env.hostsWith(Role.EXECUTOR).size());
        assertEquals(3, env.hostsWith(Role.MINER).size(), "one miner per 250 executors");
        Set<String> models = env.hostsWith(Role.EXECUTOR).stream().flatMap(h -> h.gpus().stream()).map(g -> g.model())
                .collect(Collectors.toSet());
        assertEquals(5, models.size(), models::toString);
        Set<Integer> sshPorts = env.hosts().stream().map(h -> h.ssh().port()).collect(Collectors.toSet());
        assertTrue(sshPorts.size() >= 3, sshPorts::toString);
        Set<Integer> counts = env.hostsWith(Role.EXECUTOR).stream().map(Host::gpuCount).collect(Collectors.toSet());
        assertTrue(counts.size() >= 3, counts::toString);
        assertTrue(env.firewall().validatorSources().size() + env.firewall().sshSources().size() + env.firewall().metricsSources().size() >= 4);
        assertTrue(env.hostsWith(Role.EXECUTOR).stream().allMatch(h -> h.miner() != null), "every executor names its miner");
    }

    @Test
    void isDeterministic() {
        assertEquals(FleetModelWriter.write("f", 300), FleetModelWriter.write("f", 300));
    }
}
