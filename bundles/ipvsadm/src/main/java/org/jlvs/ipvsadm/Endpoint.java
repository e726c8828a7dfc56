package org.jlvs.ipvsadm;

import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;

/** An IPv4 or IPv6 address and port as given to {@code -r}; {@code address6} is null for IPv4 (and address 0 for IPv6). */
public record Endpoint(int address, int port, Ip6Address address6) {
    /** An IPv4 endpoint. */
    public Endpoint(int address, int port) {
        this(address, port, null);
    }

    public boolean isIpv6() { return address6 != null; }

    /** "a.b.c.d:port" or "[2001:db8::1]:port" */
    @Override
    public String toString() { return address6 != null ? address6.toString(port) : Ip4.toString(address, port); }
}
