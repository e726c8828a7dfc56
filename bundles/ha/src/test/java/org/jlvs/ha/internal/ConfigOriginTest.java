package org.jlvs.ha.internal;

import static org.jlvs.ha.internal.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A refused instance names the file and line of the bad key, as the operator wrote it in etc/. */
class ConfigOriginTest {
    @TempDir
    Path dir;

    @Test
    void mixedFamiliesAreRefusedWithFileLineAndReason() throws Exception {
        Path cfg = dir.resolve("org.jlvs.vrrp.instance-VI_1.cfg");
        Files.writeString(cfg, "name = VI_1\ninterface = vA\nvirtual_router_id = 51\n# both families\n"
                + "virtual_ipaddress = 2001:db8:99:4::100/64 10.214.1.100/24\n");
        Map<String, Object> p = props("virtual_ipaddress", "2001:db8:99:4::100/64 10.214.1.100/24",
                ConfigOrigin.FILE_PROPERTY, cfg.toUri().toString());
        VrrpService service = new VrrpService(new FakeNetwork(new ManualClock()), new ManualClock(), new FakeScripts(), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VrrpInstanceComponent(service, p));
        assertEquals("VRRP instance VI_1 refused: " + cfg + ":5: virtual_ipaddress: 10.214.1.100/24 is IPv4 but the "
                + "instance is IPv6 (its first address 2001:db8:99:4::100/64): an instance is of one family, use a second "
                + "instance for the other", e.getMessage());
        assertTrue(service.instances().isEmpty());
    }

    @Test
    void withoutAFileOnlyTheKeyAndReason() {
        assertEquals("", ConfigOrigin.of(props(), "priority"));
        assertEquals("virtual_ipaddress", ConfigOrigin.keyOf("virtual_ipaddress: 1.2.3.4 is IPv4"));
        Map<String, Object> gone = props(ConfigOrigin.FILE_PROPERTY, dir.resolve("gone.cfg").toUri().toString());
        assertEquals(dir.resolve("gone.cfg") + ": ", ConfigOrigin.of(gone, "priority"));
    }
}
