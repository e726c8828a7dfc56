package org.jlvs.sync.internal;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/** A network interface of this host with its (first) IPv4 address and network, as the sync sockets use it. */
record LocalInterface(NetworkInterface nif, Inet4Address address, int prefixLength) {
    /**
     * Looks {@code name} up.
     *
     * @throws IllegalArgumentException "mcast-interface: ..." when there is no such interface, it is down, or it
     *                                  has no IPv4 address (the kernel binds the master to that address too)
     */
    static LocalInterface of(String name) {
        NetworkInterface nif;
        try {
            nif = NetworkInterface.getByName(name);
            if (nif == null) throw new IllegalArgumentException("mcast-interface: no interface " + name);
            if (!nif.isUp()) throw new IllegalArgumentException("mcast-interface: " + name + " is down");
        } catch (SocketException e) {
            throw new IllegalArgumentException("mcast-interface: " + name + ": " + e.getMessage());
        }
        for (InterfaceAddress a : nif.getInterfaceAddresses()) {
            if (a.getAddress() instanceof Inet4Address v4) return new LocalInterface(nif, v4, a.getNetworkPrefixLength());
        }
        throw new IllegalArgumentException("mcast-interface: " + name + " has no IPv4 address");
    }

    /** The interface's own network, as a {@link Cidr}. */
    Cidr network() {
        return new Cidr(Cidr.toInt(address), prefixLength);
    }
}
