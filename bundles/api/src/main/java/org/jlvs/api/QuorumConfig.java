package org.jlvs.api;

/**
 * keepalived's per-virtual-server quorum: the service has quorum while the weights of its live real servers
 * add up to {@code quorum}; it is lost below {@code quorum - hysteresis} and regained at
 * {@code quorum + hysteresis}. While it is lost, the sorry server (if any) takes the traffic in place of the
 * live real servers.
 *
 * @param sorryAddress 0 = no sorry server
 */
public record QuorumConfig(int quorum, int hysteresis, int sorryAddress, int sorryPort) {
    /** keepalived's defaults: quorum 1, hysteresis 0, no sorry server. */
    public static final QuorumConfig DEFAULT = new QuorumConfig(1, 0, 0, 0);

    public QuorumConfig {
        if (quorum < 0) throw new IllegalArgumentException("bad quorum: " + quorum);
        if (hysteresis < 0) throw new IllegalArgumentException("bad hysteresis: " + hysteresis);
        if (sorryPort < 0 || sorryPort > 65535) throw new IllegalArgumentException("bad sorry server port: " + sorryPort);
    }

    public boolean hasSorryServer() { return sorryAddress != 0; }
}
