package org.jlvs.sync.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.util.function.BooleanSupplier;

import org.jlvs.api.sync.SyncSettings;

/** Test helpers for daemons on the loopback interface: free ports, bounded waits. */
final class Loopback {
    private Loopback() {}

    static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freeTcpPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SyncSettings settings(int syncId, int port) {
        return new SyncSettings("lo", syncId, "224.0.0.81", port, 1, 1472);
    }

    /** Waits until {@code done} holds, at most {@code seconds} (generous: the machine is shared and slow). */
    static boolean await(BooleanSupplier done, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) return false;
            Thread.sleep(20);
        }
        return true;
    }
}
