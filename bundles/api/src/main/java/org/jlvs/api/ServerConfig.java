package org.jlvs.api;

/**
 * A real server of a virtual service as ipvsadm -a/-e sets it.
 *
 * @param upperThreshold -x: no new connections at this many (0 = off)
 * @param lowerThreshold -y: new connections again below this many (0 = 3/4 of upper)
 * @param tunnelType     --tun-type: the encapsulation when {@code method} is {@link ForwardMethod#TUNNEL}
 *                       (IPIP by default; kept but unused for the other methods)
 * @param tunnelPort     --tun-port: the real server's UDP port for {@link TunnelType#GUE} (required, 1..65535),
 *                       0 for IPIP
 * @param address6       the real server's IPv6 address, null for an IPv4 server; {@code address} is then its
 *                       {@link Ip6Address#fold} (set by the constructor), a near-unique key for code that only
 *                       knows IPv4 addresses: identify an IPv6 server by {@code address6} and port
 */
public record ServerConfig(int address, int port, ForwardMethod method, int weight, int upperThreshold,
                           int lowerThreshold, TunnelType tunnelType, int tunnelPort, Ip6Address address6) {
    public static final int MAX_WEIGHT = 65535;

    public ServerConfig {
        if (address6 != null) address = address6.fold();
        if (method == null) method = ForwardMethod.MASQ;
        if (tunnelType == null) tunnelType = TunnelType.IPIP;
        if (port < 0 || port > 65535) throw new IllegalArgumentException("bad port: " + port);
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("bad weight " + weight + ": must be 0.." + MAX_WEIGHT);
        }
        if (upperThreshold < 0 || lowerThreshold < 0) throw new IllegalArgumentException("bad threshold");
        if (tunnelPort < 0 || tunnelPort > 65535) throw new IllegalArgumentException("bad tunnel port: " + tunnelPort);
        // IPVS refuses a GUE destination without a port (ip_vs_ctl.c): there is nothing to send to
        if (tunnelType == TunnelType.GUE && tunnelPort == 0) {
            throw new IllegalArgumentException("a GUE tunnel needs a port (--tun-port 1..65535)");
        }
    }

    /** An IPv4 server. */
    public ServerConfig(int address, int port, ForwardMethod method, int weight, int upperThreshold,
                        int lowerThreshold, TunnelType tunnelType, int tunnelPort) {
        this(address, port, method, weight, upperThreshold, lowerThreshold, tunnelType, tunnelPort, null);
    }

    /** A server without tunnel settings (IPIP, no port): the form every method but GUE tunnelling needs. */
    public ServerConfig(int address, int port, ForwardMethod method, int weight, int upperThreshold,
                        int lowerThreshold) {
        this(address, port, method, weight, upperThreshold, lowerThreshold, TunnelType.IPIP, 0);
    }

    public static ServerConfig of(int address, int port, ForwardMethod method, int weight) {
        return new ServerConfig(address, port, method, weight, 0, 0);
    }

    /** An IPv6 server without thresholds or tunnel settings. */
    public static ServerConfig of(Ip6Address address, int port, ForwardMethod method, int weight) {
        return new ServerConfig(0, port, method, weight, 0, 0, TunnelType.IPIP, 0, address);
    }

    /** Whether this is an IPv6 real server. */
    public boolean isIpv6() { return address6 != null; }

    /** Whether this server is the one at {@code other}'s address and port (both families). */
    public boolean sameEndpoint(ServerConfig other) {
        return port == other.port && address == other.address && java.util.Objects.equals(address6, other.address6);
    }

    /** A tunnelled server (ipvsadm -i) with the given encapsulation. */
    public static ServerConfig tunnel(int address, int port, int weight, TunnelType type, int tunnelPort) {
        return new ServerConfig(address, port, ForwardMethod.TUNNEL, weight, 0, 0, type, tunnelPort);
    }

    public ServerConfig withWeight(int newWeight) {
        return new ServerConfig(address, port, method, newWeight, upperThreshold, lowerThreshold, tunnelType,
                tunnelPort, address6);
    }

    /** "a.b.c.d", or "2001:db8::1" */
    public String addressText() { return address6 != null ? address6.toString() : Ip4.toString(address); }

    /** "a.b.c.d:port", or "[2001:db8::1]:port" */
    public String endpoint() { return address6 != null ? address6.toString(port) : Ip4.toString(address, port); }
}
