package org.jlvs.ha.internal;

import org.jlvs.packet.Arp;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Vrrp;

/**
 * The frames an instance sends, built once and updated in place for each send: the advert (Ethernet, IPv4 with
 * TOS 0xc0 "network control", TTL 255, protocol 112, no DF, an IP ID counting from 1 as keepalived's does; then
 * the VRRP message) and one gratuitous ARP request per address (sender = target = the address, target MAC
 * broadcast, as keepalived sends them). The source MAC is the interface's, or the virtual router MAC
 * 00:00:5e:00:01:VRID with use_vmac.
 */
final class AdvertFrames {
    static final int IP = Ethernet.HEADER_LENGTH;
    static final int VRRP = IP + Ipv4.MIN_HEADER_LENGTH;
    private static final int TOS_NETWORK_CONTROL = 0xc0;

    private final byte[] advert;
    private final int advertLength;
    private final byte[] garps;
    private final int addressCount;
    private final int source;
    private final boolean pseudoHeader;
    private int ipId;

    AdvertFrames(InstanceConfig config, int source, long interfaceMac) {
        this.source = source;
        this.pseudoHeader = !config.messageOnlyChecksum();
        this.addressCount = config.addresses().length;
        long mac = config.useVmac() ? Vrrp.virtualMac(config.vrid()) : interfaceMac;
        int vrrpLength = Vrrp.length(addressCount);
        advertLength = VRRP + vrrpLength;
        advert = new byte[advertLength];
        Ethernet.writeHeader(advert, 0, Vrrp.GROUP_MAC, mac, Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(advert, IP, TOS_NETWORK_CONTROL, Ipv4.MIN_HEADER_LENGTH + vrrpLength, 0, false, Vrrp.TTL,
                Vrrp.PROTO_VRRP, source, Vrrp.GROUP);
        Vrrp.writeAdvertisement(advert, VRRP, config.vrid(), config.priority(), config.advertCentis(),
                config.addresses(), addressCount, pseudoHeader, source, Vrrp.GROUP);
        garps = new byte[Arp.FRAME_LENGTH * addressCount];
        for (int i = 0; i < addressCount; i++) {
            int a = config.addresses()[i];
            Arp.writeFrame(garps, i * Arp.FRAME_LENGTH, Ethernet.BROADCAST, mac, Arp.REQUEST, mac, a,
                    Ethernet.BROADCAST, a);
        }
    }

    /** Takes the next IP ID (never 0: keepalived skips it, as a raw socket's kernel would fill it in). */
    void nextId() {
        ipId = (ipId + 1) & 0xffff;
        if (ipId == 0) ipId = 1;
    }

    /**
     * Makes the advert frame carry {@code priority} to {@code dst} (the group, or a unicast peer at
     * {@code dstMac}) with the current IP ID; the checksum covers the pseudo-header of that destination.
     */
    void prepare(int priority, int dst, long dstMac) {
        Ethernet.setDst(advert, 0, dstMac);
        Ipv4.setId(advert, IP, ipId);
        Ipv4.setDst(advert, IP, dst);
        Ipv4.updateHeaderChecksum(advert, IP);
        Vrrp.setPriority(advert, VRRP, priority, pseudoHeader, source, dst);
    }

    byte[] advert() {
        return advert;
    }

    int advertLength() {
        return advertLength;
    }

    byte[] garps() {
        return garps;
    }

    int garpCount() {
        return addressCount;
    }
}
