package dev.basilica.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExecutorIdsTest {

    @Test
    void isAnRfc4122Version5NameBasedUuid() {
        // Expected values computed independently with Python's uuid.uuid5(namespace, name).
        assertEquals(UUID.fromString("6ff8a675-b14b-575a-9b71-d582e3ecada0"), ExecutorIds.of("development", "dev-local"));
        assertEquals(UUID.fromString("4f2c3d7c-7838-5708-9ee2-a53dee7beeb5"), ExecutorIds.of("production", "gpu-h100-1"));
        UUID id = ExecutorIds.of("staging", "gpu-7");
        assertEquals(5, id.version());
        assertEquals(2, id.variant());
    }

    @Test
    void dependsOnEnvironmentAndHostOnly() {
        assertEquals(ExecutorIds.of("staging", "gpu-1"), ExecutorIds.of("staging", "gpu-1"));
        assertNotEquals(ExecutorIds.of("staging", "gpu-1"), ExecutorIds.of("staging", "gpu-2"));
        assertNotEquals(ExecutorIds.of("staging", "gpu-1"), ExecutorIds.of("production", "gpu-1"));
    }
}
