package org.jlvs.api;

import java.util.Objects;

/**
 * Identity of a virtual service: protocol, virtual IPv4 address and port (ipvsadm's {@code -t|-u VIP:PORT}).
 * Port 0 stands for "all ports" and is only valid for persistent services.
 */
public final class ServiceKey implements Comparable<ServiceKey> {
    private final Protocol protocol;
    private final int address;
    private final int port;

    public ServiceKey(Protocol protocol, int address, int port) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("bad port: " + port);
        this.address = address;
        this.port = port;
    }

    /** Parses "VIP:PORT" (port required) as ipvsadm's -t/-u argument. */
    public static ServiceKey parse(Protocol protocol, String text) {
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

    public Protocol protocol() { return protocol; }
    public int address() { return address; }
    public int port() { return port; }

    /** A packed form for allocation-free lookups: address, port and protocol number in one long. */
    public long packed() { return pack(protocol.number(), address, port); }

    public static long pack(int protocolNumber, int address, int port) {
        return ((address & 0xffffffffL) << 32) | ((long) (port & 0xffff) << 16) | (protocolNumber & 0xff);
    }

    /** "TCP 10.0.0.1:80" */
    @Override
    public String toString() { return protocol.label() + " " + Ip4.toString(address, port); }

    /** The ipvsadm option form: "-t 10.0.0.1:80". */
    public String toIpvsadm() { return protocol.ipvsadmFlag() + " " + Ip4.toString(address, port); }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ServiceKey)) return false;
        ServiceKey k = (ServiceKey) o;
        return protocol == k.protocol && address == k.address && port == k.port;
    }

    @Override
    public int hashCode() { return Long.hashCode(packed()); }

    /** ipvsadm's sort order: protocol, then address, then port. */
    @Override
    public int compareTo(ServiceKey o) {
        int c = Integer.compare(protocol.number(), o.protocol.number());
        if (c == 0) c = Integer.compareUnsigned(address, o.address);
        if (c == 0) c = Integer.compare(port, o.port);
        return c;
    }
}
