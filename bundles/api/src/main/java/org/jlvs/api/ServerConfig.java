package org.jlvs.api;

/**
 * A real server of a virtual service as ipvsadm -a/-e sets it.
 *
 * @param upperThreshold -x: no new connections at this many (0 = off)
 * @param lowerThreshold -y: new connections again below this many (0 = 3/4 of upper)
 */
public record ServerConfig(int address, int port, ForwardMethod method, int weight, int upperThreshold,
                           int lowerThreshold) {
    public static final int MAX_WEIGHT = 65535;

    public ServerConfig {
        if (method == null) method = ForwardMethod.MASQ;
        if (port < 0 || port > 65535) throw new IllegalArgumentException("bad port: " + port);
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("bad weight " + weight + ": must be 0.." + MAX_WEIGHT);
        }
        if (upperThreshold < 0 || lowerThreshold < 0) throw new IllegalArgumentException("bad threshold");
    }

    public static ServerConfig of(int address, int port, ForwardMethod method, int weight) {
        return new ServerConfig(address, port, method, weight, 0, 0);
    }

    public ServerConfig withWeight(int newWeight) {
        return new ServerConfig(address, port, method, newWeight, upperThreshold, lowerThreshold);
    }

    /** "a.b.c.d:port" */
    public String endpoint() { return Ip4.toString(address, port); }
}
