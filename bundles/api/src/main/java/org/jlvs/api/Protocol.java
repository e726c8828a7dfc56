package org.jlvs.api;

/** The transport protocols a virtual service can balance, with their IP protocol numbers. */
public enum Protocol {
    TCP(6, "-t", "TCP"),
    UDP(17, "-u", "UDP");

    private final int number;
    private final String ipvsadmFlag;
    private final String label;

    Protocol(int number, String ipvsadmFlag, String label) {
        this.number = number;
        this.ipvsadmFlag = ipvsadmFlag;
        this.label = label;
    }

    /** IP protocol number (6, 17). */
    public int number() { return number; }

    /** The ipvsadm option that names a service of this protocol (-t, -u). */
    public String ipvsadmFlag() { return ipvsadmFlag; }

    /** As ipvsadm prints it in listings ("TCP", "UDP"). */
    public String label() { return label; }

    /** The protocol for an IP protocol number, or null. */
    public static Protocol of(int number) {
        switch (number) {
            case 6: return TCP;
            case 17: return UDP;
            default: return null;
        }
    }
}
