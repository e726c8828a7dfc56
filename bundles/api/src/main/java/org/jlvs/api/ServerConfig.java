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
 */
public record ServerConfig(int address, int port, ForwardMethod method, int weight, int upperThreshold,
                           int lowerThreshold, TunnelType tunnelType, int tunnelPort) {
    public static final int MAX_WEIGHT = 65535;

    public ServerConfig {
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

    /** A server without tunnel settings (IPIP, no port): the form every method but GUE tunnelling needs. */
    public ServerConfig(int address, int port, ForwardMethod method, int weight, int upperThreshold,
                        int lowerThreshold) {
        this(address, port, method, weight, upperThreshold, lowerThreshold, TunnelType.IPIP, 0);
    }

    public static ServerConfig of(int address, int port, ForwardMethod method, int weight) {
        return new ServerConfig(address, port, method, weight, 0, 0);
    }

    /** A tunnelled server (ipvsadm -i) with the given encapsulation. */
    public static ServerConfig tunnel(int address, int port, int weight, TunnelType type, int tunnelPort) {
        return new ServerConfig(address, port, ForwardMethod.TUNNEL, weight, 0, 0, type, tunnelPort);
    }

    public ServerConfig withWeight(int newWeight) {
        return new ServerConfig(address, port, method, newWeight, upperThreshold, lowerThreshold, tunnelType,
                tunnelPort);
    }

    /** "a.b.c.d:port" */
    public String endpoint() { return Ip4.toString(address, port); }
}
