package org.jlvs.api;

/** IPVS packet-forwarding methods (conn flags IP_VS_CONN_F_FWD_MASK), named as ipvsadm prints them. */
public enum ForwardMethod {
    MASQ("masq", "Masq", "-m"),
    ROUTE("route", "Route", "-g"),
    TUNNEL("tunnel", "Tunnel", "-i");

    private final String id;
    private final String label;
    private final String ipvsadmFlag;

    ForwardMethod(String id, String label, String ipvsadmFlag) {
        this.id = id;
        this.label = label;
        this.ipvsadmFlag = ipvsadmFlag;
    }

    /** Value of the {@code lvs.forward} service property of the Forwarder that implements this method. */
    public String id() { return id; }

    /** The Forward column of {@code ipvsadm -L}. */
    public String label() { return label; }

    /** The ipvsadm option (-m, -g, -i). */
    public String ipvsadmFlag() { return ipvsadmFlag; }

    public static ForwardMethod ofId(String id) {
        for (ForwardMethod m : values()) {
            if (m.id.equals(id)) return m;
        }
        return null;
    }
}
