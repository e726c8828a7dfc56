package org.jlvs.ipvsadm;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.Ip4;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;

/**
 * The two address families where the table's and the connections' api keep them apart: an IPv6 real server is
 * deleted by its IPv6 address (its int address is only a fold), and a connection entry's endpoints print as
 * ipvsadm prints them ("10.0.0.1:80", "[2001:db8::1]:80").
 */
public final class Endpoints {
    private Endpoints() {}

    /** Deletes the real server at {@code server}'s address and port, of either family. */
    public static void deleteServer(VirtualServerTable table, ServiceKey service, ServerConfig server) {
        if (server.isIpv6()) table.deleteServer(service, server.address6(), server.port());
        else table.deleteServer(service, server.address(), server.port());
    }

    /** The client's address and port of a connection entry. */
    public static String client(ConnectionInfo c) {
        return c.client6() != null ? c.client6().toString(c.clientPort()) : Ip4.toString(c.clientAddress(), c.clientPort());
    }

    /** The virtual address and port of a connection entry. */
    public static String virtual(ConnectionInfo c) {
        return c.virtual6() != null ? c.virtual6().toString(c.virtualPort())
                : Ip4.toString(c.virtualAddress(), c.virtualPort());
    }

    /** The real server's address and port of a connection entry. */
    public static String server(ConnectionInfo c) {
        return c.server6() != null ? c.server6().toString(c.serverPort()) : Ip4.toString(c.serverAddress(), c.serverPort());
    }

    /** A real server's address alone: "10.0.0.2" or "2001:db8::11". */
    public static String address(ServerConfig s) {
        return s.isIpv6() ? s.address6().toString() : Ip4.toString(s.address());
    }

    /** A service's virtual address alone: "10.0.0.1" or "2001:db8::1". */
    public static String address(ServiceKey k) {
        return k.isIpv6() ? k.address6().toString() : Ip4.toString(k.address());
    }
}
