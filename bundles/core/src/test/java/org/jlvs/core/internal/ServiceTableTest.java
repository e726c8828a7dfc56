package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.LvsException;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.forward.nat.internal.NatForwarder;
import org.junit.jupiter.api.Test;

/** The validation every front end shares because the table does it. */
class ServiceTableTest {
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80);
    private static final int RS = Ip4.parse("10.0.1.1");

    @Test
    void lowerThresholdAboveUpperIsRefusedAsTheKernelDoes() {
        ServiceTable table = new ServiceTable(d -> { }, i -> { });
        table.schedulerAdded("rr", service -> flow -> null);
        table.forwarderAdded(ForwardMethod.MASQ, new NatForwarder());
        table.addService(ServiceConfig.of(WEB, "rr"));

        LvsException e = assertThrows(LvsException.class,
                () -> table.addServer(WEB, new ServerConfig(RS, 80, ForwardMethod.MASQ, 1, 10, 11)));
        assertTrue(e.getMessage().contains("lower threshold (-y) 11 is larger than upper threshold (-x) 10"),
                e.getMessage());
        assertThrows(LvsException.class, () -> table.addServer(WEB, new ServerConfig(RS, 80, ForwardMethod.MASQ, 1, 0, 5)),
                "a lower threshold without an upper one (ERANGE in ip_vs_add_dest too)");
        assertEquals(0, table.get(WEB).servers().size(), "nothing added");

        table.addServer(WEB, new ServerConfig(RS, 80, ForwardMethod.MASQ, 1, 10, 10));
        assertThrows(LvsException.class,
                () -> table.editServer(WEB, new ServerConfig(RS, 80, ForwardMethod.MASQ, 1, 4, 5)));
        assertEquals(10, table.get(WEB).servers().get(0).config().upperThreshold(), "the running values stay");
    }

    @Test
    void aServerIsQuiescedWhileItsForwarderIsAwayButNotMovedToAMissingOne() {
        ServiceTable table = new ServiceTable(d -> { }, i -> { });
        NatForwarder nat = new NatForwarder();
        table.schedulerAdded("rr", service -> flow -> null);
        table.forwarderAdded(ForwardMethod.MASQ, nat);
        table.addService(ServiceConfig.of(WEB, "rr"));
        table.addServer(WEB, ServerConfig.of(RS, 80, ForwardMethod.MASQ, 3));
        table.forwarderRemoved(ForwardMethod.MASQ, nat); // jlvs-forward-nat updated or reinstalled

        table.editServer(WEB, ServerConfig.of(RS, 80, ForwardMethod.MASQ, 0)); // the health monitor's quiesce
        assertEquals(0, table.get(WEB).servers().get(0).config().weight());
        LvsException e = assertThrows(LvsException.class,
                () -> table.editServer(WEB, ServerConfig.of(RS, 80, ForwardMethod.ROUTE, 1)));
        assertTrue(e.getMessage().contains("is not installed"), e.getMessage());
        assertEquals(ForwardMethod.MASQ, table.get(WEB).servers().get(0).config().method(), "the running values stay");
    }
}
