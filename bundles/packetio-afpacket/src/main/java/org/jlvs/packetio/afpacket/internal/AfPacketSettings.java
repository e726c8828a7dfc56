package org.jlvs.packetio.afpacket.internal;

import java.util.Map;

/**
 * The settings of PID {@value #PID}, checked; a bad value is replaced by its default (and said so by the caller).
 *
 * @param immediate    {@code tpacket_version = 2}: a frame is handed over and woken for as soon as it is written.
 *                     {@code 3}: blocks, handed over when full or after {@code block_timeout_ms}
 * @param retireMillis the TPACKET_V3 block timeout
 * @param ringBytes    the receive ring's size per interface
 * @param qdiscBypass  sends skip the interface's queueing discipline (and with it the other taps of the host)
 */
record AfPacketSettings(boolean immediate, int retireMillis, int ringBytes, boolean qdiscBypass) {
    static final String PID = "org.jlvs.packetio.afpacket";
    static final AfPacketSettings DEFAULTS = new AfPacketSettings(true, 1, 4 << 20, true);

    static AfPacketSettings of(Map<String, ?> properties) {
        int version = intValue(properties, "tpacket_version", DEFAULTS.immediate() ? 2 : 3);
        int retire = intValue(properties, "block_timeout_ms", DEFAULTS.retireMillis());
        int ringKib = intValue(properties, "ring_kib", DEFAULTS.ringBytes() >> 10);
        Object bypass = properties.get("qdisc_bypass");
        return new AfPacketSettings(version != 3, Math.max(1, Math.min(retire, 1000)),
                Math.max(512, Math.min(ringKib, 256 << 10)) << 10,
                bypass == null ? DEFAULTS.qdiscBypass() : Boolean.parseBoolean(bypass.toString().trim()));
    }

    private static int intValue(Map<String, ?> properties, String key, int fallback) {
        Object value = properties.get(key);
        if (value == null) return fallback;
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
