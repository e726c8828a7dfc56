package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jlvs.api.Protocol;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.spi.PacketIo;
import org.jlvs.api.spi.Scheduler;
import org.junit.jupiter.api.Test;

/**
 * The director starts whatever the packet I/O does: an interface that cannot be opened (no libpcap, no
 * permission, no such interface) is listed with its reason, the others are used, and the tables work.
 */
class DirectorDataPathTest {
    private static final CoreSettings SETTINGS = new CoreSettings("eth0,eth1,eth2", 1000);
    private static final String NO_LIBPCAP = "libpcap cannot be loaded: Unable to load library 'pcap'"
            + " - install it: apt-get install -y libpcap0.8";

    /** A PacketIo that opens the interfaces it is given a channel for and fails the others as told. */
    private static final class FakeIo implements PacketIo {
        final Map<String, Object> outcomes = new LinkedHashMap<>();
        final List<String> tried = new ArrayList<>();

        @Override
        public Channel open(String name, String filter, FrameReceiver receiver) throws IOException {
            tried.add(name);
            Object outcome = outcomes.get(name);
            if (outcome instanceof IOException e) throw e;
            if (outcome instanceof Error e) throw e;
            if (outcome instanceof RuntimeException e) throw e;
            return new FakeChannel(name);
        }
    }

    private record FakeChannel(String name) implements PacketIo.Channel {
        @Override public int mtu() { return 1500; }
        @Override public boolean send(byte[] frame, int offset, int length) { return true; }
        @Override public long receivedFrames() { return 0; }
        @Override public long sentFrames() { return 0; }
        @Override public long droppedFrames() { return 0; }
        @Override public void close() {}
    }

    private static Nic nic(String name, int n) {
        return new Nic(name, 0x020000000000L + n, 0x0a000001 + (n << 8), 24);
    }

    private static Nic.Selection all(String... names) {
        List<Nic> nics = new ArrayList<>();
        for (int i = 0; i < names.length; i++) nics.add(nic(names[i], i + 1));
        return new Nic.Selection(nics, Map.of());
    }

    @Test
    void withoutLibpcapTheTablesWorkAndEveryInterfaceSaysWhy() {
        FakeIo io = new FakeIo();
        // what the pcap bundle throws once libpcap failed to load: an IOException with the reason
        io.outcomes.put("eth0", new IOException(NO_LIBPCAP));
        io.outcomes.put("eth1", new IOException(NO_LIBPCAP));
        Director director = new Director(SETTINGS, io, all("eth0", "eth1"));
        try {
            assertEquals(Map.of("eth0", NO_LIBPCAP, "eth1", NO_LIBPCAP), director.dataPathDown());
            assertEquals(List.of("eth0", "eth1"), io.tried);
            director.addScheduler(service -> flow -> null, Map.of(Scheduler.PROPERTY, "rr"));
            ServiceKey key = new ServiceKey(Protocol.TCP, 0x0a000064, 80);
            director.addService(ServiceConfig.of(key, "rr"));
            assertEquals(1, director.list().size());
        } finally {
            director.close();
        }
    }

    @Test
    void aLinkageErrorOfThePacketIoDoesNotStopTheDirector() {
        FakeIo io = new FakeIo();
        io.outcomes.put("eth0", new UnsatisfiedLinkError("Unable to load library 'pcap'"));
        io.outcomes.put("eth1", new NoClassDefFoundError("Could not initialize class org.pcap4j.core.NativeMappings"));
        Director director = new Director(SETTINGS, io, all("eth0", "eth1"));
        try {
            assertEquals(List.of("eth0", "eth1"), List.copyOf(director.dataPathDown().keySet()));
            assertEquals("Unable to load library 'pcap'", director.dataPathDown().get("eth0"));
            assertTrue(director.dataPathDown().get("eth1").contains("NativeMappings"));
        } finally {
            director.close();
        }
    }

    @Test
    void oneInterfaceThatCannotBeOpenedLeavesTheOthersInUse() {
        FakeIo io = new FakeIo();
        io.outcomes.put("eth1", new IOException("cannot open eth1: eth1: You don't have permission to capture on that device"));
        Map<String, String> notUsed = new LinkedHashMap<>();
        notUsed.put("eth2", "no such interface");
        Nic.Selection selection = new Nic.Selection(List.of(nic("eth0", 1), nic("eth1", 2)), notUsed);
        Director director = new Director(SETTINGS, io, selection);
        try {
            // in the order of the configuration (eth0,eth1,eth2)
            assertEquals(List.of("eth1", "eth2"), List.copyOf(director.dataPathDown().keySet()));
            assertEquals("no such interface", director.dataPathDown().get("eth2"));
            assertEquals("cannot open eth1: eth1: You don't have permission to capture on that device",
                    director.dataPathDown().get("eth1"));
            // eth0 is in use: its counters are there, eth1's are not
            assertTrue(director.dataPathCounters().containsKey("link_eth0_received"));
            assertTrue(!director.dataPathCounters().containsKey("link_eth1_received"));
        } finally {
            director.close();
        }
    }

    @Test
    void aPacketIoThatCannotReopenALinkListsItAndNothingIsSentThroughTheClosedChannel() {
        FakeIo first = new FakeIo();
        Director director = new Director(SETTINGS, first, all("eth0", "eth1"));
        try {
            FakeIo second = new FakeIo();
            second.outcomes.put("eth1", new IOException("eth1: no such device"));
            director.bindPacketIo(second);
            assertEquals(Map.of("eth1", "eth1: no such device"), director.dataPathDown());
            assertEquals(List.of("eth0", "eth1"), second.tried);
            assertTrue(director.dataPathCounters().containsKey("link_eth1_received"), "the link stays, down");
            FakeIo third = new FakeIo();
            director.bindPacketIo(third);
            assertEquals(Map.of(), director.dataPathDown(), "the next PacketIo reopens it");
            assertEquals(List.of("eth0", "eth1"), third.tried);
        } finally {
            director.close();
        }
    }

    @Test
    void aLaterPacketIoOpensWhatTheFirstCouldNot() {
        FakeIo first = new FakeIo();
        first.outcomes.put("eth0", new IOException(NO_LIBPCAP));
        first.outcomes.put("eth1", new IOException(NO_LIBPCAP));
        Director director = new Director(SETTINGS, first, all("eth0", "eth1"));
        try {
            assertEquals(2, director.dataPathDown().size());
            FakeIo second = new FakeIo();
            director.bindPacketIo(second);
            assertEquals(Map.of(), director.dataPathDown());
            assertEquals(List.of("eth0", "eth1"), second.tried);
            assertTrue(director.dataPathCounters().containsKey("link_eth0_received"));
            assertTrue(director.dataPathCounters().containsKey("link_eth1_received"));
        } finally {
            director.close();
        }
    }

    @Test
    void everyInterfaceInUseMeansNothingIsDown() {
        FakeIo io = new FakeIo();
        Director director = new Director(SETTINGS, io, all("eth0", "eth1"));
        try {
            assertEquals(Map.of(), director.dataPathDown());
            assertEquals(List.of("eth0", "eth1"), io.tried);
        } finally {
            director.close();
        }
    }

    @Test
    void noInterfaceSelectedIsNamed() {
        Nic.Selection none = Nic.select(List.of("jlvs-nosuch0"));
        assertEquals(Map.of("jlvs-nosuch0", "no such interface"), none.notUsed());
        assertTrue(none.usable().isEmpty());
    }
}
