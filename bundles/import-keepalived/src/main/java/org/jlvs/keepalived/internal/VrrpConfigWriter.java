package org.jlvs.keepalived.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Writes imported VRRP instances and track scripts ({@link KeepalivedVrrp}) into Config Admin, where the ha bundle
 * reads them (and Karaf keeps them in etc/): a configuration of the same name is updated, a new one created;
 * without merge, the instances and scripts the file does not name are deleted. Nothing is written when the file
 * has no VRRP block. Returns one line per change.
 */
public final class VrrpConfigWriter {
    private VrrpConfigWriter() {}

    public static List<String> apply(ConfigurationAdmin cm, KeepalivedVrrp.Result vrrp, boolean merge, boolean dryRun)
            throws IOException {
        List<String> changes = new ArrayList<>();
        if (vrrp.empty()) return changes;
        write(cm, KeepalivedVrrp.INSTANCE_PID, "vrrp_instance", vrrp.instances(), merge, dryRun, changes);
        write(cm, KeepalivedVrrp.SCRIPT_PID, "vrrp_script", vrrp.scripts(), merge, dryRun, changes);
        return changes;
    }

    private static void write(ConfigurationAdmin cm, String factoryPid, String what, Map<String, Map<String, Object>> wanted,
                              boolean merge, boolean dryRun, List<String> changes) throws IOException {
        Configuration[] existing;
        try {
            existing = cm.listConfigurations("(service.factoryPid=" + factoryPid + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Configuration> byName = new java.util.HashMap<>();
        for (Configuration c : existing == null ? new Configuration[0] : existing) {
            Object name = c.getProperties() == null ? null : c.getProperties().get("name");
            if (name != null) byName.put(name.toString(), c);
        }
        for (Map.Entry<String, Map<String, Object>> e : wanted.entrySet()) {
            Configuration c = byName.remove(e.getKey());
            if (c != null && same(c.getProperties(), e.getValue())) continue;
            changes.add((c == null ? "add " : "edit ") + what + " " + e.getKey());
            if (dryRun) continue;
            if (c == null) c = cm.getFactoryConfiguration(factoryPid, e.getKey(), "?");
            Dictionary<String, Object> props = new Hashtable<>(e.getValue());
            c.update(props);
        }
        if (merge) return;
        for (Map.Entry<String, Configuration> e : byName.entrySet()) {
            changes.add("delete " + what + " " + e.getKey());
            if (!dryRun) e.getValue().delete();
        }
    }

    /** Whether a configuration already holds exactly these keys (Config Admin's own keys aside). */
    private static boolean same(Dictionary<String, Object> have, Map<String, Object> want) {
        if (have == null) return false;
        int own = 0;
        for (java.util.Enumeration<String> keys = have.keys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            if (k.startsWith("service.") || k.startsWith("felix.") || k.equals("component.name")) continue;
            own++;
            if (!Objects.equals(String.valueOf(have.get(k)), String.valueOf(want.get(k)))) return false;
        }
        return own == want.size();
    }
}
