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
import org.jlvs.api.Ip6Address;

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
        AdvertFilter6 filter6; // an IPv6 instance's, with source6
        Ip6Address source6 = new Ip6Address(0, 0);
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
        public long sourceHi() {
            return source6.hi();
        }

        @Override
        public long sourceLo() {
            return source6.lo();
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
        final Map<String, Ip6Address> sources6 = new HashMap<>();
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
            if (instance.config.ipv6()) return bind6(instance, counters, wakeup);
            Integer source = sources.get(instance.config.interfaceName());
            if (source == null) throw new IOException("no address on " + instance.config.interfaceName());
            FakeWire wire = new FakeWire(clock, source);
            wire.filter = new AdvertFilter(instance.config, source, counters, instance.ring, wakeup, null, clock);
            wires.put(instance.config.name(), wire);
            return wire;
        }

        private Binding bind6(VrrpInstance instance, Counters counters, Runnable wakeup) throws IOException {
            Ip6Address source = sources6.get(instance.config.interfaceName());
            if (source == null) throw new IOException("no link-local address on " + instance.config.interfaceName());
            FakeWire wire = new FakeWire(clock, 0);
            wire.source6 = source;
            wire.filter6 = new AdvertFilter6(instance.config, source.hi(), source.lo(), counters, instance.ring, wakeup, clock);
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

    /** The keepalived that sent the IPv6 golden frames (golden/README.md): its MAC and link-local address. */
    static final long MAC_K6 = 0xf6399d08f9c8L;
    static final Ip6Address LL_K6 = Ip6Address.parse("fe80::f439:9dff:fe08:f9c8");
    static final Ip6Address LL_A6 = Ip6Address.parse("fe80::a");
    static final Ip6Address VIP6 = Ip6Address.parse("2001:db8:99:4::100");

    /** An IPv6 instance as that keepalived ran it (VRID 51, priority 150, VIP6 2001:db8:99:4::100), with overrides. */
    static InstanceConfig config6(Object... keyValues) {
        Object[] all = new Object[keyValues.length + 2];
        all[0] = "virtual_ipaddress";
        all[1] = "2001:db8:99:4::100/64";
        System.arraycopy(keyValues, 0, all, 2, keyValues.length);
        return InstanceConfig.parse(props(all));
    }

    static final class InvalidFloodHelper {
        private InvalidFloodHelper() {}

        static void none(byte[] frame) {
        }
    }
}
