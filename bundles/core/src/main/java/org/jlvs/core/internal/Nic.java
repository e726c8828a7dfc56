package org.jlvs.core.internal;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jlvs.packet.Ethernet;

/**
 * An interface the director may open: its name, MAC, first IPv4 address and prefix (0 when it has none). A
 * value, so that the director's start can be tested without the machine's interfaces.
 */
record Nic(String name, long mac, int address, int prefixLength) {

    /** The interfaces to open, and those named (or none at all) that cannot be: name → why. */
    record Selection(List<Nic> usable, Map<String, String> notUsed) {}

    /**
     * The machine's interfaces that {@code wanted} names (null: every one that is up, except loopback, with a
     * MAC address); each named one that is missing, down or without a MAC is in {@link Selection#notUsed}.
     */
    static Selection select(List<String> wanted) {
        List<Nic> usable = new ArrayList<>();
        Map<String, String> notUsed = new LinkedHashMap<>();
        if (wanted != null && wanted.isEmpty()) return new Selection(usable, notUsed);
        Set<String> missing = wanted == null ? Set.of() : new LinkedHashSet<>(wanted);
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                boolean named = wanted != null && missing.remove(nif.getName());
                byte[] mac = nif.getHardwareAddress();
                boolean ok = nif.isUp() && !nif.isLoopback() && mac != null && mac.length == 6;
                if ((wanted == null || named) && ok) usable.add(of(nif, mac));
                else if (named) notUsed.put(nif.getName(), "interface is down or has no MAC address");
            }
        } catch (SocketException e) {
            notUsed.put(wanted == null ? CoreSettings.ALL : String.join(",", missing), "cannot list interfaces: " + e);
            return new Selection(usable, notUsed);
        }
        for (String name : missing) notUsed.put(name, "no such interface");
        if (wanted == null && usable.isEmpty()) notUsed.put(CoreSettings.ALL, "no interface is up with a MAC address");
        return new Selection(usable, notUsed);
    }

    private static Nic of(NetworkInterface nif, byte[] mac) {
        int address = 0;
        int prefix = 0;
        for (InterfaceAddress a : nif.getInterfaceAddresses()) {
            if (a.getAddress() instanceof Inet4Address) {
                byte[] b = a.getAddress().getAddress();
                address = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
                prefix = a.getNetworkPrefixLength();
                break;
            }
        }
        return new Nic(nif.getName(), Ethernet.mac(mac), address, prefix);
    }
}
