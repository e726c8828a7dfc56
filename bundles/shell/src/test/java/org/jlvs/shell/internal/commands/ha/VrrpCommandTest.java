package org.jlvs.shell.internal.commands.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jlvs.api.Ip4;
import org.jlvs.api.ha.DirectorRole;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.junit.jupiter.api.Test;

/** lvs:vrrp: every instance with its state, priorities, master, timers, addresses and counters, as text and JSON. */
class VrrpCommandTest {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private String run(DirectorRole role, boolean json) throws Exception {
        VrrpCommand c = new VrrpCommand();
        c.table = new FakeVirtualServerTable();
        c.role = role;
        c.json = json;
        c.out = new PrintStream(output, true, StandardCharsets.UTF_8);
        c.execute();
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsEachInstance() throws Exception {
        assertEquals("VI_1 MASTER  interface eth0  vrid 51  group G\n"
                + "  priority 150 effective 140  master 10.0.0.1  advert_int 0.500 s  master_down 1.727 s\n"
                + "  addresses 10.0.0.100 10.0.1.254\n"
                + "  advertisements_received          7\n"
                + "  become_master                    1\n", run(role(), false));
    }

    @Test
    void jsonForMachines() throws Exception {
        assertEquals("{\"format\":\"jlvs-vrrp\",\"version\":1,\"instances\":[{\"name\":\"VI_1\",\"state\":\"MASTER\","
                + "\"group\":\"G\",\"interface\":\"eth0\",\"vrid\":51,\"priority\":150,\"effective_priority\":140,"
                + "\"master\":\"10.0.0.1\",\"advert_interval_ms\":500,\"master_down_ms\":1726.563,"
                + "\"addresses\":[\"10.0.0.100\",\"10.0.1.254\"],"
                + "\"counters\":{\"advertisements_received\":7,\"become_master\":1}}]}\n", run(role(), true));
    }

    @Test
    void withoutTheHaBundleItSaysSo() throws Exception {
        assertEquals("no VRRP: the jlvs-ha feature is not installed\n", run(null, false));
        output.reset();
        assertEquals("{\"format\":\"jlvs-vrrp\",\"version\":1,\"instances\":[]}\n", run(null, true));
    }

    private static DirectorRole role() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("advertisements_received", 7L);
        counters.put("become_master", 1L);
        DirectorRole.Instance vi1 = new DirectorRole.Instance() {
            @Override public String name() { return "VI_1"; }
            @Override public String group() { return "G"; }
            @Override public String interfaceName() { return "eth0"; }
            @Override public int vrid() { return 51; }
            @Override public DirectorRole.State state() { return DirectorRole.State.MASTER; }
            @Override public List<Integer> addresses() { return List.of(Ip4.parse("10.0.0.100"), Ip4.parse("10.0.1.254")); }
            @Override public int priority() { return 150; }
            @Override public int effectivePriority() { return 140; }
            @Override public int masterAddress() { return Ip4.parse("10.0.0.1"); }
            @Override public int advertIntervalCentis() { return 50; }
            @Override public long masterDownNanos() { return 3 * 500_000_000L + (256 - 140) * 500_000_000L / 256; }
            @Override public Map<String, Long> counters() { return counters; }
        };
        return new DirectorRole() {
            @Override public boolean mayServe(int address) { return true; }
            @Override public List<Instance> instances() { return List.of(vi1); }
            @Override public void addListener(Listener l) { }
            @Override public void removeListener(Listener l) { }
        };
    }
}
