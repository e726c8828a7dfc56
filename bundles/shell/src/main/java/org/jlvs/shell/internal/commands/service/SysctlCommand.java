package org.jlvs.shell.internal.commands.service;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.ipvsadm.IpvsadmOptions;
import org.jlvs.shell.internal.commands.LvsAction;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

@Service
@Command(scope = "lvs", name = "sysctl", description = "Shows or sets the net.ipv4.vs.* settings jlvs follows:"
        + " lvs:sysctl lists them, lvs:sysctl NAME shows one, lvs:sysctl NAME VALUE sets one (the net.ipv4.vs."
        + " prefix is optional). conn_reuse_mode (1), drop_entry (0; 1, 2: while the table is nearly full,"
        + " 3: always, IPVS's random drop of half-open and idle entries), expire_nodest_conn (0), expire_quiescent_template (0). Kept by Config Admin"
        + " (PID org.jlvs.core.sysctl), so they survive a restart; applied at once, connections stay.")
public class SysctlCommand extends LvsAction {
    static final String PID = "org.jlvs.core.sysctl";
    static final String PREFIX = "net.ipv4.vs.";
    /** Name -&gt; {default, largest value}, as the kernel defines them. */
    static final Map<String, int[]> NAMES = names();

    @Reference
    ConfigurationAdmin configAdmin;

    @Argument(index = 0, name = "name", description = "a setting, e.g. expire_quiescent_template")
    String name;

    @Argument(index = 1, name = "value", description = "its new value")
    String value;

    private static Map<String, int[]> names() {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("conn_reuse_mode", new int[] {1, 3});
        m.put("drop_entry", new int[] {0, 3});
        m.put("expire_nodest_conn", new int[] {0, 1});
        m.put("expire_quiescent_template", new int[] {0, 1});
        return m;
    }

    @Override
    protected void run() throws IOException {
        String key = name == null ? null : name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
        if (key != null && !NAMES.containsKey(key)) {
            throw refuse("unknown setting '" + name + "': one of " + String.join(", ", NAMES.keySet()));
        }
        int parsed = 0;
        if (value != null) { // checked before anything is read or written
            int max = NAMES.get(key)[1];
            parsed = (int) IpvsadmOptions.number(value, 0, max, key);
        }
        // null location: bound to whichever bundle uses the PID (jlvs-core), not to this one
        Configuration config = configAdmin.getConfiguration(PID, null);
        Dictionary<String, Object> properties = config.getProperties();
        if (value != null) {
            Dictionary<String, Object> next = new Hashtable<>();
            if (properties != null) {
                for (var keys = properties.keys(); keys.hasMoreElements(); ) {
                    String k = keys.nextElement();
                    next.put(k, properties.get(k));
                }
            }
            next.put(key, parsed);
            config.update(next);
            return;
        }
        StringBuilder out = new StringBuilder();
        for (String n : NAMES.keySet()) {
            if (key != null && !key.equals(n)) continue;
            Object v = properties == null ? null : properties.get(n);
            out.append(PREFIX).append(n).append(" = ").append(v == null ? NAMES.get(n)[0] : v).append('\n');
        }
        out().print(out);
        out().flush();
    }
}
