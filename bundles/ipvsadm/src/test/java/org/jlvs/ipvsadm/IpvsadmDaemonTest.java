package org.jlvs.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import org.jlvs.api.fake.FakeSyncDaemon;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.jlvs.api.LvsException;
import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.api.sync.SyncSettings;
import org.junit.jupiter.api.Test;

/** ipvsadm --start-daemon, --stop-daemon and -L --daemon against the sync daemons. */
class IpvsadmDaemonTest {
    private final FakeSyncDaemon daemons = new FakeSyncDaemon();
    private final Map<SyncDaemon.Role, SyncSettings> running = daemons.running;

    private String run(Ipvsadm ipvsadm, String line) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ipvsadm.run(Arrays.asList(line.split(" ")), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void startListAndStopAsIpvsadm() throws IOException {
        Ipvsadm ipvsadm = new Ipvsadm(new FakeVirtualServerTable(), null, daemons);
        assertEquals("", run(ipvsadm, "-L --daemon"));
        run(ipvsadm, "--start-daemon master --mcast-interface eth1 --syncid 7");
        run(ipvsadm, "--start-daemon backup --syncid 7 --mcast-group 239.0.0.9 --mcast-port 9000 --mcast-ttl 2 --sync-maxlen 1400");
        assertEquals(SyncSettings.of("eth1", 7), running.get(SyncDaemon.Role.MASTER));
        assertEquals(new SyncSettings("eth0", 7, "239.0.0.9", 9000, 2, 1400), running.get(SyncDaemon.Role.BACKUP),
                "ipvsadm's default interface is eth0");
        assertEquals("master sync daemon (mcast=eth1, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n"
                + "backup sync daemon (mcast=eth0, syncid=7, maxlen=1400, group=239.0.0.9, port=9000, ttl=2)\n",
                run(ipvsadm, "-L --daemon"));
        assertEquals("{\n  \"daemons\": [\n    {\"role\": \"master\", \"mcast_interface\": \"eth1\", \"syncid\": 7,"
                + " \"maxlen\": 1472, \"group\": \"224.0.0.81\", \"port\": 8848, \"ttl\": 1},\n    {\"role\": \"backup\","
                + " \"mcast_interface\": \"eth0\", \"syncid\": 7, \"maxlen\": 1400, \"group\": \"239.0.0.9\", \"port\": 9000,"
                + " \"ttl\": 2}\n  ]\n}\n", run(ipvsadm, "-L --daemon --json"));
        run(ipvsadm, "--stop-daemon master");
        assertEquals(1, running.size());
        run(ipvsadm, "--stop-daemon master"); // none running: quiet
        run(ipvsadm, "--stop-daemon backup");
        assertEquals("{\n  \"daemons\": []\n}\n", run(ipvsadm, "-L --daemon --json"));
    }

    @Test
    void badSettingsAndAMissingSyncBundleAreRefused() {
        Ipvsadm ipvsadm = new Ipvsadm(new FakeVirtualServerTable(), null, daemons);
        assertEquals("mcast-group: not an IPv4 multicast address: 10.0.0.1", assertThrows(IllegalArgumentException.class,
                () -> run(ipvsadm, "--start-daemon master --mcast-group 10.0.0.1")).getMessage());
        assertEquals("illegal start-daemon parameter specified", assertThrows(IllegalArgumentException.class,
                () -> run(ipvsadm, "--start-daemon primary")).getMessage());
        assertEquals(0, running.size());
        Ipvsadm without = new Ipvsadm(new FakeVirtualServerTable(), null);
        assertEquals("connection sync is not available (feature:install jlvs-sync)", assertThrows(LvsException.class,
                () -> run(without, "--start-daemon master")).getMessage());
    }
}
