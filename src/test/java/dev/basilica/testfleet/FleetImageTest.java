package dev.basilica.testfleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetImageTest {

  @TempDir
  Path cache;

  @Test
  void readsThePathsTheBuildScriptPrints() throws IOException {
    Files.createDirectories(cache.resolve("rootfs/etc"));
    Files.createDirectories(cache.resolve("repo"));
    Files.writeString(cache.resolve("repo/Packages"), "");
    FleetImage image = FleetImage.parse("progress\nKEY=0123abcd\nROOTFS=" + cache.resolve("rootfs")
        + "\nREPO=" + cache.resolve("repo") + "\n");
    assertEquals(new FleetImage("0123abcd", cache.resolve("rootfs"), cache.resolve("repo")), image);
  }

  @Test
  void refusesIncompleteOutput() {
    assertThrows(IOException.class, () -> FleetImage.parse("KEY=1\n"));
    assertThrows(IOException.class, () -> FleetImage.parse(
        "KEY=1\nROOTFS=" + cache.resolve("none") + "\nREPO=" + cache.resolve("none") + "\n"));
  }

  @Test
  void findsTheProjectRoot() throws IOException {
    assertEquals(true, Files.isRegularFile(FleetImage.projectRoot().resolve(FleetImage.SCRIPT)));
  }
}
