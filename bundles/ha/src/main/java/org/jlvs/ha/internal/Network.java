package org.jlvs.ha.internal;

import java.io.IOException;

/** What the VRRP thread needs of the host: link states and a channel per instance (a fake in tests). */
interface Network {
    /** Whether the interface exists and its link is up. */
    boolean linkUp(String interfaceName);

    /**
     * Opens the instance's channel: adverts received through {@code filter}, frames sent through the returned
     * binding. Throws with the reason when it cannot (no such interface, no IPv4 address, no capture rights).
     */
    Binding bind(VrrpInstance instance, Counters counters, Runnable wakeup) throws IOException;

    interface Binding extends VrrpInstance.Wire, AutoCloseable {
        /** The adverts' source address (IPv4; 0 for an IPv6 instance). */
        int source();

        /** The high half of an IPv6 instance's link-local source (0 for IPv4). */
        default long sourceHi() {
            return 0;
        }

        default long sourceLo() {
            return 0;
        }

        @Override
        void close();
    }
}
