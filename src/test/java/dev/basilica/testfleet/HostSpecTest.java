package dev.basilica.testfleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostSpecTest {

  @Test
  void turnsIntoSystemdNspawnOptionsInAStableOrder() {
    HostSpec spec = HostSpec.named("miner-1")
        .setenv("B", "2")
        .capability("CAP_SYS_ADMIN")
        .bindReadOnly(Path.of("/srv/b"), "/opt/b")
        .bind(Path.of("/srv/data"), "/var/lib/data")
        .capability("CAP_NET_ADMIN")
        .bindReadOnly(Path.of("/srv/a"), "/opt/a")
        .setenv("A", "1");
    assertEquals(List.of(
        "--capability=CAP_NET_ADMIN", "--capability=CAP_SYS_ADMIN",
        "--bind=/srv/data:/var/lib/data",
        "--bind-ro=/srv/a:/opt/a", "--bind-ro=/srv/b:/opt/b",
        "--setenv=A=1", "--setenv=B=2"), spec.nspawnOptions());
  }

  @Test
  void rejectsWhatWouldBreakNamesOrOptions() {
    assertThrows(IllegalArgumentException.class, () -> HostSpec.named("Alpha"));
    assertThrows(IllegalArgumentException.class, () -> HostSpec.named("a_b"));
    assertThrows(IllegalArgumentException.class, () -> HostSpec.named("a-"));
    assertThrows(IllegalArgumentException.class, () -> HostSpec.named("x".repeat(31)));
    assertThrows(IllegalArgumentException.class, () -> HostSpec.named("a").capability("NET_ADMIN"));
    assertThrows(IllegalArgumentException.class, () -> HostSpec.named("a").bind(Path.of("/x"), "relative"));
    assertThrows(IllegalArgumentException.class, () -> HostSpec.named("a").bind(Path.of("/x:y"), "/y"));
  }
}
