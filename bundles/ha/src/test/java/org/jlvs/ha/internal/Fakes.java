package org.jlvs.ha.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

import org.jlvs.api.Ip4;

/** Test doubles: a manual clock, a network of fake links and channels, scripts completed by the test. */
final class Fakes {
    private Fakes() {}

    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    static final class ManualClock implements Engine.Clock {
        long now = 1_000 * S;

        @Override
        public long nanoTime() {
            return now;
        }

        void advance(long nanos) {
            now += nanos;
        }
    }

    /** What one instance sent: priorities of adverts and GARP frame counts, with the clock's time. */
    static final class FakeWire implements Network.Binding {
        final ManualClock clock;
        final int source;
        final long[] advertTimes = new long[100_000];
        final int[] advertPriorities = new int[100_000];
        int adverts;
        long garpFrames;
        final List<long[]> garpBursts = new ArrayList<>(); // {time, frames}
        boolean recordGarps = true;
        AdvertFilter filter;
        boolean closed;

        FakeWire(ManualClock clock, int source) {
            this.clock = clock;
            this.source = source;
        }

        @Override
        public int source() {
            return source;
        }

        @Override
        public boolean sendAdvert(int priority) {
            advertTimes[adverts % advertTimes.length] = clock.now;
            advertPriorities[adverts % advertPriorities.length] = priority;
            adverts++;
            return true;
        }

        @Override
        public int sendGarps(int rounds) {
            garpFrames += rounds;
            if (recordGarps) garpBursts.add(new long[] {clock.now, rounds});
            return rounds;
        }

        int lastPriority() {
            return advertPriorities[(adverts - 1) % advertPriorities.length];
        }

        long lastAdvertTime() {
            return advertTimes[(adverts - 1) % advertTimes.length];
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static final class FakeNetwork implements Network {
        final ManualClock clock;
        final Set<String> down = new HashSet<>();
        final Map<String, Integer> sources = new HashMap<>();
        final Map<String, FakeWire> wires = new LinkedHashMap<>();

        FakeNetwork(ManualClock clock) {
            this.clock = clock;
        }

        @Override
        public boolean linkUp(String interfaceName) {
            return !down.contains(interfaceName);
        }

        @Override
        public Binding bind(VrrpInstance instance, Counters counters, Runnable wakeup) throws IOException {
            Integer source = sources.get(instance.config.interfaceName());
            if (source == null) throw new IOException("no address on " + instance.config.interfaceName());
            FakeWire wire = new FakeWire(clock, source);
            wire.filter = new AdvertFilter(instance.config, source, counters, instance.ring, wakeup, null, clock);
            wires.put(instance.config.name(), wire);
            return wire;
        }
    }

    /** Scripts the test completes by hand. */
    static final class FakeScripts implements Scripts {
        final List<String> started = new ArrayList<>();
        final List<IntConsumer> pending = new ArrayList<>();

        @Override
        public void run(String commandLine, List<String> args, long timeoutNanos, IntConsumer done) {
            started.add(args.isEmpty() ? commandLine : commandLine + " " + String.join(" ", args));
            pending.add(done);
        }

        void completeAll(int status) {
            List<IntConsumer> now = new ArrayList<>(pending);
            pending.clear();
            for (IntConsumer c : now) c.accept(status);
        }
    }

    static byte[] golden(String name) {
        try (InputStream in = Fakes.class.getResourceAsStream("/golden/" + name + ".hex")) {
            return hex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hex(String text) {
        String t = text.replaceAll("[\\s|]", "");
        byte[] out = new byte[t.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(t.substring(2 * i, 2 * i + 2), 16);
        return out;
    }

    static String hex(byte[] bytes, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) sb.append(String.format("%02x", bytes[i]));
        return sb.toString();
    }

    /** The configuration keepalived A and B ran (VI_1, VRID 51, VIP 10.214.1.100), with overrides. */
    static Map<String, Object> props(Object... keyValues) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "VI_1");
        p.put("interface", "vA");
        p.put("virtual_router_id", "51");
        p.put("priority", "150");
        p.put("advert_int", "1");
        p.put("virtual_ipaddress", "10.214.1.100/24");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) p.remove((String) keyValues[i]);
            else p.put((String) keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    static InstanceConfig config(Object... keyValues) {
        return InstanceConfig.parse(props(keyValues));
    }

    static final int A = Ip4.parse("10.214.1.2");
    static final int B = Ip4.parse("10.214.1.3");
    static final int C = Ip4.parse("10.214.1.4");
    static final int VIP = Ip4.parse("10.214.1.100");
    static final long MAC_A = 0x02000ad60102L;
    static final long MAC_B = 0x02000ad60103L;

    static final class InvalidFloodHelper {
        private InvalidFloodHelper() {}

        static void none(byte[] frame) {
        }
    }
}
