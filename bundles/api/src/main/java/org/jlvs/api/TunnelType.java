package org.jlvs.api;

/**
 * The encapsulation of a tunnelled real server (ipvsadm {@code -i --tun-type}), named as ipvsadm names it.
 * IPVS also offers GRE, which jlvs does not implement.
 */
public enum TunnelType {
    /** IPv4-in-IPv4 (IP protocol 4), IPVS's default: 20 bytes of overhead. */
    IPIP("ipip", 20),
    /** Generic UDP Encapsulation, version 0 header carrying IPIP, to {@code --tun-port}: 32 bytes of overhead. */
    GUE("gue", 32);

    private final String id;
    private final int overhead;

    TunnelType(String id, int overhead) {
        this.id = id;
        this.overhead = overhead;
    }

    /** The {@code --tun-type} value ("ipip", "gue"). */
    public String id() { return id; }

    /** Bytes the encapsulation adds in front of the inner IPv4 packet (outer IPv4 header included). */
    public int overhead() { return overhead; }

    /** The type named {@code id} (as {@code --tun-type} takes it), or null. */
    public static TunnelType ofId(String id) {
        for (TunnelType t : values()) {
            if (t.id.equals(id)) return t;
        }
        return null;
    }
}
