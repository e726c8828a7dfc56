package org.jlvs.ha.internal;

import org.jlvs.api.Ip6Address;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Ndp;
import org.jlvs.packet.Vrrp;
import org.jlvs.packet.Vrrp6;

/**
 * The frames an IPv6 instance sends, built once and updated in place for each send, as keepalived 2.2.7 sends
 * them: the advert (Ethernet to 33:33:00:00:00:12, IPv6 with traffic class 0xc0 "network control", flow label 0,
 * next header 112, hop limit 255, from the interface's link-local address to ff02::12; then the VRRP message
 * with 16-byte addresses) and one unsolicited Neighbour Advertisement per address (from the address to ff02::1,
 * Override set, Router clear, the target link-layer address option). The source MAC, in the Ethernet header and
 * in the option, is the interface's, or 00:00:5e:00:02:VRID with use_vmac (RFC 5798 §7.3).
 */
final class AdvertFrames6 {
    static final int IP = Ethernet.HEADER_LENGTH;
    static final int VRRP = IP + Ipv6.HEADER_LENGTH;
    private static final int TRAFFIC_CLASS_NETWORK_CONTROL = 0xc0;

    private final byte[] advert;
    private final int advertLength;
    private final byte[] adverts6;
    private final int addressCount;
    private final long sourceHi;
    private final long sourceLo;

    AdvertFrames6(InstanceConfig config, long sourceHi, long sourceLo, long interfaceMac) {
        this.sourceHi = sourceHi;
        this.sourceLo = sourceLo;
        Ip6Address[] addresses = config.addresses6();
        addressCount = addresses.length;
        long mac = config.useVmac() ? Vrrp6.virtualMac(config.vrid()) : interfaceMac;
        long[] hi = new long[addressCount];
        long[] lo = new long[addressCount];
        for (int i = 0; i < addressCount; i++) {
            hi[i] = addresses[i].hi();
            lo[i] = addresses[i].lo();
        }
        int vrrpLength = Vrrp6.length(addressCount);
        advertLength = VRRP + vrrpLength;
        advert = new byte[advertLength];
        Ethernet.writeHeader(advert, 0, Vrrp6.GROUP_MAC, mac, Ethernet.TYPE_IPV6);
        Ipv6.writeHeader(advert, IP, TRAFFIC_CLASS_NETWORK_CONTROL, 0, vrrpLength, Vrrp.PROTO_VRRP, Vrrp6.HOP_LIMIT,
                sourceHi, sourceLo, Vrrp6.GROUP_HI, Vrrp6.GROUP_LO);
        Vrrp6.writeAdvertisement(advert, VRRP, config.vrid(), config.priority(), config.advertCentis(), hi, lo,
                addressCount, sourceHi, sourceLo, Vrrp6.GROUP_HI, Vrrp6.GROUP_LO);
        adverts6 = new byte[Ndp.ADVERTISEMENT_FRAME_LENGTH * addressCount];
        for (int i = 0; i < addressCount; i++) {
            Ndp.writeUnsolicitedAdvertisementFrame(adverts6, i * Ndp.ADVERTISEMENT_FRAME_LENGTH, mac, hi[i], lo[i], false);
        }
    }

    /** Makes the advert frame carry {@code priority} (its checksum anew). */
    void prepare(int priority) {
        Vrrp6.setPriority(advert, VRRP, priority, sourceHi, sourceLo, Vrrp6.GROUP_HI, Vrrp6.GROUP_LO);
    }

    byte[] advert() {
        return advert;
    }

    int advertLength() {
        return advertLength;
    }

    /** The Neighbour Advertisements, {@link Ndp#ADVERTISEMENT_FRAME_LENGTH} bytes each. */
    byte[] neighbourAdverts() {
        return adverts6;
    }

    int neighbourAdvertCount() {
        return addressCount;
    }
}
