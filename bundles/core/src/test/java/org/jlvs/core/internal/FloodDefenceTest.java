package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.junit.jupiter.api.Test;

/**
 * What floods can and cannot do to the table: templates are entries under the cap (issue: they were a map
 * outside it), a full table gives way to new connections by evicting a flood's entries (half-open TCP,
 * one-packet or unreplied UDP, templates that control nothing), and drop_entry drops as IPVS does.
 */
class FloodDefenceTest {
    private static final long S = 1_000_000_000L;
    private static final int SYN = 2, A = 16, F = 1;
    private static final int VIP = Ip4.parse("10.0.0.1");

    private long now = 1_000 * S;
    private final Dest dest = new Dest(ServerConfig.of(Ip4.parse("10.0.1.1"), 80, ForwardMethod.MASQ, 1));
    private final Service persistent = service(Protocol.TCP, 80, 300);
    private final Service web = service(Protocol.TCP, 8080, 0);
    private final Service dns = service(Protocol.UDP, 53, 0);

    private Service service(Protocol protocol, int port, int persistence) {
        Service s = new Service(new ServiceConfig(new ServiceKey(protocol, VIP, port), "rr", 0, persistence, -1));
        s.addDest(dest);
        return s;
    }

    /** A SYN from {@code client} to the persistent service, as PacketPath.newFlow makes it; null if refused. */
    private Conn persistentSyn(ConnTable table, int client, int port) {
        Dest d = table.useTemplate(persistent, client, false);
        if (d == null && (d = table.addTemplate(persistent, client, dest)) == null) return null;
        Conn c = new Conn(6, client, port, VIP, 80, d, persistent, null, 0);
        c.controlled = true;
        if (!table.add(c)) {
            table.releaseControl(persistent, d, client);
            return null;
        }
        table.update(c, TcpStates.DIR_INPUT, SYN);
        return c;
    }

    @Test
    void aSynFloodAtAPersistentServiceStaysUnderTheCapAndSparesTemplatesInUse() {
        ConnTable table = new ConnTable(() -> now, 100);
        Conn kept = persistentSyn(table, Ip4.parse("10.9.0.1"), 1000);
        table.update(kept, TcpStates.DIR_OUTPUT, SYN | A);
        table.update(kept, TcpStates.DIR_INPUT, A); // established: its template controls it
        int admitted = 0;
        for (int i = 0; i < 2_000; i++) { // spoofed sources, one SYN each: a template and a half-open entry each
            if (persistentSyn(table, Ip4.parse("10.8.0.0") + i, 2000 + i) != null) admitted++;
            assertTrue(table.size() <= 100, "templates count against the cap: " + table.size());
        }
        assertEquals(100, table.size());
        assertTrue(table.templates() > 0 && table.templates() < 100, "templates " + table.templates());
        assertTrue(admitted > 1_900, "a flood's entries give way to the next SYN: " + admitted);
        assertTrue(table.evicted.sum() > 3_000, "half-open entries and templates without connections evicted");
        assertTrue(table.expiresInMillis(kept) > 0, "the established connection stays");
        assertSame(dest, table.useTemplate(persistent, Ip4.parse("10.9.0.1"), false),
                "and so does the template that controls it");
        assertEquals(table.templates(), dest.persistentConns(), "persistent conns count the templates");
    }

    @Test
    void aTemplateExpiresOnlyWhenItControlsNothing() {
        ConnTable table = new ConnTable(() -> now, 100);
        int client = Ip4.parse("10.9.0.1");
        Conn c = persistentSyn(table, client, 1000);
        table.update(c, TcpStates.DIR_OUTPUT, SYN | A);
        table.update(c, TcpStates.DIR_INPUT, A);
        for (int s = 0; s < 400; s++) { // past the 300 s persistence: re-armed by 60 s while it controls
            now += S;
            table.expire();
        }
        assertEquals(1, table.templates());
        table.remove(c); // the connection ends: n_control 0
        for (int s = 0; s < 61; s++) {
            now += S;
            table.expire();
        }
        assertEquals(0, table.templates());
        assertEquals(0, table.size());
        assertEquals(0, dest.persistentConns());
        assertEquals(0, table.destIds(), "every id given back");
    }

    @Test
    void aUdpFloodAtOneServiceDoesNotShutOutTheOthers() {
        ConnTable table = new ConnTable(() -> now, 100);
        List<Conn> talking = new ArrayList<>();
        for (int i = 0; i < 10; i++) { // real flows: several datagrams and replies
            Conn c = new Conn(17, Ip4.parse("10.7.0.1"), 5000 + i, VIP, 53, dest, dns, null, 0);
            assertTrue(table.add(c));
            for (int n = 0; n < 3; n++) table.update(c, TcpStates.DIR_INPUT, 0);
            table.update(c, TcpStates.DIR_OUTPUT, 0);
            talking.add(c);
        }
        for (int i = 0; i < 1_000; i++) { // spoofed datagrams: one each, 300 s entries
            Conn c = new Conn(17, Ip4.parse("10.8.0.0") + i, 1024 + i, VIP, 53, dest, dns, null, 0);
            assertTrue(table.add(c), "flood entries evict each other");
            table.update(c, TcpStates.DIR_INPUT, 0);
        }
        assertEquals(100, table.size());
        for (int i = 0; i < 50; i++) {
            Conn c = new Conn(6, Ip4.parse("10.6.0.1"), 40000 + i, VIP, 8080, dest, web, null, 0);
            assertTrue(table.add(c), "a new connection to another service gets a flood's slot");
            table.update(c, TcpStates.DIR_INPUT, SYN);
            table.update(c, TcpStates.DIR_OUTPUT, SYN | A);
            table.update(c, TcpStates.DIR_INPUT, A);
        }
        for (Conn c : talking) assertTrue(table.expiresInMillis(c) > 0, "flows with replies stay");
        assertEquals(0, table.refused.sum());
    }

    @Test
    void theSecondAddOfAConnectionFillsTheViewWithTheEntryTheTableKept() {
        ConnTable table = new ConnTable(() -> now, 100);
        Dest other = new Dest(ServerConfig.of(Ip4.parse("10.0.1.2"), 80, ForwardMethod.MASQ, 1));
        web.addDest(other);
        Conn first = new Conn(6, Ip4.parse("10.6.0.1"), 40000, VIP, 8080, dest, web, null, 0);
        assertTrue(table.add(first));
        assertTrue(first.created);
        Conn second = new Conn(6, Ip4.parse("10.6.0.1"), 40000, VIP, 8080, other, web, null, 0);
        assertTrue(table.add(second));
        assertFalse(second.created, "another receive thread's entry: not a new connection to count");
        assertSame(dest, second.dest, "the server the table kept");
        assertEquals(1, dest.inactiveConns() + dest.activeConns());
        assertEquals(0, other.inactiveConns() + other.activeConns());
    }

    @Test
    void dropEntryDropsWhatIpVsRandomDropentryDrops() {
        ConnTable table = new ConnTable(() -> now, 320);
        List<Conn> onePacket = new ArrayList<>(), twoPackets = new ArrayList<>(), nine = new ArrayList<>(),
                closing = new ArrayList<>(), halfOpen = new ArrayList<>();
        int port = 1000;
        for (int i = 0; i < 20; i++) {
            onePacket.add(udp(table, port++, 1));
            twoPackets.add(udp(table, port++, 2));
            nine.add(udp(table, port++, 9));
            Conn fin = new Conn(6, Ip4.parse("10.5.0.1"), port++, VIP, 8080, dest, web, null, 0);
            table.add(fin);
            table.update(fin, TcpStates.DIR_INPUT, SYN);
            table.update(fin, TcpStates.DIR_OUTPUT, SYN | A);
            table.update(fin, TcpStates.DIR_INPUT, A);
            table.update(fin, TcpStates.DIR_OUTPUT, F | A); // FIN_WAIT, 120 s
            closing.add(fin);
        }
        Dest d = table.addTemplate(persistent, Ip4.parse("10.9.0.1"), dest);
        assertNotNull(d);
        table.releaseControl(persistent, d, Ip4.parse("10.9.0.1")); // a template without connections
        for (int i = 0; i < 300; i++) table.dropEntries(); // idle less than 60 s: nothing but half-open
        assertEquals(0, table.defenseDropped.sum(), "nothing idle for 60 s yet, nothing half-open");
        for (int i = 0; i < 20; i++) {
            Conn c = new Conn(6, Ip4.parse("10.4.0.1"), port++, VIP, 8080, dest, web, null, 0);
            table.add(c);
            table.update(c, TcpStates.DIR_INPUT, SYN);
            halfOpen.add(c);
        }
        now += 61 * S;
        for (int i = 0; i < 2_000; i++) table.dropEntries(); // 10 random slots a run: each seen many times
        for (Conn c : halfOpen) assertEquals(-1, table.expiresInMillis(c), "half-open: always dropped");
        for (Conn c : onePacket) assertEquals(-1, table.expiresInMillis(c), "1 packet, idle 61 s: dropped");
        for (Conn c : twoPackets) assertEquals(-1, table.expiresInMillis(c), "2 packets: one in two a time");
        for (Conn c : nine) assertTrue(table.expiresInMillis(c) > 0, "more than 8 packets: kept");
        for (Conn c : closing) assertTrue(table.expiresInMillis(c) > 0, "FIN_WAIT: kept");
        assertEquals(1, table.templates(), "templates: kept");
        assertEquals(60, table.defenseDropped.sum());
    }

    private Conn udp(ConnTable table, int port, int packets) {
        Conn c = new Conn(17, Ip4.parse("10.3.0.1"), port, VIP, 53, dest, dns, null, 0);
        assertTrue(table.add(c));
        for (int i = 0; i < packets; i++) table.update(c, TcpStates.DIR_INPUT, 0);
        return c;
    }

    @Test
    void dropEntryIsOnAsTheKernelsDefenceLevelSaysWithTheTableForMemory() {
        for (boolean full : new boolean[] {false, true}) {
            assertFalse(DataPlane.dropEntryOn(0, full));
            assertEquals(full, DataPlane.dropEntryOn(1, full));
            assertEquals(full, DataPlane.dropEntryOn(2, full));
            assertTrue(DataPlane.dropEntryOn(3, full));
        }
        ConnTable table = new ConnTable(() -> now, 32);
        for (int i = 0; i < 29; i++) udp(table, 1000 + i, 1);
        assertFalse(table.nearlyFull());
        udp(table, 2000, 1);
        assertTrue(table.nearlyFull(), "30 of 32: within 1/16 of full");
    }
}
