package org.jlvs.sync.internal;

import org.jlvs.api.Ip6Address;
import org.jlvs.api.sync.IpvsConn;
import org.jlvs.api.sync.SyncEntry;

/**
 * One IPv6 connection entry of sync protocol v1 (IPVS's {@code struct ip_vs_sync_v6}, type 1, 72 bytes and its
 * options): the three addresses as hi/lo longs (as {@link Ip6Address} holds them), everything else in
 * {@link #fields}, whose int addresses stay 0. The api's {@link SyncEntry} holds IPv4 addresses only, so a
 * backup cannot install these yet: it decodes and counts them. A mutable holder, reused as SyncEntry is.
 */
final class SyncEntry6 {
    /** Protocol, flags, state, ports, fwmark, timeout and options; the int addresses are unused (0). */
    final SyncEntry fields = new SyncEntry();
    long clientHi, clientLo;
    long virtualHi, virtualLo;
    long destHi, destLo;

    /** Sets the fields of an entry without options. */
    SyncEntry6 set(int protocol, int flags, int state, Ip6Address client, int clientPort, Ip6Address virtual,
            int virtualPort, Ip6Address dest, int destPort, int fwmark, int timeout) {
        fields.set(protocol, flags, state, 0, clientPort, 0, virtualPort, 0, destPort, fwmark, timeout);
        clientHi = client.hi();
        clientLo = client.lo();
        virtualHi = virtual.hi();
        virtualLo = virtual.lo();
        destHi = dest.hi();
        destLo = dest.lo();
        return this;
    }

    /** Copies every field of {@code other} into this one. */
    SyncEntry6 copyFrom(SyncEntry6 other) {
        fields.copyFrom(other.fields);
        clientHi = other.clientHi;
        clientLo = other.clientLo;
        virtualHi = other.virtualHi;
        virtualLo = other.virtualLo;
        destHi = other.destHi;
        destLo = other.destLo;
        return this;
    }

    /** "TCP [fd00::50]:40002 -> [fd00::100]:443 -> [fd00::11]:443 state 1 flags 0x2 timeout 900" (logs, tests). */
    @Override
    public String toString() {
        SyncEntry f = fields;
        return (f.protocol == IpvsConn.PROTO_TCP ? "TCP" : f.protocol == IpvsConn.PROTO_UDP ? "UDP" : "proto " + f.protocol)
                + " " + new Ip6Address(clientHi, clientLo).toString(f.clientPort)
                + " -> " + new Ip6Address(virtualHi, virtualLo).toString(f.virtualPort)
                + " -> " + new Ip6Address(destHi, destLo).toString(f.destPort)
                + " state " + f.state + " flags 0x" + Integer.toHexString(f.flags) + " timeout " + f.timeout
                + (f.fwmark != 0 ? " fwmark " + f.fwmark : "") + (f.hasSeq ? " seq" : "");
    }
}
