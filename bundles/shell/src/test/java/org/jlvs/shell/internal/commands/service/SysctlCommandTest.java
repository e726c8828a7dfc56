package org.jlvs.shell.internal.commands.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

class SysctlCommandTest {
    /** One configuration in memory; records the PID and location asked for. */
    private Dictionary<String, Object> stored;
    private String askedPid;
    private Object askedLocation = "unset";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @SuppressWarnings("unchecked")
    private final Configuration configuration = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getProperties" -> stored;
                case "update" -> {
                    stored = (Dictionary<String, Object>) args[0];
                    yield null;
                }
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private final ConfigurationAdmin admin = (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                if (!method.getName().equals("getConfiguration") || args.length != 2) {
                    throw new UnsupportedOperationException(method.getName());
                }
                askedPid = (String) args[0];
                askedLocation = args[1];
                return configuration;
            });

    private String run(String name, String value) throws Exception {
        SysctlCommand c = new SysctlCommand();
        c.table = new FakeVirtualServerTable();
        c.configAdmin = admin;
        c.name = name;
        c.value = value;
        c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        out.reset();
        c.execute();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsTheDefaultsWhenNothingIsSet() throws Exception {
        assertEquals("net.ipv4.vs.conn_reuse_mode = 1\n"
                + "net.ipv4.vs.drop_entry = 0\n"
                + "net.ipv4.vs.expire_nodest_conn = 0\n"
                + "net.ipv4.vs.expire_quiescent_template = 0\n", run(null, null));
        assertEquals("org.jlvs.core.sysctl", askedPid);
        assertNull(askedLocation, "not bound to the shell bundle: jlvs-core must receive it");
    }

    @Test
    void setsOneAndKeepsTheOthers() throws Exception {
        stored = new Hashtable<>();
        stored.put("conn_reuse_mode", 0);
        stored.put("felix.fileinstall.filename", "file:/etc/org.jlvs.core.sysctl.cfg");
        assertEquals("", run("net.ipv4.vs.expire_quiescent_template", "1"));
        assertEquals(1, stored.get("expire_quiescent_template"));
        assertEquals(0, stored.get("conn_reuse_mode"));
        assertEquals("file:/etc/org.jlvs.core.sysctl.cfg", stored.get("felix.fileinstall.filename"));
        assertEquals("net.ipv4.vs.expire_quiescent_template = 1\n", run("expire_quiescent_template", null));
        assertEquals("net.ipv4.vs.conn_reuse_mode = 0\n", run("conn_reuse_mode", null));
    }

    @Test
    void refusesUnknownNamesAndBadValuesWithoutWriting() {
        assertEquals("unknown setting 'am_droprate': one of conn_reuse_mode, drop_entry, expire_nodest_conn,"
                + " expire_quiescent_template", assertThrows(CommandException.class, () -> run("am_droprate", "1"))
                .getMessage());
        assertEquals("bad expire_nodest_conn '2': must be 0..1",
                assertThrows(CommandException.class, () -> run("expire_nodest_conn", "2")).getMessage());
        assertNull(stored);
        assertNull(askedPid, "nothing was even read");
    }
}
