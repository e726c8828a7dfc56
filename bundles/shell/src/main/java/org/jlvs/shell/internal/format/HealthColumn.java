package org.jlvs.shell.internal.format;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jlvs.api.HealthStatus;
import org.jlvs.api.Ip4;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.ipvsadm.IpvsadmFormat;
import org.jlvs.ipvsadm.ListView;

/**
 * {@code lvs:list} in ipvsadm's default layout with the health monitor's view added: each watched real server's
 * line ends with its state (UP, DOWN, SORRY, SUSPENDED), and the watched servers the monitor took out of the
 * table follow their service's lines as "  -- RIP:PORT ... DOWN (removed)". Services nobody watches print
 * exactly as ipvsadm would, and the title gets a Health column only when some listed service is watched, so
 * scripts that parse ipvsadm's output keep working.
 */
public final class HealthColumn {
    private HealthColumn() {}

    private static final Comparator<ServerInfo> DEST_ORDER = IpvsadmFormat.DEST_ORDER;

    /** {@code lvs:list} of all services ({@code withVersionLine}) or of one (without it). */
    public static String list(List<ServiceInfo> services, boolean exact, HealthStatus health, boolean withVersionLine) {
        List<HealthStatus.ServiceHealth> healths = new ArrayList<>();
        boolean any = false;
        for (ServiceInfo s : services) {
            HealthStatus.ServiceHealth h = health.service(s.config().key());
            healths.add(h);
            any |= h != null;
        }
        StringBuilder out = new StringBuilder();
        if (withVersionLine) out.append(IpvsadmFormat.VERSION_LINE).append('\n');
        String title = IpvsadmFormat.title(ListView.DEFAULT);
        out.append(any ? title.substring(0, title.length() - 1) + " Health\n" : title);
        for (int i = 0; i < services.size(); i++) service(out, services.get(i), healths.get(i), exact);
        return out.toString();
    }

    private static void service(StringBuilder out, ServiceInfo service, HealthStatus.ServiceHealth h, boolean exact) {
        out.append(IpvsadmFormat.serviceLine(service, ListView.DEFAULT, exact));
        List<ServerInfo> servers = new ArrayList<>(service.servers());
        servers.sort(DEST_ORDER);
        for (ServerInfo s : servers) {
            String line = IpvsadmFormat.serverLine(s, ListView.DEFAULT, exact);
            HealthStatus.ServerHealth sh = h == null ? null : find(h, s.config().address(), s.config().port(), true);
            if (sh == null) {
                out.append(line);
            } else {
                out.append(line, 0, line.length() - 1).append(' ').append(sh.state()).append('\n');
            }
        }
        if (h == null) return;
        for (HealthStatus.ServerHealth sh : h.servers()) {
            if (sh.inTable()) continue;
            out.append(String.format("  -- %-28s %s (%s)\n", Ip4.toString(sh.address(), sh.port()), sh.state(), sh.detail()));
        }
    }

    private static HealthStatus.ServerHealth find(HealthStatus.ServiceHealth h, int address, int port, boolean inTable) {
        for (HealthStatus.ServerHealth s : h.servers()) {
            if (s.address() == address && s.port() == port && s.inTable() == inTable) return s;
        }
        return null;
    }
}
