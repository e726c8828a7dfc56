package org.jlvs.packetio.afpacket.internal;

import java.util.function.Consumer;

/**
 * The settings of PID {@value #PID}, checked. A bad value is refused with a reason naming the key and the value,
 * and the value in use (at the first start: the default) stays.
 *
 * @param immediate    {@code tpacket_version = 2}: a frame is handed over and woken for as soon as it is written.
 *                     {@code 3}: blocks, handed over when full or after {@code block_timeout_ms}
 * @param retireMillis the TPACKET_V3 block timeout
 * @param ringBytes    the receive ring's size per interface
 * @param qdiscBypass  sends skip the interface's queueing discipline (and with it the other taps of the host)
 * @param fanoutThreads receive sockets and threads per interface, in one PACKET_FANOUT group (1: no fanout)
 */
record AfPacketSettings(boolean immediate, int retireMillis, int ringBytes, boolean qdiscBypass, int fanoutThreads) {
    static final String PID = "org.jlvs.packetio.afpacket";
    static final AfPacketSettings DEFAULTS = new AfPacketSettings(true, 1, 4 << 20, true, 1);
    static final int MIN_RING_KIB = 512, MAX_RING_KIB = 256 << 10, MAX_RETIRE_MILLIS = 1000, MAX_FANOUT_THREADS = 16;

    /** Without fanout. */
    AfPacketSettings(boolean immediate, int retireMillis, int ringBytes, boolean qdiscBypass) {
        this(immediate, retireMillis, ringBytes, qdiscBypass, 1);
    }

    /** The settings {@code config} asks for; each refused value keeps its value in {@code current}. */
    static AfPacketSettings of(AfPacketIo.Config config, AfPacketSettings current, Consumer<String> refused) {
        boolean immediate = current.immediate();
        String version = config.tpacket__version().trim();
        if (version.equals("2") || version.equals("3")) immediate = version.equals("2");
        else refused.accept(refusal("tpacket_version", version, "2 or 3", current.immediate() ? "2" : "3"));
        int retire = whole(config.block__timeout__ms(), 1, MAX_RETIRE_MILLIS, "block_timeout_ms",
                current.retireMillis(), refused);
        int ringKib = whole(config.ring__kib(), MIN_RING_KIB, MAX_RING_KIB, "ring_kib", current.ringBytes() >> 10,
                refused);
        boolean bypass = current.qdiscBypass();
        String b = config.qdisc__bypass().trim();
        if (b.equalsIgnoreCase("true") || b.equalsIgnoreCase("false")) bypass = Boolean.parseBoolean(b);
        else refused.accept(refusal("qdisc_bypass", b, "true or false", String.valueOf(current.qdiscBypass())));
        int fanout = whole(config.fanout__threads(), 1, MAX_FANOUT_THREADS, "fanout_threads", current.fanoutThreads(),
                refused);
        return new AfPacketSettings(immediate, retire, ringKib << 10, bypass, fanout);
    }

    private static int whole(String text, int min, int max, String key, int current, Consumer<String> refused) {
        String t = text.trim();
        try {
            int v = Integer.parseInt(t);
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException e) {
            // refused below
        }
        refused.accept(refusal(key, t, "a whole number " + min + ".." + max, String.valueOf(current)));
        return current;
    }

    private static String refusal(String key, String value, String wanted, String keeping) {
        return PID + ": " + key + " = '" + value + "' refused (" + wanted + "); keeping " + key + " = " + keeping;
    }
}
