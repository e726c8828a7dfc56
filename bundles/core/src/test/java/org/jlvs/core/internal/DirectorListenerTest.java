package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.LvsException;
import org.jlvs.api.Protocol;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerListener;
import org.jlvs.forward.nat.internal.NatForwarder;
import org.junit.jupiter.api.Test;

/** The director tells its configuration listeners after every applied change, and only then. */
class DirectorListenerTest {
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ip4.parse("10.99.1.100"), 80);
    private static final int RS = Ip4.parse("10.99.2.11");

    @Test
    void everyAppliedChangeIsNotifiedAfterItIsVisible() {
        Director director = new Director(CoreSettings.of("none", "auto", null)); // no interface is opened
        director.addScheduler(service -> flow -> null, Map.of(Scheduler.PROPERTY, "rr"));
        director.addForwarder(new NatForwarder());
        List<String> seen = new ArrayList<>();
        // the listener reads the state it is told about: it must already be the new one
        VirtualServerListener listener = key -> seen.add(key == null ? "all"
                : key + "=" + (director.get(key) == null ? "gone" : director.get(key).servers().size()));
        director.addListener(listener);

        director.addService(ServiceConfig.of(WEB, "rr"));
        director.addServer(WEB, ServerConfig.of(RS, 80, ForwardMethod.MASQ, 1));
        director.editServer(WEB, ServerConfig.of(RS, 80, ForwardMethod.MASQ, 3));
        director.editService(ServiceConfig.of(WEB, "rr"));
        director.zero(WEB); // counters are not configuration
        director.deleteServer(WEB, RS, 80);
        director.deleteService(WEB);
        director.clear();
        assertEquals(Arrays.asList("TCP 10.99.1.100:80=0", "TCP 10.99.1.100:80=1", "TCP 10.99.1.100:80=1",
                "TCP 10.99.1.100:80=1", "TCP 10.99.1.100:80=0", "TCP 10.99.1.100:80=gone", "all"), seen);

        // a refused change tells nobody
        seen.clear();
        assertThrows(LvsException.class, () -> director.deleteService(WEB));
        assertThrows(LvsException.class, () -> director.addService(ServiceConfig.of(WEB, "nosuch")));
        assertEquals(List.of(), seen);

        // a failing listener neither hides the change nor stops the others
        director.addListener(key -> {
            throw new IllegalStateException("broken listener");
        });
        director.removeListener(listener);
        List<ServiceKey> other = new ArrayList<>();
        director.addListener(other::add);
        director.addService(ServiceConfig.of(WEB, "rr"));
        assertEquals(List.of(WEB), other);
        assertEquals("rr", director.get(WEB).config().scheduler());
    }
}
