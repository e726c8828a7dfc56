package org.jlvs.keepalived.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.jlvs.ipvsadm.ConfigException;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

class SyncConfigWriterTest {
    /** One configuration (org.jlvs.sync) in a table, and the updates written to it. */
    private final Hashtable<String, Object> stored = new Hashtable<>();
    private final List<String> updates = new ArrayList<>();
    private Dictionary<String, Object> present;

    private final Configuration config = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Configuration.class}, (p, m, a) -> switch (m.getName()) {
                case "getProperties" -> present == null ? null : new Hashtable<>(stored);
                case "update" -> {
                    @SuppressWarnings("unchecked")
                    Dictionary<String, Object> d = (Dictionary<String, Object>) a[0];
                    stored.clear();
                    for (var k = d.keys(); k.hasMoreElements(); ) {
                        String key = k.nextElement();
                        stored.put(key, d.get(key));
                    }
                    present = stored;
                    updates.add("update");
                    yield null;
                }
                default -> throw new UnsupportedOperationException(m.getName());
            });
    private final ConfigurationAdmin cm = (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ConfigurationAdmin.class}, (p, m, a) -> {
                if (m.getName().equals("getConfiguration") && a[0].equals(KeepalivedSyncDaemon.PID)) return config;
                throw new UnsupportedOperationException(m.getName() + " " + java.util.Arrays.toString(a));
            });

    private static KeepalivedSyncDaemon.Result sync(String text) {
        List<KeepalivedImport.Node> nodes = KeepalivedImport.Node.parse(text);
        return KeepalivedSyncDaemon.read(nodes, KeepalivedVrrp.read(nodes).instances());
    }

    private static final String CONF = """
            global_defs {
                lvs_sync_daemon eth1 inst VI_1 port 8850
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 42
                priority 100
                virtual_ipaddress {
                    10.0.0.1
                }
            }
            """;

    @Test
    void writesBothDaemonsAndTheInstanceTheMasterFollowsKeepingTheOtherKeys() throws Exception {
        stored.put("resync.port", 8850);
        stored.put("sync.threshold", 5);
        present = stored;
        KeepalivedSyncDaemon.Result s = sync(CONF);
        assertEquals("master and backup daemons on eth1, syncid 42, the master while VI_1 is MASTER (group"
                + " 224.0.0.81:8850, ttl 1, maxlen 1472)", s.description());
        assertEquals(List.of("set lvs_sync_daemon: " + s.description()), SyncConfigWriter.apply(cm, s, true));
        assertEquals(List.of(), updates); // a dry run writes nothing
        SyncConfigWriter.apply(cm, s, false);
        assertEquals(List.of("update"), updates);
        assertEquals(true, stored.get("master.enabled"));
        assertEquals(true, stored.get("backup.enabled"));
        assertEquals("VI_1", stored.get("master.instance"));
        assertEquals(42, stored.get("master.syncid"));
        assertEquals(8850, stored.get("backup.port"));
        assertEquals(5, stored.get("sync.threshold")); // not the import's: kept
        // the same file again: nothing to change, nothing written
        assertEquals(List.of(), SyncConfigWriter.apply(cm, s, false));
        assertEquals(1, updates.size());
    }

    @Test
    void aFileWithoutSyncDaemonWritesNothing() throws Exception {
        KeepalivedSyncDaemon.Result s = sync("virtual_server 10.0.0.1 80 {\n}\n");
        assertEquals(true, s.empty());
        assertEquals(List.of(), SyncConfigWriter.apply(cm, s, false));
        assertEquals(List.of(), updates);
    }

    @Test
    void anInstanceTheFileDoesNotHaveIsNotCarriedOverAndAValueJlvsCannotTakeIsRefused() {
        KeepalivedSyncDaemon.Result s = sync("global_defs {\n lvs_sync_daemon eth1 VI_9\n}\n");
        assertEquals(true, s.empty());
        assertEquals(List.of("line 2: lvs_sync_daemon eth1 VI_9 (not carried over: the file has no vrrp_instance VI_9)"),
                s.notCarried());
        assertEquals("line 2: lvs_sync_daemon: sync-maxlen: must be 128..65507: 100",
                org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                        () -> sync("global_defs {\n lvs_sync_daemon eth1 maxlen 100\n}\n")).getMessage());
        KeepalivedSyncDaemon.Result v6 = sync("global_defs {\n lvs_sync_daemon eth1 group ff02::81\n}\n");
        assertEquals(true, v6.empty());
    }
}
