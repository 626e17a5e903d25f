package dev.basilica.testfleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a directory read-only over HTTP, for apt on the test hosts: GET and HEAD of regular files
 * inside it, 404 for anything else, no listings, no writes. It listens on one address only (the
 * host side of the test network), so nothing outside the test network can reach it.
 */
public final class AptRepositoryServer implements AutoCloseable {

  /** One request as the server answered it, e.g. {@code GET /Packages.gz 200}. */
  public record Served(String method, String path, int status) {}

  private final Path root;
  /** Answered before {@link #root}, or null: see {@link AptOverlay}. */
  private final Path overlay;
  private final HttpServer server;
  private final ExecutorService workers;
  private final ConcurrentLinkedQueue<Served> served = new ConcurrentLinkedQueue<>();

  private AptRepositoryServer(Path root, Path overlay, HttpServer server, ExecutorService workers) {
    this.root = root;
    this.overlay = overlay;
    this.server = server;
    this.workers = workers;
  }

  /** Starts serving {@code root} on {@code address} and a free port. */
  static AptRepositoryServer start(Path root, InetAddress address) throws IOException {
    return start(root, null, address);
  }

  /** Starts serving {@code overlay} over {@code root} (a path in the overlay wins); overlay may be null. */
  static AptRepositoryServer start(Path root, Path overlay, InetAddress address) throws IOException {
    Path realRoot = root.toRealPath();
    Path realOverlay = overlay == null ? null : overlay.toRealPath();
    HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 16);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(4, task -> {
      Thread thread = new Thread(task, "testfleet-apt-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    AptRepositoryServer repository = new AptRepositoryServer(realRoot, realOverlay, server, workers);
    server.createContext("/", repository::handle);
    server.setExecutor(workers);
    server.start();
    return repository;
  }

  /** The repository's base URL, e.g. {@code http://10.200.7.1:41235/}. */
  URI url() {
    InetSocketAddress bound = server.getAddress();
    return URI.create("http://" + bound.getAddress().getHostAddress() + ":" + bound.getPort() + "/");
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Every request answered so far, in order. */
  List<Served> served() {
    return List.copyOf(served);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, method, path, 405);
        return;
      }
      Path file = overlay == null ? null : resolve(overlay, path);
      if (file == null) {
        file = resolve(path);
      }
      if (file == null) {
        respond(exchange, method, path, 404);
        return;
      }
      long size = Files.size(file);
      served.add(new Served(method, path, 200));
      if (method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
      try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
        in.transferTo(out);
      }
    }
  }

  private void respond(HttpExchange exchange, String method, String path, int status)
      throws IOException {
    served.add(new Served(method, path, status));
    exchange.sendResponseHeaders(status, -1);
  }

  /** The regular file a request path names inside the root, or null (also for escapes and links out). */
  Path resolve(String requestPath) {
    return resolve(root, requestPath);
  }

  private static Path resolve(Path root, String requestPath) {
    if (requestPath == null || requestPath.indexOf('\0') >= 0) {
      return null;
    }
    String relative = requestPath.replaceFirst("^/+", "");
    Path candidate = root.resolve(relative).normalize();
    if (!candidate.startsWith(root)) {
      return null;
    }
    try {
      Path real = candidate.toRealPath();
      return real.startsWith(root) && Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) ? real : null;
    } catch (IOException missing) {
      return null;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
