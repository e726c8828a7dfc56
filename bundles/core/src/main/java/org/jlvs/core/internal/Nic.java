package org.jlvs.core.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
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

import org.jlvs.packet.Bytes;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Ipv6;

/**
 * An interface the director may open: its name, MAC, first IPv4 address and prefix (0 when it has none), its
 * first global IPv6 address and prefix and its link-local IPv6 address (halves 0 when it has none). A value, so
 * that the director's start can be tested without the machine's interfaces.
 */
record Nic(String name, long mac, int address, int prefixLength, long address6Hi, long address6Lo, int prefix6,
           long linkLocalHi, long linkLocalLo) {

    /** An interface without IPv6 addresses. */
    Nic(String name, long mac, int address, int prefixLength) {
        this(name, mac, address, prefixLength, 0, 0, 0, 0, 0);
    }

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
        long hi = 0, lo = 0, llHi = 0, llLo = 0;
        int prefix6 = 0;
        for (InterfaceAddress a : nif.getInterfaceAddresses()) {
            if (!(a.getAddress() instanceof Inet6Address)) continue;
            byte[] b = a.getAddress().getAddress();
            long h = Bytes.i64(b, 0), l = Bytes.i64(b, 8);
            if (Ipv6.isLinkLocal(h)) {
                if (llHi == 0 && llLo == 0) {
                    llHi = h;
                    llLo = l;
                }
            } else if (hi == 0 && lo == 0 && !Ipv6.isMulticast(h) && !Ipv6.isLoopback(h, l)) {
                hi = h;
                lo = l;
                prefix6 = a.getNetworkPrefixLength();
            }
        }
        return new Nic(nif.getName(), Ethernet.mac(mac), address, prefix, hi, lo, prefix6, llHi, llLo);
    }
}
