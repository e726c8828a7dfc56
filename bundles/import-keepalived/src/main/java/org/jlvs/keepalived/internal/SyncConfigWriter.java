package org.jlvs.keepalived.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Writes an imported lvs_sync_daemon ({@link KeepalivedSyncDaemon}) into the sync bundle's configuration
 * {@value KeepalivedSyncDaemon#PID} (etc/org.jlvs.sync.cfg), as {@link VrrpConfigWriter} writes the VRRP blocks:
 * the daemons' keys are set, every other key (the sending sysctls, the resync) is kept. Nothing is written when
 * the file has no sync daemon. Returns one line per change.
 */
public final class SyncConfigWriter {
    private SyncConfigWriter() {}

    public static List<String> apply(ConfigurationAdmin cm, KeepalivedSyncDaemon.Result sync, boolean dryRun)
            throws IOException {
        List<String> changes = new ArrayList<>();
        if (sync.empty()) return changes;
        Configuration c = cm.getConfiguration(KeepalivedSyncDaemon.PID, "?");
        Dictionary<String, Object> props = c.getProperties();
        if (props == null) props = new Hashtable<>();
        boolean same = true;
        for (Map.Entry<String, Object> e : sync.properties().entrySet()) {
            Object have = props.get(e.getKey());
            same &= have != null && Objects.equals(String.valueOf(have), String.valueOf(e.getValue()));
            props.put(e.getKey(), e.getValue());
        }
        if (same) return changes;
        changes.add("set lvs_sync_daemon: " + sync.description());
        if (!dryRun) c.update(props);
        return changes;
    }
}
