package org.jlvs.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jlvs.api.Ip4;
import org.jlvs.api.fake.FakeConnectionSync;
import org.jlvs.api.sync.IpvsConn;
import org.jlvs.api.sync.SyncEntry;
import org.jlvs.api.sync.SyncRule;
import org.junit.jupiter.api.Test;

/**
 * Captures what the master daemon sends on the loopback interface with tshark (Debian's, installed by
 * lab/setup-host.sh) and decodes it with Wireshark's own IPVS sync dissector: sync id, count, protocol, ports,
 * addresses, state and timeout of every IPv4 entry without options must be what was queued. (The dissector reads
 * these correctly; it validates nothing, which the receive-rule tests do.) Needs root, as the CI runs.
 */
class TsharkCaptureTest {
    private static final int ENTRIES = 45; // one full datagram of 40, then 5 flushed after 2 s

    private static SyncEntry entry(SyncEntry e, int i) {
        boolean udp = i % 5 == 4;
        return e.set(udp ? 17 : 6, udp ? IpvsConn.F_MASQ : IpvsConn.F_DROUTE | IpvsConn.F_NOOUTPUT,
                udp ? 0 : IpvsConn.TCP_ESTABLISHED, Ip4.parse("10.214.2.0") + i, 40000 + i, Ip4.parse("10.214.1.100"),
                udp ? 53 : 80, Ip4.parse("10.214.3.11"), udp ? 5300 : 8080, 0, udp ? 300 : 900);
    }

    @Test
    void tsharkDecodesWhatTheMasterSends() throws Exception {
        int port = Loopback.freeUdpPort();
        int probePort = Loopback.freeUdpPort();
        Path pcap = Files.createTempFile("jlvs-sync", ".pcap");
        // -P -l: a summary line per captured packet on stdout, so the test knows when capturing has begun.
        Process capture = new ProcessBuilder("tshark", "-i", "lo", "-f",
                "udp dst port " + port + " or udp dst port " + probePort, "-P", "-l", "-w", pcap.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        AtomicInteger packets = new AtomicInteger(); // the probes tshark has shown
        AtomicInteger fromMaster = new AtomicInteger(); // the datagrams to the group
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(capture.getInputStream(),
                StandardCharsets.UTF_8)).lines().forEach(l -> (l.contains("224.0.0.81") ? fromMaster : packets).incrementAndGet()));
        reader.setDaemon(true);
        reader.start();
        try {
            try (DatagramSocket probe = new DatagramSocket()) {
                assertTrue(probeUntilSeen(probe, probePort, packets, 0, capture), "tshark did not start capturing");
                if (!capture.isAlive()) fail("tshark could not capture on lo (is it installed, is this root?)");
                FakeConnectionSync table = new FakeConnectionSync(10);
                try (MasterDaemon master = new MasterDaemon(Loopback.settings(7, port), SyncRule.DEFAULT, 64,
                        ResyncSettings.off(), table, () -> System.nanoTime() / 1_000_000)) {
                    SyncEntry e = new SyncEntry();
                    for (int i = 0; i < ENTRIES; i++) assertTrue(table.feed().queue().offer(entry(e, i)));
                    assertTrue(Loopback.await(() -> fromMaster.get() >= 2, 60),
                            "tshark did not see the master's two datagrams in 60 s");
                }
                // tshark writes packets in order: once a later probe shows up, both datagrams are in the file.
                assertTrue(probeUntilSeen(probe, probePort, packets, packets.get(), capture));
            }
        } finally {
            capture.destroy();
            capture.waitFor(30, TimeUnit.SECONDS);
        }

        Process decode = new ProcessBuilder("tshark", "-r", pcap.toString(), "-d", "udp.port==" + port + ",ipvs",
                "-Y", "udp.dstport==" + port, "-T", "fields", "-E", "separator=|", "-E", "aggregator=,", "-e", "ipvs.syncid", "-e", "ipvs.size",
                "-e", "ipvs.conncount", "-e", "ipvs.version", "-e", "ipvs.type", "-e", "ipvs.proto", "-e", "ipvs.size.v1",
                "-e", "ipvs.flags.v1", "-e", "ipvs.state", "-e", "ipvs.cport", "-e", "ipvs.vport", "-e", "ipvs.dport",
                "-e", "ipvs.timeout", "-e", "ipvs.caddr", "-e", "ipvs.vaddr", "-e", "ipvs.daddr", "-e", "_ws.malformed")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String decoded = new String(decode.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(decode.waitFor(60, TimeUnit.SECONDS));
        Files.deleteIfExists(pcap);

        List<String> expected = new ArrayList<>();
        expected.add(line(0, 40));
        expected.add(line(40, ENTRIES));
        assertEquals(String.join("\n", expected), decoded.strip());
    }

    /** Sends a probe every 200 ms until tshark has shown more than {@code seen} packets (at most 60 s). */
    private static boolean probeUntilSeen(DatagramSocket probe, int port, AtomicInteger packets, int seen, Process capture)
            throws InterruptedException {
        byte[] hello = {1};
        return Loopback.await(() -> {
            try {
                probe.send(new DatagramPacket(hello, 1, InetAddress.getLoopbackAddress(), port));
                Thread.sleep(200);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return packets.get() > seen || !capture.isAlive();
        }, 60);
    }

    /** tshark's fields for one datagram holding entries {@code from}..{@code to}-1. */
    private static String line(int from, int to) {
        int n = to - from;
        SyncEntry e = new SyncEntry();
        StringJoiner type = new StringJoiner(","), proto = new StringJoiner(","), size = new StringJoiner(","),
                flags = new StringJoiner(","), state = new StringJoiner(","), cport = new StringJoiner(","),
                vport = new StringJoiner(","), dport = new StringJoiner(","), timeout = new StringJoiner(","),
                caddr = new StringJoiner(","), vaddr = new StringJoiner(","), daddr = new StringJoiner(",");
        for (int i = from; i < to; i++) {
            entry(e, i);
            type.add("0");
            proto.add(String.format("0x%02x", e.protocol));
            size.add("36");
            flags.add(String.format("0x%08x", e.flags));
            state.add(String.format("0x%04x", e.state));
            cport.add(String.valueOf(e.clientPort));
            vport.add(String.valueOf(e.virtualPort));
            dport.add(String.valueOf(e.destPort));
            timeout.add(String.valueOf(e.timeout));
            caddr.add(Ip4.toString(e.clientAddress));
            vaddr.add(Ip4.toString(e.virtualAddress));
            daddr.add(Ip4.toString(e.destAddress));
        }
        return String.join("|", "7", String.valueOf(8 + 36 * n), String.valueOf(n), "1", type.toString(),
                proto.toString(), size.toString(), flags.toString(), state.toString(), cport.toString(), vport.toString(),
                dport.toString(), timeout.toString(), caddr.toString(), vaddr.toString(), daddr.toString(), "");
    }
}
