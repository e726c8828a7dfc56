package org.jlvs.ipvsadm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.SchedulerFlags;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.Stats;
import org.jlvs.api.TunnelType;

/**
 * The text layouts of ipvsadm 1.31 ({@code print_title}, {@code print_service_entry}, {@code print_largenum},
 * {@code print_conn}), reproduced column for column so that scripts written against ipvsadm's output keep
 * working. Addresses are always printed numerically (ipvsadm without -n would resolve names).
 * Every method returns text ending in a newline, except {@link #connection} (one row without it).
 */
public final class IpvsadmFormat {
    private IpvsadmFormat() {}

    /** The first line of a full listing; 1.2.1 is the IPVS version code 0x010201, 4096 its table size. */
    public static final String VERSION_LINE = "IP Virtual Server version 1.2.1 (size=4096)";

    /**
     * ipvsadm cuts the "TCP  addr:port" column at 33 characters and dest names at 28, for IPv4 only: an IPv6
     * name is printed whole, overflowing the padded column ("%-33s", "%-28s") rather than widening it.
     */
    private static final int SERVICE_NAME_MAX = 33;
    private static final int DEST_NAME_MAX = 28;

    private static final int SCHED_FLAGS_MASK = SchedulerFlags.SCHED1 | SchedulerFlags.SCHED2 | SchedulerFlags.SCHED3;

    /** ipvsadm's dest order: address (unsigned, as the bytes compare; IPv6 by its 16 bytes), then port. */
    public static final Comparator<ServerInfo> DEST_ORDER = Comparator
            .comparing((ServerInfo s) -> s.config(), IpvsadmFormat::compareAddresses)
            .thenComparingInt(s -> s.config().port());

    /** Two real servers' addresses in ipvsadm's order (IPv4 before IPv6, each as its bytes compare). */
    static int compareAddresses(ServerConfig a, ServerConfig b) {
        if (a.isIpv6() && b.isIpv6()) return a.address6().compareTo(b.address6());
        if (a.isIpv6() != b.isIpv6()) return Boolean.compare(a.isIpv6(), b.isIpv6());
        return Integer.compareUnsigned(a.address(), b.address());
    }

    /** {@code ipvsadm -L [-n] [view]}: version line, title, then every service with its real servers. */
    public static String list(List<ServiceInfo> services, ListView view, boolean exact) {
        StringBuilder out = new StringBuilder(VERSION_LINE).append('\n').append(title(view));
        for (ServiceInfo service : services) out.append(service(service, view, exact));
        return out.toString();
    }

    /** {@code ipvsadm -L -t|-u VIP:PORT}: like {@link #list} for one service, without the version line. */
    public static String listOne(ServiceInfo service, ListView view, boolean exact) {
        return title(view) + service(service, view, exact);
    }

    /** The two title lines of a listing. */
    public static String title(ListView view) {
        String local = "Prot LocalAddress:Port";
        String remote = "  -> RemoteAddress:Port\n";
        return switch (view) {
            case STATS -> String.format("%-33s %8s %8s %8s %8s %8s\n", local,
                    "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes") + remote;
            case RATE -> String.format("%-33s %8s %8s %8s %8s %8s\n", local,
                    "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS") + remote;
            case THRESHOLDS -> String.format("%-33s %-10s %-10s %-10s %-10s\n", local,
                    "Uthreshold", "Lthreshold", "ActiveConn", "InActConn") + remote;
            case PERSISTENT_CONN -> String.format("%-33s %-9s %-11s %-10s %-10s\n", local,
                    "Weight", "PersistConn", "ActiveConn", "InActConn") + remote;
            case DEFAULT -> "Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
            case TUN_INFO -> "Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n";
        };
    }

    /** One service line followed by its real servers, sorted as ipvsadm sorts them. */
    public static String service(ServiceInfo service, ListView view, boolean exact) {
        StringBuilder out = new StringBuilder(serviceLine(service, view, exact));
        List<ServerInfo> servers = new ArrayList<>(service.servers());
        servers.sort(DEST_ORDER);
        for (ServerInfo server : servers) out.append(serverLine(server, view, exact));
        return out.toString();
    }

    /**
     * The service line. Whether the scheduler is installed is not shown: ipvsadm has no notion of it
     * ({@code lvs:schedulers} lists such services).
     */
    public static String serviceLine(ServiceInfo service, ListView view, boolean exact) {
        ServiceConfig config = service.config();
        String name = serviceName(config);
        Stats st = stats(service.stats());
        return switch (view) {
            case STATS -> String.format("%-33s", name) + largeNumber(st.conns(), exact)
                    + largeNumber(st.inPackets(), exact) + largeNumber(st.outPackets(), exact)
                    + largeNumber(st.inBytes(), exact) + largeNumber(st.outBytes(), exact) + "\n";
            case RATE -> String.format("%-33s", name) + largeNumber(st.cps(), exact)
                    + largeNumber(st.inPps(), exact) + largeNumber(st.outPps(), exact)
                    + largeNumber(st.inBps(), exact) + largeNumber(st.outBps(), exact) + "\n";
            // --thresholds and --persistent-conn keep the default service line, as in ipvsadm
            default -> name + " " + config.scheduler() + flagsAndPersistence(config) + "\n";
        };
    }

    /** One "  -> RIP:PORT ..." line. */
    public static String serverLine(ServerInfo server, ListView view, boolean exact) {
        ServerConfig config = server.config();
        String name = config.isIpv6() ? config.endpoint() : truncate(config.endpoint(), DEST_NAME_MAX);
        Stats st = stats(server.stats());
        return switch (view) {
            case DEFAULT -> String.format("  -> %-28s %-7s %-6d %-10s %-10s\n", name, config.method().label(),
                    config.weight(), unsigned(server.activeConns()), unsigned(server.inactiveConns()));
            case STATS -> String.format("  -> %-28s", name) + largeNumber(st.conns(), exact)
                    + largeNumber(st.inPackets(), exact) + largeNumber(st.outPackets(), exact)
                    + largeNumber(st.inBytes(), exact) + largeNumber(st.outBytes(), exact) + "\n";
            // ipvsadm prints the three per-second rates of a dest with plain %8llu, never with a suffix
            case RATE -> String.format("  -> %-28s %8s %8s %8s", name, Long.toUnsignedString(st.cps()),
                    Long.toUnsignedString(st.inPps()), Long.toUnsignedString(st.outPps()))
                    + largeNumber(st.inBps(), exact) + largeNumber(st.outBps(), exact) + "\n";
            case THRESHOLDS -> String.format("  -> %-28s %-10s %-10s %-10s %-10s\n", name,
                    unsigned(config.upperThreshold()), unsigned(config.lowerThreshold()),
                    unsigned(server.activeConns()), unsigned(server.inactiveConns()));
            case PERSISTENT_CONN -> String.format("  -> %-28s %-9s %-11s %-10s %-10s\n", name,
                    unsigned(config.weight()), unsigned(server.persistentConns()),
                    unsigned(server.activeConns()), unsigned(server.inactiveConns()));
            case TUN_INFO -> String.format("  -> %-28s %-7s %-13s %-6d %-10s %-10s\n", name, config.method().label(),
                    tunnelInfo(config), config.weight(), unsigned(server.activeConns()),
                    unsigned(server.inactiveConns()));
        };
    }

    /**
     * The TunnelInfo column of {@code --tun-info}: "ipip", "gue:PORT:-c" (jlvs sends GUE without a UDP
     * checksum, ipvsadm's --tun-nocsum) for a tunnelled server, "n/a" for the others.
     */
    public static String tunnelInfo(ServerConfig config) {
        if (config.method() != ForwardMethod.TUNNEL) return "n/a";
        return config.tunnelType() == TunnelType.GUE ? "gue:" + config.tunnelPort() + ":-c" : config.tunnelType().id();
    }

    /**
     * ipvsadm's {@code print_largenum}: a 9-wide column; from 10^8 on, the value is divided and shown with a
     * K, M, G or T suffix ({@code %8llu} + letter), unless {@code exact}, which prints every digit and widens
     * the column when needed.
     */
    public static String largeNumber(long value, boolean exact) {
        String digits = Long.toUnsignedString(value);
        if (exact) return digits.length() <= 8 ? pad(digits, 9) : " " + digits;
        if (Long.compareUnsigned(value, 100_000_000L) < 0) return pad(digits, 9);
        if (Long.compareUnsigned(value, 1_000_000_000L) < 0) return suffixed(value, 1_000L, 'K');
        if (Long.compareUnsigned(value, 100_000_000_000L) < 0) return suffixed(value, 1_000_000L, 'M');
        if (Long.compareUnsigned(value, 100_000_000_000_000L) < 0) return suffixed(value, 1_000_000_000L, 'G');
        return suffixed(value, 1_000_000_000_000L, 'T');
    }

    /**
     * The scheduler flags as ipvsadm names them ({@code print_sched_flags}): sh-/mh- names for sh and mh,
     * flag-1..3 for the other schedulers; "" when none is set.
     */
    public static String schedulerFlags(String scheduler, int flags) {
        List<String> names = new ArrayList<>();
        if ("sh".equals(scheduler)) {
            if ((flags & SchedulerFlags.SH_FALLBACK) != 0) names.add("sh-fallback");
            if ((flags & SchedulerFlags.SH_PORT) != 0) names.add("sh-port");
        } else if ("mh".equals(scheduler)) {
            if ((flags & SchedulerFlags.MH_FALLBACK) != 0) names.add("mh-fallback");
            if ((flags & SchedulerFlags.MH_PORT) != 0) names.add("mh-port");
        } else {
            if ((flags & SchedulerFlags.SCHED1) != 0) names.add("flag-1");
            if ((flags & SchedulerFlags.SCHED2) != 0) names.add("flag-2");
            if ((flags & SchedulerFlags.SCHED3) != 0) names.add("flag-3");
        }
        return String.join(",", names);
    }

    /** "TCP  10.0.0.1:80": ipvsadm's {@code "%-4s %s"}, cut at 33 characters. */
    public static String serviceName(ServiceConfig config) {
        if (config.key().isFwmark()) return "FWM  " + config.key().fwmarkText(); // ipvsadm's "FWM  %u"
        String name = String.format("%-4s %s", config.key().protocol().label(), config.key().endpoint());
        return config.key().isIpv6() ? name : truncate(name, SERVICE_NAME_MAX);
    }

    /** {@code ipvsadm -S -n} (ipvsadm-save): one -A line per service and one -a line per real server. */
    public static String rules(List<ServiceInfo> services) {
        StringBuilder out = new StringBuilder();
        for (ServiceInfo service : services) {
            ServiceConfig config = service.config();
            String svc = config.key().toIpvsadm();
            out.append("-A ").append(svc).append(" -s ").append(config.scheduler());
            if (config.persistence() > 0) {
                out.append(" -p ").append(config.persistence());
                String mask = persistenceMask(config);
                if (mask != null) out.append(" -M ").append(mask);
            }
            if ((config.schedulerFlags() & SCHED_FLAGS_MASK) != 0) {
                out.append(" -b ").append(schedulerFlags(config.scheduler(), config.schedulerFlags()));
            }
            out.append('\n');
            List<ServerInfo> servers = new ArrayList<>(service.servers());
            servers.sort(DEST_ORDER);
            for (ServerInfo server : servers) {
                ServerConfig s = server.config();
                out.append("-a ").append(svc).append(" -r ").append(s.endpoint()).append(' ')
                        .append(s.method().ipvsadmFlag()).append(" -w ").append(s.weight());
                // as ipvsadm 1.31 saves a tunnelled server (jlvs sends GUE without checksum: --tun-nocsum)
                if (s.method() == ForwardMethod.TUNNEL) {
                    out.append(" --tun-type ").append(s.tunnelType().id());
                    if (s.tunnelType() == TunnelType.GUE) {
                        out.append(" --tun-port ").append(s.tunnelPort()).append(" --tun-nocsum");
                    }
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** The two title lines of {@code ipvsadm -L -n -c}. */
    public static String connectionsTitle() {
        return "IPVS connection entries\n"
                + String.format("pro expire %-11s %-18s %-18s %s\n", "state", "source", "virtual", "destination");
    }

    /** The titles with an origin column last (lvs:list -c --origin), as /proc/net/ip_vs_conn_sync shows it. */
    public static String connectionsTitle(boolean origin) {
        if (!origin) return connectionsTitle();
        return "IPVS connection entries\n"
                + String.format("pro expire %-11s %-18s %-18s %-18s %s\n", "state", "source", "virtual", "destination",
                "origin");
    }

    /** A row with its origin last: LOCAL (made here) or SYNC (learnt from a peer director). */
    public static String connection(ConnectionInfo c, boolean origin) {
        if (!origin) return connection(c);
        return String.format("%-3s %-6s %-11s %-18s %-18s %-18s %s", c.protocolLabel(), expire(c.expiresMillis()),
                c.state(), Endpoints.client(c), Endpoints.virtual(c), Endpoints.server(c), c.synced() ? "SYNC" : "LOCAL");
    }

    /**
     * One row of {@code ipvsadm -L -n -c}, without the newline; the expiry is shown as MM:SS. An IPv6 entry's
     * "[v6]:port" endpoints overflow the 18-wide columns, as ipvsadm's print_conn prints them.
     */
    public static String connection(ConnectionInfo c) {
        return String.format("%-3s %-6s %-11s %-18s %-18s %s", c.protocolLabel(), expire(c.expiresMillis()),
                c.state(), Endpoints.client(c), Endpoints.virtual(c), Endpoints.server(c));
    }

    /** Remaining time as "MM:SS" (whole seconds, rounded down as the kernel's jiffies / HZ). */
    public static String expire(long remainingMillis) {
        long seconds = Math.max(0, remainingMillis / 1000);
        return String.format("%02d:%02d", seconds / 60, seconds % 60);
    }

    private static String flagsAndPersistence(ServiceConfig config) {
        StringBuilder out = new StringBuilder();
        if ((config.schedulerFlags() & SCHED_FLAGS_MASK) != 0) {
            out.append(" (").append(schedulerFlags(config.scheduler(), config.schedulerFlags())).append(')');
        }
        if (config.persistence() > 0) {
            out.append(" persistent ").append(Integer.toUnsignedString(config.persistence()));
            String mask = persistenceMask(config);
            if (mask != null) out.append(" mask ").append(mask);
        }
        return out.toString();
    }

    /**
     * The -M of a service as ipvsadm prints it, null for the default: a dotted mask other than /32 for IPv4, a
     * prefix length other than 128 for IPv6.
     */
    public static String persistenceMask(ServiceConfig config) {
        if (config.key().isIpv6()) return config.persistenceMask() == 128 ? null : Integer.toString(config.persistenceMask());
        return config.persistenceMask() == 0xffffffff ? null : Ip4.toString(config.persistenceMask());
    }

    private static String suffixed(long value, long divisor, char suffix) {
        return pad(Long.toUnsignedString(Long.divideUnsigned(value, divisor)), 8) + suffix;
    }

    private static String pad(String digits, int width) {
        return digits.length() >= width ? digits : " ".repeat(width - digits.length()) + digits;
    }

    private static String unsigned(int value) {
        return Integer.toUnsignedString(value);
    }

    private static String truncate(String text, int max) {
        return text.length() > max ? text.substring(0, max) : text;
    }

    private static Stats stats(Stats stats) {
        return stats != null ? stats : Stats.ZERO;
    }
}
