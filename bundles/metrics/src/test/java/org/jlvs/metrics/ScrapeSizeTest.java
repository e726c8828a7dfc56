package org.jlvs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.Stats;
import org.junit.jupiter.api.Test;

/**
 * A whole scrape of 1,000 services x 10 real servers: every backend appears once per node_ipvs_backend_* family,
 * and the output is kept in target/scrape-1000x10.prom for `promtool check metrics`. The time of one scrape is
 * printed as a figure (measured, not asserted: the build machine is shared).
 */
class ScrapeSizeTest {
    @Test
    void thousandServicesTimesTenServers() throws Exception {
        List<ServiceInfo> services = new ArrayList<>();
        for (int s = 0; s < 1000; s++) {
            List<ServerInfo> servers = new ArrayList<>();
            for (int r = 0; r < 10; r++) {
                servers.add(new ServerInfo(new ServerConfig(0x0a010000 | (s << 4) | r, 8080, ForwardMethod.values()[0], 1 + r, 0, 0),
                        r, 1, 0, false, new Stats(100 + r, 10, 10, 1000, 2000, 1, 2, 3, 4, 5)));
            }
            services.add(new ServiceInfo(new ServiceConfig(new ServiceKey(Protocol.TCP, 0x0a000000 | s, 80), "wlc", 0, 0, 0),
                    true, servers, new Stats(1000, 100, 100, 10000, 20000, 10, 20, 30, 40, 50)));
        }
        String text = null;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            StringBuilder b = new StringBuilder(1 << 20);
            PrometheusText out = new PrometheusText(b);
            NodeIpvsMetrics.write(services, out);
            JlvsMetrics.writeServices(services, out);
            JlvsMetrics.writeTable(12345, out);
            JlvsMetrics.writeCounters(Map.of("drop_no_service", 3L, "drop_malformed", 1L), out);
            text = b.toString();
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("scrape of 1000 services x 10 servers: %d bytes, best of 20 = %.2f ms%n",
                text.length(), best / 1e6);
        assertEquals(10_000, text.lines().filter(l -> l.startsWith("node_ipvs_backend_connections_active{")).count());
        Path file = Path.of("target", "scrape-1000x10.prom");
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
