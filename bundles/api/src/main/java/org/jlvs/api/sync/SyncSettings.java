package org.jlvs.api.sync;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The settings of one sync daemon, as {@code ipvsadm --start-daemon} takes them: the interface whose own
 * address the master sends from (the backup joins the group on it), the sync id, the multicast group and port,
 * the TTL and the largest datagram payload.
 *
 * @param mcastInterface network interface name (ipvsadm --mcast-interface)
 * @param syncId         0..255 (--syncid; a backup with 0 takes every id)
 * @param group          IPv4 multicast group (--mcast-group), default 224.0.0.81
 * @param port           UDP port 1..65535 (--mcast-port), default 8848
 * @param ttl            1..255 (--mcast-ttl), default 1
 * @param maxLen         largest UDP payload in bytes (--sync-maxlen), 1..65507 for ipvsadm; here at least one
 *                       full entry with options (128) and at most 65507; default 1472 (an Ethernet MTU)
 */
public record SyncSettings(String mcastInterface, int syncId, String group, int port, int ttl, int maxLen) {
    public static final String DEFAULT_GROUP = "224.0.0.81";
    public static final int DEFAULT_PORT = 8848, DEFAULT_TTL = 1, DEFAULT_MAXLEN = 1472;
    /** The smallest sync_maxlen that holds the header and one IPv4 entry with sequence data. */
    public static final int MIN_MAXLEN = 128;
    public static final int MAX_MAXLEN = 65507;

    /** @throws IllegalArgumentException naming the setting and what is wrong with it */
    public SyncSettings {
        if (mcastInterface == null || mcastInterface.isBlank()) {
            throw new IllegalArgumentException("mcast-interface: missing");
        }
        if (mcastInterface.length() > 15 || !mcastInterface.matches("[A-Za-z0-9_.:@-]+")) {
            throw new IllegalArgumentException("mcast-interface: not an interface name: " + mcastInterface);
        }
        if (syncId < 0 || syncId > 255) throw new IllegalArgumentException("syncid: must be 0..255: " + syncId);
        if (group == null) group = DEFAULT_GROUP;
        if (!isMulticast(group)) {
            throw new IllegalArgumentException("mcast-group: not an IPv4 multicast address: " + group);
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("mcast-port: must be 1..65535: " + port);
        if (ttl < 1 || ttl > 255) throw new IllegalArgumentException("mcast-ttl: must be 1..255: " + ttl);
        if (maxLen < MIN_MAXLEN || maxLen > MAX_MAXLEN) {
            throw new IllegalArgumentException("sync-maxlen: must be " + MIN_MAXLEN + ".." + MAX_MAXLEN + ": " + maxLen);
        }
    }

    /** The defaults of ipvsadm for an interface and sync id. */
    public static SyncSettings of(String mcastInterface, int syncId) {
        return new SyncSettings(mcastInterface, syncId, DEFAULT_GROUP, DEFAULT_PORT, DEFAULT_TTL, DEFAULT_MAXLEN);
    }

    private static boolean isMulticast(String text) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) return false;
        try {
            return InetAddress.getByName(text).isMulticastAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** ipvsadm's --daemon line: "mcast=eth0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1". */
    public String describe() {
        return "mcast=" + mcastInterface + ", syncid=" + syncId + ", maxlen=" + maxLen + ", group=" + group
                + ", port=" + port + ", ttl=" + ttl;
    }
}
