package org.jlvs.keepalived.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jlvs.ipvsadm.ConfigException;

/**
 * One keepalived.conf read whole, from one {@link KeepalivedSource} (its includes expanded): the virtual servers
 * ({@link KeepalivedImport}), the VRRP blocks ({@link KeepalivedVrrp}) and the sync daemon
 * ({@link KeepalivedSyncDaemon}), with everything not carried over in file order and named FILE:LINE. A
 * ConfigException names FILE:LINE too; nothing is returned then (all or nothing).
 */
public record KeepalivedConf(KeepalivedImport.Result lvs, KeepalivedVrrp.Result vrrp, KeepalivedSyncDaemon.Result sync,
                             List<String> notCarried) {

    public static KeepalivedConf read(KeepalivedSource source, boolean withHealth) {
        return read(source, withHealth, java.util.Set.of());
    }

    /** As {@link #read(KeepalivedSource, boolean)}; a group's new mark is none of {@code marksInUse}. */
    public static KeepalivedConf read(KeepalivedSource source, boolean withHealth, java.util.Set<Integer> marksInUse) {
        try {
            List<KeepalivedImport.Node> nodes = KeepalivedImport.Node.parse(source.lines());
            KeepalivedImport.Result lvs = KeepalivedImport.read(nodes, withHealth, marksInUse);
            KeepalivedVrrp.Result vrrp = KeepalivedVrrp.read(nodes);
            KeepalivedSyncDaemon.Result sync = KeepalivedSyncDaemon.read(nodes, vrrp.instances());
            List<String> all = new ArrayList<>(source.warnings());
            for (String line : lvs.notCarried()) { // the blocks read by the VRRP and sync parts are theirs to list
                int n = KeepalivedImport.lineOf(line);
                if (!vrrp.carriedLines().contains(n) && !sync.carriedLines().contains(n)) all.add(line);
            }
            all.addAll(vrrp.notCarried());
            all.addAll(sync.notCarried());
            all.sort(Comparator.comparingInt(KeepalivedImport::lineOf)); // stable: a block's lines stay in order
            return new KeepalivedConf(lvs, vrrp, sync, all.stream().map(source::place).toList());
        } catch (ConfigException e) {
            throw source.place(e);
        }
    }
}
