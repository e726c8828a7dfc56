package org.jlvs.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.SchedulerFlags;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.Stats;
import org.jlvs.api.TunnelType;
import org.junit.jupiter.api.Test;

/**
 * `lvs:list --json` (one line) and `lvs:ipvsadm -L --json` (the same text indented by {@link ListJson#pretty}) print
 * one format: a JSON library reads the same document from both.
 */
class ShellJsonTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void theShellsListingJsonEqualsIpvsadms() throws Exception {
        ServiceConfig web = new ServiceConfig(new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80), "sh",
                SchedulerFlags.SH_PORT, 360, Ip4.parse("255.255.255.0"));
        ServiceConfig dns = ServiceConfig.of(new ServiceKey(Protocol.UDP, Ip4.parse("10.0.0.1"), 53), "rr");
        Stats stats = new Stats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        List<ServiceInfo> services = List.of(
                new ServiceInfo(web, true, List.of(
                        new ServerInfo(ServerConfig.of(Ip4.parse("10.0.1.1"), 80, ForwardMethod.MASQ, 3), 5, 7, 1, false, stats),
                        new ServerInfo(ServerConfig.tunnel(Ip4.parse("10.0.1.2"), 80, 2, TunnelType.GUE, 6080), 0, 0, 0, true, Stats.ZERO)),
                        stats),
                new ServiceInfo(dns, false, List.of(), Stats.ZERO));
        assertEquals(mapper.readTree(ListJson.pretty(ListJson.services(services))), mapper.readTree(ListJson.services(services)));
        assertEquals(mapper.readTree(ListJson.pretty(ListJson.timeouts(new int[] {900, 120, 300}))),
                mapper.readTree(ListJson.timeouts(new int[] {900, 120, 300})));
    }
}
