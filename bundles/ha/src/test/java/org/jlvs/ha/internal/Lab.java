package org.jlvs.ha.internal;

import static org.jlvs.ha.internal.Fakes.*;

import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.ha.DirectorRole.State;
import org.jlvs.packet.Vrrp;

/** An engine on a manual clock with fake links, and peers whose adverts go through the real receive checks. */
final class Lab {
    final ManualClock clock = new ManualClock();
    final FakeNetwork network = new FakeNetwork(clock);
    final FakeScripts scripts = new FakeScripts();
    final List<String> transitions = new ArrayList<>();
    final Engine engine;

    Lab() {
        network.sources.put("vA", A);
        network.sources.put("vS", A + 0x100); // 10.214.2.2 on a second LAN
        network.sources6.put("vA", LL_A6);
        engine = new Engine(clock, network, scripts,
                (i, from, to) -> transitions.add(i.config.name() + " " + from + "->" + to + " @" + (clock.now - start)));
    }

    final long start = new ManualClock().now;

    VrrpInstance add(InstanceConfig config) {
        engine.addNow(config);
        return engine.instance(config.name());
    }

    FakeWire wire(String name) {
        return network.wires.get(name);
    }

    /** Runs passes until the clock reads {@code t} (relative to the start), firing every timer on the way. */
    void runTo(long t) {
        long target = start + t;
        while (true) {
            long next = engine.runOnce();
            if (next > target) {
                clock.now = target;
                engine.runOnce();
                return;
            }
            clock.now = Math.max(clock.now, next);
        }
    }

    long now() {
        return clock.now - start;
    }

    /** A peer's advert to instance {@code name}, as the peer's keepalived would send it, through the receive checks. */
    int advert(String name, int from, int priority, int intervalCentis) {
        VrrpInstance target = engine.instance(name);
        InstanceConfig peer = InstanceConfig.parse(props("name", "peer", "interface", target.config.interfaceName(),
                "virtual_router_id", Integer.toString(target.config.vrid()), "priority", Integer.toString(Math.max(1, priority)),
                "advert_int", String.format("%d.%02d", intervalCentis / 100, intervalCentis % 100),
                "virtual_ipaddress", addresses(target.config.addresses())));
        AdvertFrames frames = new AdvertFrames(peer, from, MAC_B);
        frames.nextId();
        frames.prepare(priority, Vrrp.GROUP, Vrrp.GROUP_MAC);
        int verdict = wire(name).filter.check(frames.advert(), frames.advertLength());
        engine.runOnce();
        return verdict;
    }

    /** A peer's IPv6 advert from link-local {@code from} to IPv6 instance {@code name}, through the receive checks. */
    int advert6(String name, org.jlvs.api.Ip6Address from, int priority, int intervalCentis) {
        VrrpInstance target = engine.instance(name);
        StringBuilder vips = new StringBuilder();
        for (org.jlvs.api.Ip6Address a : target.config.addresses6()) vips.append(a).append(' ');
        InstanceConfig peer = InstanceConfig.parse(props("name", "peer", "interface", target.config.interfaceName(),
                "virtual_router_id", Integer.toString(target.config.vrid()), "priority", Integer.toString(Math.max(1, priority)),
                "advert_int", String.format("%d.%02d", intervalCentis / 100, intervalCentis % 100),
                "virtual_ipaddress", vips.toString().trim()));
        AdvertFrames6 frames = new AdvertFrames6(peer, from.hi(), from.lo(), MAC_B);
        frames.prepare(priority);
        int verdict = wire(name).filter6.check(frames.advert(), frames.advertLength());
        engine.runOnce();
        return verdict;
    }

    static String addresses(int[] addresses) {
        StringBuilder sb = new StringBuilder();
        for (int a : addresses) sb.append(org.jlvs.api.Ip4.toString(a)).append(' ');
        return sb.toString().trim();
    }

    State state(String name) {
        return engine.instance(name).state();
    }
}
