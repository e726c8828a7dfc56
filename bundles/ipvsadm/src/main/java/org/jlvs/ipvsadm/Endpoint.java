package org.jlvs.ipvsadm;

import org.jlvs.api.Ip4;

/** An IPv4 address and port as given to {@code -r}. */
public record Endpoint(int address, int port) {
    /** "a.b.c.d:port" */
    @Override
    public String toString() { return Ip4.toString(address, port); }
}
