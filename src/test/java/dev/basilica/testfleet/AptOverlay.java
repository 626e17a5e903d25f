package dev.basilica.testfleet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Extra {@code .deb} files served with the fleet's local repository, for a test that brings its own
 * package (e.g. a stand-in for one that is not in Debian): a directory holding the extra files and an
 * index ({@code Packages}, {@code Packages.gz}, {@code Release}) of the cached repository's packages plus
 * the extra ones. {@link AptRepositoryServer} answers from it first and from the cached repository
 * otherwise, so the shared cache is never written.
 */
final class AptOverlay {

  private AptOverlay() {}

  /** Writes the overlay for {@code debs} over the repository {@code base} into {@code dir}. */
  static Path write(Path base, List<Path> debs, Path dir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder packages = new StringBuilder(Files.readString(base.resolve("Packages")).stripTrailing());
    for (Path deb : debs) {
      String name = deb.getFileName().toString();
      if (!name.endsWith(".deb") || Files.exists(base.resolve(name))) {
        throw new IllegalArgumentException("not a new .deb for the repository: " + deb);
      }
      Path copy = Files.copy(deb, dir.resolve(name));
      String control = Exec.run(Duration.ofSeconds(30), "dpkg-deb", "-f", copy.toString()).orThrow().stdout();
      byte[] bytes = Files.readAllBytes(copy);
      packages.append("\n\n").append(control.stripTrailing())
          .append("\nFilename: ./").append(name)
          .append("\nSize: ").append(bytes.length)
          .append("\nMD5sum: ").append(digest("MD5", bytes))
          .append("\nSHA256: ").append(digest("SHA-256", bytes));
    }
    byte[] index = packages.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("Packages"), index);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("Packages.gz")))) {
      out.write(index);
    }
    byte[] gz = Files.readAllBytes(dir.resolve("Packages.gz"));
    StringBuilder release = new StringBuilder()
        .append("Architectures: amd64 all\n")
        .append("Date: ").append(ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT))).append('\n')
        .append("Label: basilica-testfleet\nOrigin: basilica-testfleet\n");
    for (String[] sum : List.of(new String[] {"MD5Sum", "MD5"}, new String[] {"SHA256", "SHA-256"})) {
      release.append(sum[0]).append(":\n");
      release.append(String.format(" %s %16d Packages%n", digest(sum[1], index), index.length));
      release.append(String.format(" %s %16d Packages.gz%n", digest(sum[1], gz), gz.length));
    }
    Files.writeString(dir.resolve("Release"), release);
    return dir;
  }

  private static String digest(String algorithm, byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
