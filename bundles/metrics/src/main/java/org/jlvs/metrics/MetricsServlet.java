package org.jlvs.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.jlvs.api.CheckStatus;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.shell.format.ListJson;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * /metrics (Prometheus text) and /api/v1/services, /api/v1/counters (the shell's --json documents, written by
 * its ListJson), registered with the HTTP Whiteboard of Karaf's Pax Web. Pax Web's binding (org.ops4j.pax.web)
 * decides where it listens; the jlvs-metrics feature sets it to 127.0.0.1.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/metrics",
    "osgi.http.whiteboard.servlet.pattern=/api/v1/*",
    "osgi.http.whiteboard.servlet.name=jlvs-metrics"})
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Reference
    private volatile VirtualServerTable table;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HealthMonitor health;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConnectionTable connections;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        String body;
        String type;
        if (path.equals("/metrics")) {
            body = scrape();
            type = "text/plain; version=0.0.4; charset=utf-8";
        } else if (path.equals("/api/v1/services")) {
            body = ListJson.services(table.list());
            type = "application/json";
        } else if (path.equals("/api/v1/counters")) {
            body = ListJson.counters(table.dataPathCounters());
            type = "application/json";
        } else {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        resp.setContentType(type);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    String scrape() {
        List<ServiceInfo> services = table.list();
        StringBuilder b = new StringBuilder(4096);
        PrometheusText out = new PrometheusText(b);
        NodeIpvsMetrics.write(services, out);
        JlvsMetrics.writeServices(services, out);
        HealthMonitor h = health;
        if (h != null) {
            List<CheckStatus> checks = new ArrayList<>();
            for (ServiceInfo s : services) checks.addAll(h.checks(s.config().key()));
            JlvsMetrics.writeChecks(checks, out);
        }
        ConnectionTable c = connections;
        if (c != null) JlvsMetrics.writeTable(c.size(), out);
        JlvsMetrics.writeCounters(table.dataPathCounters(), out);
        return b.toString();
    }
}
