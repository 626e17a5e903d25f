package dev.basilica.testfleet;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a time limit and keeps what it printed. */
public final class Exec {

  private Exec() {}

  /** What a finished command returned and printed. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

    public boolean ok() {
      return exitCode == 0;
    }

    /** This result, or an exception naming the command, its exit code and its error output. */
    public Result orThrow() throws IOException {
      if (!ok()) {
        throw new IOException(
            String.join(" ", command) + " exited " + exitCode
                + (stderr.isBlank() ? "" : ": " + stderr.strip())
                + (stdout.isBlank() ? "" : "\n" + stdout.strip()));
      }
      return this;
    }
  }

  public static Result run(Duration timeout, String... command) throws IOException {
    return run(timeout, Map.of(), List.of(command));
  }

  public static Result run(Duration timeout, List<String> command) throws IOException {
    return run(timeout, Map.of(), command);
  }

  /** Runs {@code command} with stdin closed; kills it and throws when it runs past {@code timeout}. */
  public static Result run(Duration timeout, Map<String, String> env, List<String> command)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(env);
    long start = System.nanoTime();
    Process process = builder.start();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new IOException(String.join(" ", command) + " ran past " + timeout.toSeconds() + " s");
      }
      return new Result(List.copyOf(command), process.exitValue(), out.get(), err.get(),
          Duration.ofNanos(System.nanoTime() - start));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    } catch (ExecutionException e) {
      throw new IOException("reading the output of " + command.get(0), e.getCause());
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (stream) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        stream.transferTo(bytes);
        result.complete(bytes.toString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        result.completeExceptionally(new UncheckedIOException(e));
      }
    }, "exec-drain");
    reader.setDaemon(true);
    reader.start();
    return result;
  }
}
