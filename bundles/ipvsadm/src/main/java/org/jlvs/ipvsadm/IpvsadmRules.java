package org.jlvs.ipvsadm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.LvsException;
import org.jlvs.api.SchedulerFlags;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.TunnelType;

/**
 * ipvsadm's rule text: what {@code ipvsadm -S -n} (ipvsadm-save) prints and {@code ipvsadm -R} reads, as
 * ipvsadm 1.31 prints it (print_service_entry with FMT_RULE), byte for byte.
 */
public final class IpvsadmRules {
    private IpvsadmRules() {}

    private static final int SCHED_FLAGS = SchedulerFlags.SCHED1 | SchedulerFlags.SCHED2 | SchedulerFlags.SCHED3;

    /** ipvsadm's dest order: address as its bytes compare (unsigned), then port. */
    static final Comparator<ServerConfig> DEST_ORDER = Comparator
            .comparing((ServerConfig s) -> s, IpvsadmFormat::compareAddresses).thenComparingInt(ServerConfig::port);

    /** Which commands a rules text may hold: those that change the table. */
    private static final Set<IpvsadmArgs.Cmd> CHANGES = EnumSet.of(IpvsadmArgs.Cmd.ADD, IpvsadmArgs.Cmd.EDIT,
            IpvsadmArgs.Cmd.DEL, IpvsadmArgs.Cmd.FLUSH, IpvsadmArgs.Cmd.ADDDEST, IpvsadmArgs.Cmd.EDITDEST,
            IpvsadmArgs.Cmd.DELDEST);

    /**
     * {@code ipvsadm -S -n}: one -A line per service in ipvsadm's order, each followed by one -a line per real
     * server in address order. Thresholds are not saved (ipvsadm does not save them either).
     */
    public static String save(Collection<ServiceDef> services) {
        List<ServiceDef> sorted = new ArrayList<>(services);
        sorted.sort(Comparator.comparing(ServiceDef::key));
        StringBuilder out = new StringBuilder();
        for (ServiceDef service : sorted) {
            ServiceConfig config = service.config();
            out.append("-A ").append(serviceOptions(config, false)).append('\n');
            List<ServerConfig> servers = new ArrayList<>(service.servers());
            servers.sort(DEST_ORDER);
            String svc = config.key().toIpvsadm();
            for (ServerConfig server : servers) {
                out.append("-a ").append(svc).append(' ').append(serverOptions(server, false)).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * A service's options as a rule carries them: "-t 10.0.0.1:80 -s wlc -p 360 -M 255.255.255.0 -b flag-1".
     * ipvsadm writes -M only for a persistent service; {@code complete} writes it whenever it is not /32,
     * so that nothing of the configuration is lost (the form of jlvs's own files).
     */
    public static String serviceOptions(ServiceConfig config, boolean complete) {
        StringBuilder out = new StringBuilder(config.key().toIpvsadm()).append(" -s ").append(config.scheduler());
        if (config.persistence() > 0) out.append(" -p ").append(Integer.toUnsignedString(config.persistence()));
        String mask = IpvsadmFormat.persistenceMask(config);
        if ((config.persistence() > 0 || complete) && mask != null) out.append(" -M ").append(mask);
        if ((config.schedulerFlags() & SCHED_FLAGS) != 0) {
            out.append(" -b ").append(IpvsadmFormat.schedulerFlags(config.scheduler(), config.schedulerFlags()));
        }
        return out.toString();
    }

    /**
     * A real server's options as a rule carries them: "-r 10.0.0.2:80 -m -w 1", with ipvsadm 1.31's tunnel
     * options for -i ("--tun-type ipip", "--tun-type gue --tun-port 6080 --tun-nocsum"). {@code complete}
     * adds the thresholds (-x, -y) when set, which ipvsadm does not save.
     */
    public static String serverOptions(ServerConfig server, boolean complete) {
        StringBuilder out = new StringBuilder("-r ").append(server.endpoint()).append(' ')
                .append(server.method().ipvsadmFlag()).append(" -w ").append(server.weight());
        if (server.method() == ForwardMethod.TUNNEL) {
            out.append(" --tun-type ").append(server.tunnelType().id());
            if (server.tunnelType() == TunnelType.GUE) {
                out.append(" --tun-port ").append(server.tunnelPort()).append(" --tun-nocsum");
            }
        }
        if (complete && server.upperThreshold() > 0) out.append(" -x ").append(server.upperThreshold());
        if (complete && server.lowerThreshold() > 0) out.append(" -y ").append(server.lowerThreshold());
        return out.toString();
    }

    /**
     * Plays a rules text (ipvsadm -R's input: one ipvsadm command line per line, blank lines and '#' comments
     * ignored) on {@code model}. Throws ConfigException naming the line at the first line that does not parse
     * or that ipvsadm (or the kernel) would refuse; the model is then half-played and must be dropped.
     */
    public static void restore(String text, IpvsadmModel model) {
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = "line " + (n + 1);
            try {
                List<String> words = words(line);
                IpvsadmArgs args = IpvsadmArgs.parse(words);
                if (!CHANGES.contains(args.cmd())) {
                    throw new IllegalArgumentException("a rule must be one of -A -E -D -C -a -e -d, not '" + words.get(0) + "'");
                }
                model.apply(args);
            } catch (LvsException | IllegalArgumentException e) {
                throw new ConfigException(where + " (" + line + ")", e.getMessage());
            }
        }
    }

    /** Splits a line into words at blanks; "double" or 'single' quotes group a word. */
    public static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else word.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                if (word == null) word = new StringBuilder();
            } else if (Character.isWhitespace(c)) {
                if (word != null) words.add(word.toString());
                word = null;
            } else {
                if (word == null) word = new StringBuilder();
                word.append(c);
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unterminated quote");
        if (word != null) words.add(word.toString());
        return words;
    }
}
