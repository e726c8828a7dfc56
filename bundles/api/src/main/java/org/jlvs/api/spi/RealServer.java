package org.jlvs.api.spi;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.TunnelType;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a scheduler sees of one real server ("destination" in IPVS): its address, weight, connection
 * counts and flags. Counts change under traffic; read each value once per decision.
 */
@ProviderType
public interface RealServer {
    /** The IPv4 address; for an IPv6 server its {@link Ip6Address#fold}, as IPVS's hashes fold it. */
    int address();

    /** The IPv6 address of an IPv6 server, null for an IPv4 one. */
    default Ip6Address address6() {
        return null;
    }

    int port();

    ForwardMethod forwardMethod();

    /** The encapsulation when {@link #forwardMethod()} is {@link ForwardMethod#TUNNEL} (ipvsadm --tun-type). */
    default TunnelType tunnelType() {
        return TunnelType.IPIP;
    }

    /** The UDP destination port of a {@link TunnelType#GUE} tunnel (ipvsadm --tun-port); 0 otherwise. */
    default int tunnelPort() {
        return 0;
    }

    /** 0..65535; 0 = quiesced (no new connections). */
    int weight();

    /**
     * The last weight this server had that was not 0 (0 if it never had one). Maglev (mh) builds its
     * table from it so that a quiesced server keeps its slots, as IPVS's {@code last_weight}.
     */
    int lastWeight();

    /** Connections in an active TCP state (ESTABLISHED, SYN_SENT, SYN_RECV, SYNACK). */
    int activeConns();

    /** All other connections of this server (other TCP states, UDP), without templates. */
    int inactiveConns();

    /** Persistence templates pointing at this server. */
    int persistentConns();

    /** IPVS's IP_VS_DEST_F_OVERLOAD: the upper connection threshold was reached; schedulers skip it. */
    boolean overloaded();

    /** IPVS's {@code ip_vs_dest_conn_overhead}: active * 256 + inactive. */
    default long overhead() {
        return ((long) activeConns() << 8) + inactiveConns();
    }

    /** Whether a scheduler may pick this server for a new connection: weight above 0 and not overloaded. */
    default boolean available() {
        return weight() > 0 && !overloaded();
    }
}
