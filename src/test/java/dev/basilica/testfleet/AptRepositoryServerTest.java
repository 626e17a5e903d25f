package dev.basilica.testfleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptRepositoryServerTest {

  @TempDir
  Path dir;
  Path repo;

  @BeforeEach
  void repository() throws IOException {
    repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(repo.resolve("Packages"), "Package: curl\n");
    Files.createDirectories(repo.resolve("pool"));
    Files.writeString(repo.resolve("pool/curl_7.88.1_amd64.deb"), "deb bytes");
    Files.writeString(dir.resolve("secret"), "not served");
    Files.createSymbolicLink(repo.resolve("escape"), dir.resolve("secret"));
  }

  @Test
  void servesFilesInsideTheRepositoryOnly() throws IOException {
    try (AptRepositoryServer server = AptRepositoryServer.start(repo, InetAddress.getLoopbackAddress())) {
      assertEquals("HTTP/1.1 200 OK|Package: curl\n", request(server, "GET", "/Packages"));
      assertEquals("HTTP/1.1 200 OK|deb bytes", request(server, "GET", "/./pool/curl_7.88.1_amd64.deb"));
      assertEquals("HTTP/1.1 404 Not Found|", request(server, "GET", "/InRelease"));
      assertEquals("HTTP/1.1 404 Not Found|", request(server, "GET", "/../secret"));
      assertEquals("HTTP/1.1 404 Not Found|", request(server, "GET", "/pool/../../secret"));
      assertEquals("HTTP/1.1 404 Not Found|", request(server, "GET", "/escape"));
      assertEquals("HTTP/1.1 404 Not Found|", request(server, "GET", "/pool"));
      assertEquals("HTTP/1.1 405 Method Not Allowed|", request(server, "PUT", "/Packages"));
      assertTrue(request(server, "HEAD", "/Packages").startsWith("HTTP/1.1 200 OK|"));
      assertEquals(9, server.served().size());
      assertEquals(new AptRepositoryServer.Served("GET", "/Packages", 200), server.served().get(0));
      assertTrue(server.url().toString().matches("http://127\\.0\\.0\\.1:\\d+/"), server.url().toString());
    }
  }

  @Test
  @Tag("tools")
  void anOverlayAddsPackagesToTheIndexWithoutWritingTheRepository() throws IOException {
    dev.basilica.support.Tools.assume("dpkg-deb", "dpkg");
    Path root = dir.resolve("pkg");
    Files.createDirectories(root.resolve("DEBIAN"));
    Files.writeString(root.resolve("DEBIAN/control"), "Package: extra\nVersion: 1.0\nArchitecture: all\n"
        + "Maintainer: tests <tests@example.invalid>\nDescription: an extra package\n");
    Path deb = dir.resolve("extra_1.0_all.deb");
    Exec.run(Duration.ofSeconds(30), "dpkg-deb", "--root-owner-group", "--build", root.toString(), deb.toString()).orThrow();
    Path overlay = AptOverlay.write(repo, List.of(deb), dir.resolve("overlay"));

    String index = Files.readString(overlay.resolve("Packages"));
    assertTrue(index.startsWith("Package: curl\n\nPackage: extra\n"), index);
    assertTrue(index.contains("\nFilename: ./extra_1.0_all.deb\nSize: " + Files.size(deb) + "\n"), index);
    try (InputStream gz = new GZIPInputStream(Files.newInputStream(overlay.resolve("Packages.gz")))) {
      assertEquals(index, new String(gz.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertTrue(Files.readString(overlay.resolve("Release")).contains("SHA256:\n"));
    assertEquals("Package: curl\n", Files.readString(repo.resolve("Packages")), "the repository is not written");
    try (AptRepositoryServer server = AptRepositoryServer.start(repo, overlay, InetAddress.getLoopbackAddress())) {
      assertEquals("HTTP/1.1 200 OK|" + index, request(server, "GET", "/Packages"));
      assertTrue(request(server, "GET", "/extra_1.0_all.deb").startsWith("HTTP/1.1 200 OK|!<arch>"));
      assertEquals("HTTP/1.1 200 OK|deb bytes", request(server, "GET", "/pool/curl_7.88.1_amd64.deb"));
      assertEquals("HTTP/1.1 404 Not Found|", request(server, "GET", "/../secret"));
    }
  }

  /** A raw HTTP/1.0 request, so the path reaches the server exactly as written; "status|body". */
  private static String request(AptRepositoryServer server, String method, String path) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write((method + " " + path + " HTTP/1.0\r\nHost: test\r\nContent-Length: 0\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String status = response.substring(0, response.indexOf("\r\n"));
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      return status + "|" + body;
    }
  }
}
