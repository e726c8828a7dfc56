package org.jlvs.ipvsadm;

import static org.jlvs.ipvsadm.Models.def;
import static org.jlvs.ipvsadm.Models.masq;
import static org.jlvs.ipvsadm.Models.model;
import static org.jlvs.ipvsadm.Models.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jlvs.api.fake.FakeVirtualServerTable;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.LvsException;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fewest changes, nothing outside the scope, all or nothing. */
class TableUpdateTest {
    private static final ServiceKey WEB = tcp("10.0.0.1", 80);
    private static final ServiceKey API = tcp("10.0.0.2", 80);
    private final FakeVirtualServerTable table = new FakeVirtualServerTable();

    private final ServiceDef web = def(ServiceConfig.of(WEB, "rr"), masq("10.0.1.1", 80, 1), masq("10.0.1.2", 80, 1));
    private final ServiceDef api = def(ServiceConfig.of(API, "wlc"), masq("10.0.1.3", 80, 1));

    @BeforeEach
    void start() {
        TableUpdate.apply(table, model(web, api), Set.of(WEB, API));
        assertEquals(List.of("add-service TCP 10.0.0.1:80", "add-server TCP 10.0.0.1:80 10.0.1.1:80",
                "add-server TCP 10.0.0.1:80 10.0.1.2:80", "add-service TCP 10.0.0.2:80",
                "add-server TCP 10.0.0.2:80 10.0.1.3:80"), table.log);
        table.log.clear();
    }

    private Map<ServiceKey, ServiceDef> current() {
        return ServiceDef.of(table.list());
    }

    @Test
    void anUnchangedServiceIsNotTouched() {
        // the same servers in another order are the same configuration
        ServiceDef reordered = def(ServiceConfig.of(WEB, "rr"), masq("10.0.1.2", 80, 1), masq("10.0.1.1", 80, 1));
        TableUpdate.Plan plan = TableUpdate.apply(table, model(reordered, api), Set.of(WEB, API));
        assertTrue(plan.isEmpty());
        assertEquals("0 added, 0 changed, 0 deleted, 2 unchanged", plan.summary());
        assertEquals(List.of(), table.log);
    }

    @Test
    void aNewWeightEditsThatServerOnly() {
        ServiceDef weighted = web.withServer(masq("10.0.1.2", 80, 5));
        TableUpdate.apply(table, model(weighted, api), Set.of(WEB, API));
        assertEquals(List.of("edit-server TCP 10.0.0.1:80 10.0.1.2:80"), table.log);
        assertEquals(weighted, current().get(WEB));
    }

    @Test
    void aServiceChangeEditsInPlaceAndServersComeAndGo() {
        ServiceDef changed = def(ServiceConfig.of(WEB, "wlc"), masq("10.0.1.2", 80, 1), masq("10.0.1.9", 80, 1));
        TableUpdate.Plan plan = TableUpdate.apply(table, model(changed), Set.of(WEB));
        assertEquals(List.of("delete-server TCP 10.0.0.1:80 10.0.1.1:80", "edit-service TCP 10.0.0.1:80",
                "add-server TCP 10.0.0.1:80 10.0.1.9:80"), table.log);
        assertEquals("0 added, 1 changed, 0 deleted, 0 unchanged", plan.summary());
        assertEquals(changed, current().get(WEB));
        assertEquals(api, current().get(API), "outside the scope: kept although the target lacks it");
    }

    @Test
    void aServiceOfTheScopeMissingFromTheTargetIsDeleted() {
        TableUpdate.apply(table, model(web), Set.of(WEB, API));
        assertEquals(List.of("delete-service TCP 10.0.0.2:80"), table.log);
    }

    @Test
    void aMissingSchedulerOrForwarderIsRefusedBeforeAnyChange() {
        ServiceDef newer = def(ServiceConfig.of(tcp("10.0.0.3", 80), "rr"), masq("10.0.1.4", 80, 1));
        ServiceDef other = def(ServiceConfig.of(tcp("10.0.0.4", 80), "nosuch"));
        NotInstalledException e = assertThrows(NotInstalledException.class,
                () -> TableUpdate.apply(table, model(web, api, newer, other), List.of(newer.key(), other.key())));
        assertEquals("TCP 10.0.0.4:80: unknown scheduler 'nosuch': installed are lc, mh, rr, sh, wlc, wrr", e.getMessage());
        table.methods.remove(ForwardMethod.MASQ);
        e = assertThrows(NotInstalledException.class,
                () -> TableUpdate.apply(table, model(web.withServer(masq("10.0.1.2", 80, 7))), Set.of(WEB)));
        assertEquals("TCP 10.0.0.1:80: forwarding method Masq (-m) is not installed: install the jlvs-forward-nat feature",
                e.getMessage());
        assertEquals(List.of(), table.log);
    }

    @Test
    void aChangeRefusedHalfWayIsUndone() {
        Map<ServiceKey, ServiceDef> before = current();
        ServiceDef changed = def(ServiceConfig.of(WEB, "wlc"), masq("10.0.1.2", 80, 4), masq("10.0.1.9", 80, 1));
        table.refuse = "add-server TCP 10.0.0.1:80 10.0.1.9:80";
        LvsException e = assertThrows(LvsException.class, () -> TableUpdate.apply(table, model(changed, api), Set.of(WEB)));
        assertEquals("refused: add-server TCP 10.0.0.1:80 10.0.1.9:80", e.getMessage());
        assertEquals(before.keySet(), current().keySet());
        for (ServiceKey key : before.keySet()) {
            assertTrue(before.get(key).sameAs(current().get(key)), "every change made before the refusal was undone");
        }
        assertEquals(List.of("delete-server TCP 10.0.0.1:80 10.0.1.1:80", "edit-server TCP 10.0.0.1:80 10.0.1.2:80",
                "edit-service TCP 10.0.0.1:80", "edit-service TCP 10.0.0.1:80", "edit-server TCP 10.0.0.1:80 10.0.1.2:80",
                "add-server TCP 10.0.0.1:80 10.0.1.1:80"), table.log);
    }
}
