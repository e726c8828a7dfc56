package org.jlvs.ha.internal;

import static org.jlvs.ha.internal.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jlvs.api.ha.DirectorRole;
import org.jlvs.api.ha.DirectorRole.State;
import org.jlvs.api.ha.PreemptCondition;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** The DirectorRole service: snapshots, listeners, EventAdmin events, and the configuration components. */
class VrrpServiceTest {
    private final ManualClock clock = new ManualClock();
    private final FakeNetwork network = new FakeNetwork(clock);
    private final List<Event> events = new ArrayList<>();
    private final VrrpService service;

    VrrpServiceTest() {
        network.sources.put("vA", A);
        service = new VrrpService(network, clock, new FakeScripts(), false);
        service.setEventAdmin(new EventAdmin() {
            @Override public void postEvent(Event event) { events.add(event); }
            @Override public void sendEvent(Event event) { events.add(event); }
        });
    }

    @Test
    void aSyncBundleWithoutItsConditionYetHoldsThePreemption() {
        PreemptCondition registered = () -> null;
        assertSame(registered, VrrpService.condition(registered, true), "the registered condition decides");
        assertSame(registered, VrrpService.condition(registered, false));
        assertNull(VrrpService.condition(null, false), "no sync bundle: nothing to wait for");
        PreemptCondition early = VrrpService.condition(null, true);
        assertNotNull(early, "sync installed, its service not registered yet: wait");
        assertNotNull(early.waitingFor());
    }

    @Test
    void listenersAndEventsPerTransition() {
        List<String> heard = new ArrayList<>();
        service.addListener((i, from, to) -> heard.add(i.name() + " " + from + "->" + to + " " + i.state()));
        new VrrpInstanceComponent(service, props("priority", "100", "sync_group", "G"));
        clock.advance(4 * S);
        service.engine().runOnce();
        assertEquals(List.of("VI_1 INIT->BACKUP BACKUP", "VI_1 BACKUP->MASTER MASTER"), heard);
        assertEquals(List.of("org/jlvs/vrrp/BACKUP", "org/jlvs/vrrp/MASTER"), events.stream().map(Event::getTopic).toList());
        Event master = events.get(1);
        assertEquals("VI_1", master.getProperty("instance"));
        assertEquals("G", master.getProperty("group"));
        assertEquals("BACKUP", master.getProperty("from"));
        assertEquals(51, master.getProperty("vrid"));
        assertEquals("vA", master.getProperty("interface"));
        assertEquals(100, master.getProperty("priority"));
        assertEquals("10.214.1.2", master.getProperty("master"));
    }

    @Test
    void snapshots() {
        new VrrpInstanceComponent(service, props());
        List<DirectorRole.Instance> list = service.instances();
        assertEquals(1, list.size());
        DirectorRole.Instance i = list.get(0);
        assertEquals("VI_1", i.name());
        assertNull(i.group());
        assertEquals("vA", i.interfaceName());
        assertEquals(51, i.vrid());
        assertEquals(State.BACKUP, i.state());
        assertEquals(List.of(VIP), i.addresses());
        assertEquals(150, i.priority());
        assertEquals(150, i.effectivePriority());
        assertEquals(100, i.advertIntervalCentis());
        assertEquals(3 * S + 106 * S / 256, i.masterDownNanos());
        Map<String, Long> counters = i.counters();
        for (String key : List.of("advertisements_received", "advertisements_sent", "become_master", "release_master",
                "packet_length_errors", "advertisements_interval_errors", "ip_ttl_errors", "invalid_type_received",
                "address_list_errors", "priority_zero_received", "priority_zero_sent")) {
            assertEquals(0L, counters.get(key), key);
        }
        assertFalse(service.mayServe(VIP));
    }

    @Test
    void aBadConfigurationIsRefusedWithKeyAndReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VrrpInstanceComponent(service, props("priority", "300")));
        assertEquals("VRRP instance VI_1 refused: priority: 300 is not in 1..255", e.getMessage());
        assertTrue(service.instances().isEmpty());
        new VrrpInstanceComponent(service, props());
        e = assertThrows(IllegalArgumentException.class,
                () -> new VrrpInstanceComponent(service, props("name", "VI_9")));
        assertTrue(e.getMessage().contains("virtual_router_id: 51 on vA is taken by instance VI_1"), e.getMessage());
    }

    @Test
    void aBadEditLeavesTheRunningInstance() {
        VrrpInstanceComponent component = new VrrpInstanceComponent(service, props("state", "master"));
        assertEquals(State.MASTER, service.instances().get(0).state());
        component.modified(props("state", "master", "advert_int", "fast"));
        assertEquals(State.MASTER, service.instances().get(0).state());
        assertEquals(100, service.instances().get(0).advertIntervalCentis());
        component.modified(props("state", "master", "advert_int", "0.5"));
        assertEquals(50, service.instances().get(0).advertIntervalCentis());
        component.close();
        assertTrue(service.instances().isEmpty());
    }

    @Test
    void trackScriptComponents() {
        TrackScriptComponent script = new TrackScriptComponent(service, Map.of("name", "chk", "script", "/bin/false", "weight", "-10"));
        assertThrows(IllegalArgumentException.class,
                () -> new TrackScriptComponent(service, Map.of("name", "chk", "script", "/bin/true")));
        script.modified(Map.of("name", "chk", "script", "/bin/false", "fall", "0"));
        script.close();
    }
}
