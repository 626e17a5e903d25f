package dev.basilica.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's endpoints served by child processes ({@link LoopbackEndpoints#main}), each with at
 * most {@code perProcess} listeners: the listeners then count against the children's descriptor limits,
 * and the prober's own descriptors are only what the engine opens, as on a real control machine.
 */
final class EndpointProcesses implements AutoCloseable {

    private final List<Process> children = new ArrayList<>();
    private final List<LoopbackEndpoints.Endpoint> endpoints = new ArrayList<>();
    private int listeners;

    static EndpointProcesses start(int n, int perProcess) throws IOException {
        EndpointProcesses p = new EndpointProcesses();
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classPath = System.getProperty("java.class.path");
            // Every 10 endpoints hold 6 listeners; give each child a share that stays under its limit.
            int step = Math.max(10, perProcess / 6 * 10);
            for (int from = 0; from < n; from += step) {
                int count = Math.min(step, n - from);
                Process child = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp", classPath,
                        LoopbackEndpoints.class.getName(), Integer.toString(from), Integer.toString(count))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                p.children.add(child);
            }
            for (Process child : p.children) p.read(child);
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void read(Process child) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.equals("READY")) return;
            String[] f = line.split(" ");
            LoopbackEndpoints.Kind kind = LoopbackEndpoints.Kind.valueOf(f[0]);
            if (kind != LoopbackEndpoints.Kind.CLOSED) listeners++;
            endpoints.add(new LoopbackEndpoints.Endpoint(kind, InetAddress.getByName(f[1]), Integer.parseInt(f[2])));
        }
        throw new IOException("an endpoint process ended before it was ready (exit " + exitOf(child) + "); see its error above");
    }

    private static String exitOf(Process p) {
        try {
            return p.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    List<LoopbackEndpoints.Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    int listeners() {
        return listeners;
    }

    int processes() {
        return children.size();
    }

    @Override
    public void close() {
        for (Process c : children) {
            try {
                c.getOutputStream().close();
            } catch (IOException e) {
                // it ends anyway below
            }
        }
        for (Process c : children) {
            try {
                if (!c.waitFor(5, TimeUnit.SECONDS)) {
                    c.destroy();
                    if (!c.waitFor(5, TimeUnit.SECONDS)) c.destroyForcibly();
                }
            } catch (InterruptedException e) {
                c.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
