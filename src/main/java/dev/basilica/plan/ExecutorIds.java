package dev.basilica.plan;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Executor ids: name-based UUIDs (RFC 4122 version 5) of the environment and host name, so an executor
 * keeps its id across runs and machines, and the miner's list never changes by accident.
 */
public final class ExecutorIds {

    /** This tool's namespace for executor ids (a fixed random UUID; never change it). */
    static final UUID NAMESPACE = UUID.fromString("9b1f3c2e-5d47-4a8e-b0c6-2f6e8d4a7c15");

    private ExecutorIds() {}

    public static UUID of(String environment, String host) {
        return v5(NAMESPACE, "executor/" + environment + "/" + host);
    }

    static UUID v5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer ns = ByteBuffer.allocate(16);
        ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
        sha1.update(ns.array());
        byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        h[6] = (byte) ((h[6] & 0x0f) | 0x50);
        h[8] = (byte) ((h[8] & 0x3f) | 0x80);
        ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
        return new UUID(b.getLong(), b.getLong());
    }
}
