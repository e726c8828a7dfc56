package org.jlvs.ipvsadm;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.TunnelType;

/**
 * One ipvsadm command line, read as ipvsadm 1.31 reads it (popt): short options may be grouped ({@code -Ln}) and
 * take their value glued or as the next word ({@code -w2}, {@code -w 2}), long ones as {@code --weight=2} or
 * {@code --weight 2}; {@code -p} takes a timeout only if the next word does not start with '-'. The first option
 * must be the command. The checks and their messages are ipvsadm's ({@code commands_v_options},
 * "illegal weight specified", "Zero port specified for non-persistent service", ...), so scripts and people
 * see what they know.
 *
 * <p>IPv6 addresses are read as ipvsadm's parse_service reads them: "[2001:db8::1]:80" with a port, a bare
 * "2001:db8::11" without one (a bare address is never split at its last colon); {@code -M} of an IPv6 service is
 * a prefix length (1..128). Host names resolve to an IPv4 address first, as ipvsadm's gethostbyname, and to an
 * IPv6 one when the name has no IPv4 address, is given in brackets, or names a real server of an IPv6 service.
 *
 * <p>What jlvs cannot do is refused by name after ipvsadm's own checks: firewall-mark and SCTP services,
 * IPv6 mark services (-6), one-packet scheduling, persistence engines, GRE tunnels and GUE checksums.
 *
 * <p>Two jlvs additions: {@code --json} on a listing, and {@code --input FILE} for {@code -R} (what
 * {@code bin/ipvsadm} uses to pass its standard input).
 */
public final class IpvsadmArgs {
    /** ipvsadm's commands, in the order (and with the names) of its {@code cmdnames}. */
    public enum Cmd {
        ADD("add-service"), EDIT("edit-service"), DEL("delete-service"), FLUSH("flush"), LIST("list"),
        ADDDEST("add-server"), DELDEST("delete-server"), EDITDEST("edit-server"), TIMEOUT("set"),
        STARTDAEMON("start-daemon"), STOPDAEMON("stop-daemon"), RESTORE("restore"), SAVE("save"), ZERO("zero"),
        HELP("help"), VERSION("version");

        final String label;

        Cmd(String label) { this.label = label; }
    }

    /** ipvsadm's options, in the order (and with the names) of its {@code optnames}. */
    public enum Opt {
        NUMERIC("numeric"), CONNECTION("connection"), SERVICE("service-address"), SCHEDULER("scheduler"),
        PERSISTENT("persistent"), NETMASK("netmask"), SERVER("real-server"), FORWARD("forwarding-method"),
        WEIGHT("weight"), UTHRESHOLD("u-threshold"), LTHRESHOLD("l-threshold"), MCAST("mcast-interface"),
        TIMEOUT("timeout"), DAEMON("daemon"), STATS("stats"), RATE("rate"), THRESHOLDS("thresholds"),
        PERSISTENTCONN("persistent-conn"), NOSORT("nosort"), SYNCID("syncid"), EXACT("exact"), ONEPACKET("ops"),
        PE("pe"), SCHED_FLAGS("sched-flags"), MCAST_GROUP("mcast-group"), MCAST_PORT("mcast-port"),
        MCAST_TTL("mcast-ttl"), SYNC_MAXLEN("sync-maxlen"), TUN_INFO("tun-info"), TUN_TYPE("tun-type"),
        TUN_PORT("tun-port"), TUN_NOCSUM("tun-nocsum"), TUN_CSUM("tun-csum"), TUN_REMCSUM("tun-remcsum");

        final String label;

        Opt(String label) { this.label = label; }
    }

    /**
     * ipvsadm's {@code commands_v_options}: per command, one character per {@link Opt} in order:
     * '+' compulsory, 'x' illegal, '1' exclusive (at most one of the '1's), ' ' optional.
     */
    private static final Map<Cmd, String> LEGAL = new EnumMap<>(Cmd.class);

    static {
        String addEdit = "xx+   " + "x".repeat(15) + "   " + "x".repeat(10);
        String server = "xx+xxx+    " + "x".repeat(18) + "     ";
        LEGAL.put(Cmd.ADD, addEdit);
        LEGAL.put(Cmd.EDIT, addEdit);
        LEGAL.put(Cmd.DEL, "xx+" + "x".repeat(31));
        LEGAL.put(Cmd.FLUSH, "x".repeat(34));
        LEGAL.put(Cmd.LIST, " 11" + "x".repeat(9) + "11" + " ".repeat(7) + "x".repeat(7) + " " + "x".repeat(5));
        LEGAL.put(Cmd.ADDDEST, server);
        LEGAL.put(Cmd.DELDEST, "xx+xxx+" + "x".repeat(27));
        LEGAL.put(Cmd.EDITDEST, server);
        LEGAL.put(Cmd.TIMEOUT, "x".repeat(34));
        LEGAL.put(Cmd.STARTDAEMON, "x".repeat(11) + " " + "x".repeat(7) + " " + "xxxx" + "    " + "x".repeat(6));
        LEGAL.put(Cmd.STOPDAEMON, "x".repeat(19) + " " + "x".repeat(14));
        LEGAL.put(Cmd.RESTORE, "x".repeat(34));
        LEGAL.put(Cmd.SAVE, " " + "x".repeat(33));
        LEGAL.put(Cmd.ZERO, "xx " + "x".repeat(31));
    }

    /** ipvsadm's MAX_TIMEOUT: 31 days. */
    public static final int MAX_TIMEOUT = 86400 * 31;

    /** The message of ipvsadm's tryhelp_exit. */
    static final String TRY_HELP = "Try `ipvsadm -h' or 'ipvsadm --help' for more information.";

    private enum Arg { NONE, REQUIRED, OPTIONAL }

    private static final Map<String, Arg> LONG = new HashMap<>();
    private static final Map<Character, String> SHORT = new HashMap<>();

    private static void option(char shortName, String longName, Arg arg) {
        LONG.put(longName, arg);
        if (shortName != 0) SHORT.put(shortName, longName);
    }

    static {
        option('A', "add-service", Arg.NONE);
        option('E', "edit-service", Arg.NONE);
        option('D', "delete-service", Arg.NONE);
        option('C', "clear", Arg.NONE);
        option('L', "list", Arg.NONE);
        SHORT.put('l', "list");
        option('Z', "zero", Arg.NONE);
        option('a', "add-server", Arg.NONE);
        option('e', "edit-server", Arg.NONE);
        option('d', "delete-server", Arg.NONE);
        option((char) 0, "set", Arg.NONE);
        option('h', "help", Arg.NONE);
        option('v', "version", Arg.NONE);
        option('R', "restore", Arg.NONE);
        option('S', "save", Arg.NONE);
        option((char) 0, "start-daemon", Arg.REQUIRED);
        option((char) 0, "stop-daemon", Arg.REQUIRED);
        option('t', "tcp-service", Arg.REQUIRED);
        option('u', "udp-service", Arg.REQUIRED);
        option((char) 0, "sctp-service", Arg.REQUIRED);
        option('f', "fwmark-service", Arg.REQUIRED);
        option('s', "scheduler", Arg.REQUIRED);
        option('p', "persistent", Arg.OPTIONAL);
        option('M', "netmask", Arg.REQUIRED);
        option('r', "real-server", Arg.REQUIRED);
        option('m', "masquerading", Arg.NONE);
        option('i', "ipip", Arg.NONE);
        option('g', "gatewaying", Arg.NONE);
        option('w', "weight", Arg.REQUIRED);
        option('x', "u-threshold", Arg.REQUIRED);
        option('y', "l-threshold", Arg.REQUIRED);
        option('n', "numeric", Arg.NONE);
        option('c', "connection", Arg.NONE);
        option((char) 0, "mcast-interface", Arg.REQUIRED);
        option((char) 0, "syncid", Arg.REQUIRED);
        option((char) 0, "timeout", Arg.NONE);
        option((char) 0, "daemon", Arg.NONE);
        option((char) 0, "stats", Arg.NONE);
        option((char) 0, "rate", Arg.NONE);
        option((char) 0, "thresholds", Arg.NONE);
        option((char) 0, "persistent-conn", Arg.NONE);
        option((char) 0, "nosort", Arg.NONE);
        option((char) 0, "sort", Arg.NONE);
        option('X', "exact", Arg.NONE);
        option('6', "ipv6", Arg.NONE);
        option('o', "ops", Arg.NONE);
        option((char) 0, "pe", Arg.REQUIRED);
        option('b', "sched-flags", Arg.REQUIRED);
        option((char) 0, "mcast-group", Arg.REQUIRED);
        option((char) 0, "mcast-port", Arg.REQUIRED);
        option((char) 0, "mcast-ttl", Arg.REQUIRED);
        option((char) 0, "sync-maxlen", Arg.REQUIRED);
        option((char) 0, "tun-info", Arg.NONE);
        option((char) 0, "tun-type", Arg.REQUIRED);
        option((char) 0, "tun-port", Arg.REQUIRED);
        option((char) 0, "tun-nocsum", Arg.NONE);
        option((char) 0, "tun-csum", Arg.NONE);
        option((char) 0, "tun-remcsum", Arg.NONE);
        // jlvs additions
        option((char) 0, "json", Arg.NONE);
        option((char) 0, "input", Arg.REQUIRED);
    }

    private Cmd cmd;
    private final EnumSet<Opt> options = EnumSet.noneOf(Opt.class);
    private ServiceKey service;
    private String scheduler;
    private int persistence;
    private int netmask = 0xffffffff;
    private String schedFlagsText;
    private int schedFlags;
    private int serverAddress;
    private Ip6Address serverAddress6;
    private int serverPort;
    private boolean serverPortGiven;
    private ForwardMethod method = ForwardMethod.ROUTE; // ipvsadm's default: direct routing
    private int weight = 1;
    private int upper;
    private int lower;
    private TunnelType tunnelType = TunnelType.IPIP;
    private String tunnelTypeName = "ipip";
    private int tunnelPort;
    private int[] timeouts;
    private boolean json;
    private String input;
    private boolean bare;
    private final List<String> leftovers = new ArrayList<>();
    /** --start-daemon / --stop-daemon: master or backup, and the daemon's settings (ipvsadm's defaults). */
    private String daemonRole;
    private String mcastInterface = "eth0";
    private int syncId;
    private String mcastGroup = org.jlvs.api.sync.SyncSettings.DEFAULT_GROUP;
    private int mcastPort = org.jlvs.api.sync.SyncSettings.DEFAULT_PORT;
    private int mcastTtl = org.jlvs.api.sync.SyncSettings.DEFAULT_TTL;
    private int syncMaxLen = org.jlvs.api.sync.SyncSettings.DEFAULT_MAXLEN;

    private IpvsadmArgs() {}

    /**
     * Parses and checks a command line (without the program name). Throws IllegalArgumentException with
     * ipvsadm's message (or jlvs's, for what jlvs does not support).
     */
    public static IpvsadmArgs parse(List<String> argv) {
        IpvsadmArgs a = new IpvsadmArgs();
        if (argv.isEmpty()) {
            a.cmd = Cmd.LIST; // ipvsadm alone lists the table
            a.bare = true;
            return a;
        }
        boolean optionsEnded = false;
        for (int i = 0; i < argv.size(); i++) {
            String word = argv.get(i);
            if (optionsEnded || !word.startsWith("-") || word.equals("-")) {
                a.leftovers.add(word);
            } else if (word.equals("--")) {
                optionsEnded = true;
            } else if (word.startsWith("--")) {
                String name = word.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                Arg arg = LONG.get(name);
                if (arg == null) throw new IllegalArgumentException("--" + name + ": unknown option");
                if (arg == Arg.NONE && value != null) {
                    throw new IllegalArgumentException("--" + name + ": option does not take an argument");
                }
                if (arg == Arg.REQUIRED && value == null) {
                    if (i + 1 >= argv.size()) throw new IllegalArgumentException("--" + name + ": missing argument");
                    value = argv.get(++i);
                }
                if (arg == Arg.OPTIONAL && value == null && i + 1 < argv.size() && !argv.get(i + 1).startsWith("-")) {
                    value = argv.get(++i);
                }
                if (a.option(name, "--" + name, value)) return a;
            } else {
                for (int k = 1; k < word.length(); k++) {
                    char c = word.charAt(k);
                    String name = SHORT.get(c);
                    if (name == null) throw new IllegalArgumentException("-" + c + ": unknown option");
                    Arg arg = LONG.get(name);
                    String value = null;
                    if (arg != Arg.NONE) {
                        String rest = word.substring(k + 1);
                        if (!rest.isEmpty()) {
                            value = rest;
                        } else if (arg == Arg.REQUIRED) {
                            if (i + 1 >= argv.size()) throw new IllegalArgumentException("-" + c + ": missing argument");
                            value = argv.get(++i);
                        } else if (i + 1 < argv.size() && !argv.get(i + 1).startsWith("-")) {
                            value = argv.get(++i);
                        }
                        if (a.option(name, "-" + c, value)) return a;
                        break; // the rest of the word was the value
                    }
                    if (a.option(name, "-" + c, null)) return a;
                }
            }
        }
        a.finish();
        return a;
    }

    /** Applies one option; returns true when parsing stops here (-h, -v). */
    private boolean option(String name, String given, String value) {
        Cmd command = command(name);
        if (cmd == null) {
            // ipvsadm: the first option names the command
            if (command == null) throw new IllegalArgumentException(TRY_HELP);
            cmd = command;
            if (command == Cmd.STARTDAEMON || command == Cmd.STOPDAEMON) {
                if (!"master".equals(value) && !"backup".equals(value)) {
                    throw new IllegalArgumentException(command == Cmd.STARTDAEMON
                            ? "illegal start-daemon parameter specified" : "illegal start_daemon specified");
                }
                daemonRole = value;
            }
            return command == Cmd.HELP || command == Cmd.VERSION;
        }
        if (command != null) throw new IllegalArgumentException("invalid option `" + given + "'");
        switch (name) {
            case "tcp-service", "udp-service" -> {
                set(Opt.SERVICE);
                Protocol protocol = name.equals("tcp-service") ? Protocol.TCP : Protocol.UDP;
                HostPort parsed = address(value, protocol, false, "illegal virtual server address[:port] specified");
                service = parsed.address6() != null ? new ServiceKey(protocol, parsed.address6(), parsed.port())
                        : new ServiceKey(protocol, parsed.address(), parsed.port());
            }
            case "sctp-service" -> {
                set(Opt.SERVICE);
                throw unsupported("SCTP services (--sctp-service): jlvs balances TCP (-t) and UDP (-u)");
            }
            case "fwmark-service" -> {
                set(Opt.SERVICE);
                service = ServiceKey.fwmark(ServiceKey.parseFwmark(value)); // marks come from jlvs's mark rules
            }
            case "scheduler" -> {
                set(Opt.SCHEDULER);
                scheduler = value.length() > 15 ? value.substring(0, 15) : value; // IP_VS_SCHEDNAME_MAXLEN - 1
            }
            case "persistent" -> {
                set(Opt.PERSISTENT);
                persistence = value == null ? IpvsadmOptions.DEFAULT_PERSISTENCE : timeout(value, 1);
            }
            case "netmask" -> {
                set(Opt.NETMASK);
                if (service != null && service.isIpv6()) { // ipvsadm: a prefix length for an IPv6 service
                    netmask = number(value, 1, 128, "illegal ipv6 netmask specified");
                    return false;
                }
                try {
                    netmask = IpvsadmOptions.netmask(value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("illegal virtual server persistent mask specified");
                }
            }
            case "real-server" -> {
                set(Opt.SERVER);
                HostPort parsed = address(value, service == null ? Protocol.TCP : service.protocol(),
                        service != null && service.isIpv6(), "illegal real server address[:port] specified");
                serverAddress = parsed.address();
                serverAddress6 = parsed.address6();
                serverPort = parsed.port();
                serverPortGiven = parsed.portGiven();
            }
            case "masquerading" -> forward(ForwardMethod.MASQ);
            case "gatewaying" -> forward(ForwardMethod.ROUTE);
            case "ipip" -> forward(ForwardMethod.TUNNEL);
            case "weight" -> {
                set(Opt.WEIGHT);
                weight = number(value, 0, 65535, "illegal weight specified");
            }
            case "u-threshold" -> {
                set(Opt.UTHRESHOLD);
                upper = number(value, 0, Integer.MAX_VALUE, "illegal u_threshold specified");
            }
            case "l-threshold" -> {
                set(Opt.LTHRESHOLD);
                lower = number(value, 0, Integer.MAX_VALUE, "illegal l_threshold specified");
            }
            case "numeric" -> set(Opt.NUMERIC);
            case "connection" -> set(Opt.CONNECTION);
            case "mcast-interface" -> {
                set(Opt.MCAST);
                mcastInterface = value;
            }
            case "syncid" -> {
                set(Opt.SYNCID);
                syncId = number(value, 0, 255, "illegal syncid specified");
            }
            case "mcast-group" -> {
                set(Opt.MCAST_GROUP);
                mcastGroup = value;
            }
            case "mcast-port" -> {
                set(Opt.MCAST_PORT);
                mcastPort = number(value, 1, 65535, "illegal mcast-port specified");
            }
            case "mcast-ttl" -> {
                set(Opt.MCAST_TTL);
                mcastTtl = number(value, 1, 255, "illegal mcast-ttl specified");
            }
            case "sync-maxlen" -> {
                set(Opt.SYNC_MAXLEN);
                syncMaxLen = number(value, 1, 65535 - 20 - 8, "illegal sync-maxlen specified");
            }
            case "timeout" -> set(Opt.TIMEOUT);
            case "daemon" -> set(Opt.DAEMON);
            case "stats" -> set(Opt.STATS);
            case "rate" -> set(Opt.RATE);
            case "thresholds" -> set(Opt.THRESHOLDS);
            case "persistent-conn" -> set(Opt.PERSISTENTCONN);
            case "nosort" -> set(Opt.NOSORT);
            case "sort" -> { } // the default; a no-op kept for compatibility, as in ipvsadm
            case "exact" -> set(Opt.EXACT);
            case "ipv6" -> throw new IllegalArgumentException("-6 used before -f");
            case "ops" -> set(Opt.ONEPACKET);
            case "pe" -> set(Opt.PE);
            case "sched-flags" -> {
                set(Opt.SCHED_FLAGS);
                schedFlagsText = value;
            }
            case "tun-info" -> set(Opt.TUN_INFO);
            case "tun-type" -> {
                set(Opt.TUN_TYPE);
                if (!value.equals("ipip") && !value.equals("gue") && !value.equals("gre")) {
                    throw new IllegalArgumentException("illegal tunnel type specified");
                }
                tunnelTypeName = value;
                tunnelType = TunnelType.ofId(value); // null for gre: refused below, after ipvsadm's checks
            }
            case "tun-port" -> {
                set(Opt.TUN_PORT);
                tunnelPort = number(value, 1, 65535, "illegal tunnel port specified");
            }
            case "tun-nocsum" -> set(Opt.TUN_NOCSUM);
            case "tun-csum" -> set(Opt.TUN_CSUM);
            case "tun-remcsum" -> set(Opt.TUN_REMCSUM);
            case "json" -> json = true;
            case "input" -> input = value;
            default -> throw new IllegalArgumentException("invalid option `" + given + "'");
        }
        return false;
    }

    private static Cmd command(String name) {
        return switch (name) {
            case "add-service" -> Cmd.ADD;
            case "edit-service" -> Cmd.EDIT;
            case "delete-service" -> Cmd.DEL;
            case "clear" -> Cmd.FLUSH;
            case "list" -> Cmd.LIST;
            case "zero" -> Cmd.ZERO;
            case "add-server" -> Cmd.ADDDEST;
            case "edit-server" -> Cmd.EDITDEST;
            case "delete-server" -> Cmd.DELDEST;
            case "set" -> Cmd.TIMEOUT;
            case "help" -> Cmd.HELP;
            case "version" -> Cmd.VERSION;
            case "restore" -> Cmd.RESTORE;
            case "save" -> Cmd.SAVE;
            case "start-daemon" -> Cmd.STARTDAEMON;
            case "stop-daemon" -> Cmd.STOPDAEMON;
            default -> null;
        };
    }

    /** What ipvsadm checks once every option is read (parse_options' tail and process_options). */
    private void finish() {
        if (cmd == Cmd.TIMEOUT) {
            if (leftovers.size() < 3) throw new IllegalArgumentException("--set option requires 3 timeout values");
            timeouts = new int[] {timeout(leftovers.remove(0), 0), timeout(leftovers.remove(0), 0),
                timeout(leftovers.remove(0), 0)};
        }
        if (!leftovers.isEmpty()) throw new IllegalArgumentException("unexpected argument " + leftovers.get(0));
        if (schedFlagsText != null) {
            schedFlags = IpvsadmOptions.schedulerFlags(scheduler != null && !scheduler.isEmpty()
                    ? scheduler : ServiceConfig.DEFAULT_SCHEDULER, schedFlagsText);
        }
        checkOptions();
        if (cmd == Cmd.ADD || cmd == Cmd.EDIT) {
            if (!service.isFwmark() && service.port() == 0 && persistence == 0) {
                throw new IllegalArgumentException("Zero port specified for non-persistent service");
            }
            if (options.contains(Opt.ONEPACKET) && (service.isFwmark() || service.protocol() != Protocol.UDP)) {
                throw new IllegalArgumentException("One-Packet Scheduling is only for UDP virtual services");
            }
            if (scheduler == null || scheduler.isEmpty()) scheduler = ServiceConfig.DEFAULT_SCHEDULER;
        }
        if (cmd == Cmd.ADDDEST || cmd == Cmd.EDITDEST || cmd == Cmd.DELDEST) {
            if (!serverPortGiven) serverPort = service.port(); // the service's port when -r has none
        }
        if (cmd == Cmd.ADDDEST || cmd == Cmd.EDITDEST) {
            if (method == ForwardMethod.TUNNEL || method == ForwardMethod.ROUTE) serverPort = service.port();
            boolean tunnelOptions = options.contains(Opt.TUN_TYPE) || options.contains(Opt.TUN_PORT)
                    || options.contains(Opt.TUN_NOCSUM) || options.contains(Opt.TUN_CSUM)
                    || options.contains(Opt.TUN_REMCSUM);
            if (tunnelOptions && method != ForwardMethod.TUNNEL) {
                throw new IllegalArgumentException("Tunnel options conflict with forward method");
            }
            checkTunnelOptions();
        }
        if (cmd == Cmd.LIST) {
            boolean special = options.contains(Opt.CONNECTION) || options.contains(Opt.TIMEOUT)
                    || options.contains(Opt.DAEMON);
            boolean layout = options.contains(Opt.STATS) || options.contains(Opt.RATE)
                    || options.contains(Opt.THRESHOLDS);
            boolean timeoutOrDaemon = options.contains(Opt.TIMEOUT) || options.contains(Opt.DAEMON);
            if ((special && layout) || (timeoutOrDaemon && options.contains(Opt.PERSISTENTCONN))) {
                throw new IllegalArgumentException("options conflicts in the list command");
            }
        }
        refuseUnsupported();
        if (json && cmd != Cmd.LIST) throw new IllegalArgumentException("--json applies to the list command (-L) only");
        if (input != null && cmd != Cmd.RESTORE) {
            throw new IllegalArgumentException("--input applies to the restore command (-R) only");
        }
    }

    /** ipvsadm's generic_opt_check over {@link #LEGAL}. */
    private void checkOptions() {
        String row = LEGAL.get(cmd);
        Opt exclusive = null;
        for (Opt o : Opt.values()) {
            char rule = row.charAt(o.ordinal());
            if (!options.contains(o)) {
                if (rule == '+') {
                    throw new IllegalArgumentException("You need to supply the '" + o.label + "' option for the '"
                            + cmd.label + "' command");
                }
            } else if (rule == 'x') {
                throw new IllegalArgumentException("Illegal '" + o.label + "' option with the '" + cmd.label + "' command");
            } else if (rule == '1') {
                if (exclusive != null) {
                    throw new IllegalArgumentException("The option '" + o.label + "' conflicts with the '"
                            + exclusive.label + "' option in the '" + cmd.label + "' command");
                }
                exclusive = o;
            }
        }
    }

    /** ipvsadm's tunnel_opt_check: GUE needs --tun-port and at most one checksum option; IPIP takes none. */
    private void checkTunnelOptions() {
        if (method != ForwardMethod.TUNNEL) return;
        Opt[] tunnelOptions = {Opt.TUN_PORT, Opt.TUN_NOCSUM, Opt.TUN_CSUM, Opt.TUN_REMCSUM};
        String rules = switch (tunnelTypeName) {
            case "gue" -> "+111";
            case "gre" -> "x11x";
            default -> "xxxx";
        };
        Opt exclusive = null;
        for (int j = 0; j < tunnelOptions.length; j++) {
            Opt o = tunnelOptions[j];
            char rule = rules.charAt(j);
            if (!options.contains(o)) {
                if (rule == '+') {
                    throw new IllegalArgumentException("You need to supply the '" + o.label + "' option for the '"
                            + tunnelTypeName + "' tunnel type");
                }
            } else if (rule == 'x') {
                throw new IllegalArgumentException("Illegal '" + o.label + "' option with the '" + tunnelTypeName
                        + "' tunnel type");
            } else if (rule == '1') {
                if (exclusive != null) {
                    throw new IllegalArgumentException("The option '" + o.label + "' conflicts with the '"
                            + exclusive.label + "' option in the '" + tunnelTypeName + "' tunnel type");
                }
                exclusive = o;
            }
        }
    }

    /** --start-daemon / --stop-daemon: "master" or "backup"; null for other commands. */
    String daemonRole() {
        return daemonRole;
    }

    /** --start-daemon's settings; IllegalArgumentException names a bad one (a group that is not multicast). */
    org.jlvs.api.sync.SyncSettings syncSettings() {
        return new org.jlvs.api.sync.SyncSettings(mcastInterface, syncId, mcastGroup, mcastPort, mcastTtl, syncMaxLen);
    }

    private void refuseUnsupported() {
        if (options.contains(Opt.ONEPACKET)) throw unsupported("one-packet scheduling (-o, --ops)");
        if (options.contains(Opt.PE)) throw unsupported("persistence engines (--pe)");
        if (tunnelType == null) throw unsupported("GRE tunnels (--tun-type gre): use ipip or gue");
        if (options.contains(Opt.TUN_CSUM) || options.contains(Opt.TUN_REMCSUM)) {
            throw unsupported("GUE checksums (--tun-csum, --tun-remcsum): jlvs sends GUE without (--tun-nocsum)");
        }
    }

    private static IllegalArgumentException unsupported(String what) {
        return new IllegalArgumentException("jlvs does not support " + what);
    }

    private void set(Opt o) {
        if (!options.add(o)) throw new IllegalArgumentException("multiple '" + o.label + "' options specified");
    }

    private void forward(ForwardMethod m) {
        set(Opt.FORWARD);
        method = m;
    }

    /** Resolves host and port names; tests set their own (package-private seam). */
    static volatile NameResolver resolver = NameResolver.SYSTEM;

    /** An address as -t, -u or -r give it: IPv4 ({@code address6} null) or IPv6, and the port (0 when absent). */
    private record HostPort(int address, Ip6Address address6, int port, boolean portGiven) {}

    /**
     * "host[:port]" as ipvsadm's parse_service: "[v6]:port" (the brackets need the port), a bare IPv6 address (no
     * port), a dotted address or a host name (the resolver), then a port number or a service name of /etc/services
     * for the protocol. {@code ipv6Name}: a host name is wanted as an IPv6 address (the -r of an IPv6 service).
     */
    private static HostPort address(String text, Protocol protocol, boolean ipv6Name, String error) {
        try {
            if (text.isEmpty() || text.chars().allMatch(Character::isDigit)) throw new IllegalArgumentException(error);
            String host = text;
            String port = null;
            boolean bracketed = text.startsWith("[");
            if (bracketed) {
                int close = text.indexOf(']');
                if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException(error);
                }
                host = text.substring(1, close);
                port = text.substring(close + 2);
            }
            Ip6Address address6 = literal6(host);
            int address = 0;
            if (address6 == null) {
                if (!bracketed) {
                    int colon = host.lastIndexOf(':');
                    if (colon >= 0) {
                        port = host.substring(colon + 1);
                        host = host.substring(0, colon);
                    }
                }
                if (isDotted(host)) {
                    if (bracketed) throw new IllegalArgumentException(error); // "[10.0.0.1]:80" is no IPv6 address
                    address = Ip4.parse(host);
                } else if (bracketed || ipv6Name) {
                    address6 = resolver.host6(host);
                } else {
                    try {
                        address = resolver.host(host);
                    } catch (IllegalArgumentException noIpv4) {
                        address6 = resolver.host6(host); // a name with only IPv6 addresses
                    }
                }
            }
            int p = port == null ? 0 : !port.isEmpty() && Character.isDigit(port.charAt(0)) ? number(port, 0, 65535, error)
                    : resolver.port(port, protocol == Protocol.UDP ? "udp" : "tcp");
            return new HostPort(address6 != null ? 0 : address, address6, p, port != null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(error);
        }
    }

    /** The IPv6 address the whole text is (inet_pton(AF_INET6)), or null. */
    private static Ip6Address literal6(String text) {
        if (!Ip6Address.looksLikeIpv6(text)) return null;
        try {
            return Ip6Address.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isDotted(String host) {
        return !host.isEmpty() && host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** ipvsadm's string_to_number: a whole decimal number in [min, max], else the given message. */
    private static int number(String text, long min, long max, String error) {
        if (text != null && !text.isEmpty() && text.length() <= 11) {
            int start = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
            boolean digits = start < text.length();
            for (int i = start; i < text.length(); i++) digits &= Character.isDigit(text.charAt(i));
            if (digits) {
                long value = Long.parseLong(text);
                if (value >= min && value <= max) return (int) value;
            }
        }
        throw new IllegalArgumentException(error);
    }

    private static int timeout(String text, int min) {
        return number(text, min, MAX_TIMEOUT, "invalid timeout value `" + text + "' specified");
    }

    // ---- what was parsed ----

    public Cmd cmd() { return cmd; }

    public boolean has(Opt o) { return options.contains(o); }

    /** ipvsadm without any argument: a listing with names resolved (here: numeric anyway). */
    public boolean bare() { return bare; }

    /** The -t/-u service, or null. */
    public ServiceKey service() { return service; }

    /** The service as -A/-E set it: every setting not given takes ipvsadm's default (-E replaces them all). */
    public ServiceConfig serviceConfig() {
        return new ServiceConfig(service, scheduler, schedFlags, persistence, netmask);
    }

    /** The -r address and port (the service's port when -r has none, or with -g and -i); 0 for an IPv6 server. */
    public int serverAddress() { return serverAddress; }

    /** The -r IPv6 address, or null for an IPv4 server. */
    public Ip6Address serverAddress6() { return serverAddress6; }

    public int serverPort() { return serverPort; }

    /** The real server as -a/-e set it: every setting not given takes ipvsadm's default (-e replaces them all). */
    public ServerConfig serverConfig() {
        boolean tunnel = method == ForwardMethod.TUNNEL;
        return new ServerConfig(serverAddress, serverPort, method, weight, upper, lower,
                tunnel ? tunnelType : TunnelType.IPIP, tunnel ? tunnelPort : 0, serverAddress6);
    }

    /** The layout a listing asks for. */
    public ListView view() {
        return ListView.of(has(Opt.STATS), has(Opt.RATE), has(Opt.THRESHOLDS), has(Opt.PERSISTENTCONN),
                has(Opt.TUN_INFO));
    }

    /** --set: TCP, TCP FIN and UDP timeouts in seconds (0 = unchanged). */
    public int[] timeouts() { return timeouts.clone(); }

    public boolean json() { return json; }

    /** --input FILE of -R, or null for standard input. */
    public String input() { return input; }
}
