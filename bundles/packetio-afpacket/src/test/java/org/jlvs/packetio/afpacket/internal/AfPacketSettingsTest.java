package org.jlvs.packetio.afpacket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** PID org.jlvs.packetio.afpacket: good values apply, a bad one is refused by name and the one in use stays. */
class AfPacketSettingsTest {
    private static AfPacketIo.Config config(String version, String timeout, String ringKib, String bypass) {
        return config(version, timeout, ringKib, bypass, "1");
    }

    private static AfPacketIo.Config config(String version, String timeout, String ringKib, String bypass,
                                            String fanout) {
        return new AfPacketIo.Config() {
            @Override public Class<? extends Annotation> annotationType() { return AfPacketIo.Config.class; }
            @Override public String tpacket__version() { return version; }
            @Override public String block__timeout__ms() { return timeout; }
            @Override public String ring__kib() { return ringKib; }
            @Override public String qdisc__bypass() { return bypass; }
            @Override public String fanout__threads() { return fanout; }
        };
    }

    private final List<String> refused = new ArrayList<>();

    @Test
    void theDefaultsAreTheAnnotationsDefaults() {
        assertEquals(AfPacketSettings.DEFAULTS,
                AfPacketSettings.of(config("2", "1", "4096", "true"), AfPacketSettings.DEFAULTS, refused::add));
        assertEquals(List.of(), refused);
    }

    @Test
    void goodValuesApply() {
        AfPacketSettings s = AfPacketSettings.of(config(" 3 ", "4", "1024", "FALSE"), AfPacketSettings.DEFAULTS,
                refused::add);
        assertEquals(new AfPacketSettings(false, 4, 1024 << 10, false), s);
        assertEquals(List.of(), refused);
    }

    @Test
    void eachBadValueIsRefusedByNameAndTheValueInUseStays() {
        AfPacketSettings current = new AfPacketSettings(false, 7, 2048 << 10, false);
        AfPacketSettings s = AfPacketSettings.of(config("4", "abc", "100", "yes"), current, refused::add);
        assertEquals(current, s);
        assertEquals(4, refused.size(), refused.toString());
        assertTrue(refused.get(0).contains("tpacket_version = '4' refused (2 or 3); keeping tpacket_version = 3"),
                refused.get(0));
        assertTrue(refused.get(1).contains("block_timeout_ms = 'abc' refused (a whole number 1..1000)"), refused.get(1));
        assertTrue(refused.get(2).contains("ring_kib = '100' refused (a whole number 512..262144); keeping ring_kib = 2048"),
                refused.get(2));
        assertTrue(refused.get(3).contains("qdisc_bypass = 'yes' refused (true or false)"), refused.get(3));
        assertTrue(refused.stream().allMatch(r -> r.startsWith("org.jlvs.packetio.afpacket: ")));
    }

    @Test
    void fanoutThreadsApplyWithinTheirRangeAndABadValueIsRefused() {
        AfPacketSettings s = AfPacketSettings.of(config("2", "1", "4096", "true", " 4 "), AfPacketSettings.DEFAULTS,
                refused::add);
        assertEquals(4, s.fanoutThreads());
        assertEquals(List.of(), refused);
        AfPacketSettings kept = AfPacketSettings.of(config("2", "1", "4096", "true", "17"), s, refused::add);
        assertEquals(4, kept.fanoutThreads());
        AfPacketSettings.of(config("2", "1", "4096", "true", "0"), s, refused::add);
        assertEquals(List.of("org.jlvs.packetio.afpacket: fanout_threads = '17' refused (a whole number 1..16);"
                        + " keeping fanout_threads = 4",
                "org.jlvs.packetio.afpacket: fanout_threads = '0' refused (a whole number 1..16);"
                        + " keeping fanout_threads = 4"), refused);
        assertEquals(1, AfPacketSettings.DEFAULTS.fanoutThreads(), "default: one receive thread, as before");
    }
}
