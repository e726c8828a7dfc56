package org.jlvs.api;

import java.util.Objects;

/**
 * Identity of a virtual service: protocol, virtual IPv4 or IPv6 address and port (ipvsadm's
 * {@code -t|-u VIP:PORT}, {@code -t [2001:db8::1]:80}), or a firewall mark (ipvsadm's {@code -f MARK}, see
 * {@link #fwmark(int)}). Port 0 stands for "all ports" and is only valid for persistent services.
 */
public final class ServiceKey implements Comparable<ServiceKey> {
    private final Protocol protocol;
    private final int address;
    private final int port;
    /** The firewall mark of a mark service (unsigned, never 0), or 0 for a (protocol, address, port) one. */
    private final int fwmark;
    /** The virtual IPv6 address of an IPv6 service, null for an IPv4 or mark service. */
    private final Ip6Address address6;

    public ServiceKey(Protocol protocol, int address, int port) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("bad port: " + port);
        this.address = address;
        this.port = port;
        this.fwmark = 0;
        this.address6 = null;
    }

    /** An IPv6 service ({@code -t [2001:db8::1]:80}). */
    public ServiceKey(Protocol protocol, Ip6Address address, int port) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("bad port: " + port);
        this.address6 = Objects.requireNonNull(address, "address");
        this.address = 0;
        this.port = port;
        this.fwmark = 0;
    }

    private ServiceKey(int fwmark) {
        // as ipvsadm sets it for -f: a protocol "to a sane value, even though it is not used"
        this.protocol = Protocol.TCP;
        this.address = 0;
        this.port = 0;
        this.fwmark = fwmark;
        this.address6 = null;
    }

    /**
     * The key of a firewall-mark service (ipvsadm -f): it balances every TCP and UDP flow that the mark rules
     * ({@link MarkRule}) give this mark. {@code mark} is an unsigned 32-bit number, 1 to 4294967295.
     */
    public static ServiceKey fwmark(int mark) {
        if (mark == 0) throw new IllegalArgumentException("invalid fwmark value `0' specified");
        return new ServiceKey(mark);
    }

    /** Parses ipvsadm's -f argument (1 to 4294967295), with ipvsadm's message. */
    public static int parseFwmark(String text) {
        try {
            long mark = Long.parseLong(text);
            if (mark > 0 && mark <= 0xffffffffL && !text.startsWith("+")) return (int) mark;
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("invalid fwmark value `" + text + "' specified");
    }

    /** Parses "VIP:PORT" or "[VIP6]:PORT" (port required) as ipvsadm's -t/-u argument. */
    public static ServiceKey parse(Protocol protocol, String text) {
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) throw new IllegalArgumentException("missing port in service address: " + text);
            return new ServiceKey(protocol, Ip6Address.parse(text.substring(1, close)),
                    parsePort(text.substring(close + 2), text));
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("missing port in service address: " + text);
        return new ServiceKey(protocol, Ip4.parse(text.substring(0, colon)), parsePort(text.substring(colon + 1), text));
    }

    public static int parsePort(String text, String whole) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) return port;
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("bad port in address: " + whole);
    }

    /** TCP for a mark service, which balances TCP and UDP alike (see {@link #isFwmark}). */
    public Protocol protocol() { return protocol; }
    /** The virtual IPv4 address; 0 for a mark service and for an IPv6 one (see {@link #address6()}). */
    public int address() { return address; }

    /** The virtual IPv6 address of an IPv6 service, null for any other. */
    public Ip6Address address6() { return address6; }

    /** Whether this is an IPv6 service (IPVS's AF_INET6). */
    public boolean isIpv6() { return address6 != null; }

    /** "10.0.0.1" or "2001:db8::1" ("0.0.0.0" for a mark service). */
    public String addressText() {
        return address6 != null ? address6.toString() : Ip4.toString(address);
    }

    /** "10.0.0.1:80" or "[2001:db8::1]:80"; "FWM 7" for a mark service. */
    public String endpoint() {
        if (fwmark != 0) return "FWM " + fwmarkText();
        return address6 != null ? address6.toString(port) : Ip4.toString(address, port);
    }
    /** 0 for a mark service. */
    public int port() { return port; }

    /** Whether this is a firewall-mark service (ipvsadm -f). */
    public boolean isFwmark() { return fwmark != 0; }

    /** The mark of a mark service (unsigned), 0 for any other. */
    public int fwmark() { return fwmark; }

    /** The mark as ipvsadm prints it: "7". */
    public String fwmarkText() { return Integer.toUnsignedString(fwmark); }

    /**
     * The protocol number that a persistence template of this service carries: IPPROTO_IP (0) for a mark
     * service, whose template covers every protocol and port of the mark, as ip_vs_sched_persist builds
     * {@code <IPPROTO_IP, caddr, 0, fwmark, 0>}; the service's protocol otherwise.
     */
    public int templateProtocol() { return fwmark != 0 ? 0 : protocol.number(); }

    /** The "virtual address" of a persistence template: the mark for a mark service, else the VIP. */
    public int templateAddress() { return fwmark != 0 ? fwmark : address; }

    /**
     * A packed form for allocation-free lookups: address, port and protocol number in one long; a mark
     * service packs as protocol 0 with the mark for the address, which no TCP or UDP key can equal. An IPv6
     * key packs its folded address ({@link Ip6Address#fold}) with bit 8 set, so it never equals an IPv4 or
     * mark key, but two IPv6 keys may pack alike: an index of IPv6 keys compares {@link #address6()} too.
     */
    public long packed() {
        if (fwmark != 0) return pack(0, fwmark, 0);
        if (address6 != null) return pack(protocol.number(), address6.fold(), port) | IPV6_PACKED;
        return pack(protocol.number(), address, port);
    }

    /** The bit {@link #packed()} sets for an IPv6 key. */
    public static final long IPV6_PACKED = 0x100;

    public static long pack(int protocolNumber, int address, int port) {
        return ((address & 0xffffffffL) << 32) | ((long) (port & 0xffff) << 16) | (protocolNumber & 0xff);
    }

    /** "TCP 10.0.0.1:80", "TCP [2001:db8::1]:80", or "FWM 7" */
    @Override
    public String toString() {
        return fwmark != 0 ? endpoint() : protocol.label() + " " + endpoint();
    }

    /** The ipvsadm option form: "-t 10.0.0.1:80", "-t [2001:db8::1]:80", or "-f 7". */
    public String toIpvsadm() {
        return fwmark != 0 ? "-f " + fwmarkText() : protocol.ipvsadmFlag() + " " + endpoint();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ServiceKey)) return false;
        ServiceKey k = (ServiceKey) o;
        return protocol == k.protocol && address == k.address && port == k.port && fwmark == k.fwmark
                && Objects.equals(address6, k.address6);
    }

    @Override
    public int hashCode() {
        return address6 == null ? Long.hashCode(packed()) : Long.hashCode(packed()) * 31 + address6.hashCode();
    }

    /**
     * ipvsadm's sort order (libipvs's ipvs_cmp_services): the mark first, so that (protocol, address, port)
     * services, whose mark is 0, come before the mark services; then the family (IPv4, AF_INET = 2, before
     * IPv6, AF_INET6 = 10), protocol, address and port.
     */
    @Override
    public int compareTo(ServiceKey o) {
        int c = Integer.compareUnsigned(fwmark, o.fwmark);
        if (c == 0) c = Boolean.compare(address6 != null, o.address6 != null);
        if (c == 0) c = Integer.compare(protocol.number(), o.protocol.number());
        if (c == 0) c = Integer.compareUnsigned(address, o.address);
        if (c == 0 && address6 != null) c = address6.compareTo(o.address6);
        if (c == 0) c = Integer.compare(port, o.port);
        return c;
    }
}
