package org.jlvs.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.jlvs.api.ConnectionTable;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.api.ha.DirectorRole;
import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.ipvsadm.JlvsJson;
import org.jlvs.ipvsadm.ListJson;
import org.jlvs.ipvsadm.VrrpFormat;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /} (the live dashboard), {@code /metrics} (Prometheus text) and {@code /api/v1/...} (JSON: services,
 * counters, vrrp and sync are the shell's --json documents; connections, health and the dashboard's combined
 * document are {@link StatusJson}'s), registered with the HTTP Whiteboard of Karaf's Pax Web. Pax Web's binding
 * (org.ops4j.pax.web) decides where it listens; the jlvs-metrics feature sets it to 127.0.0.1. Requests on a
 * non-loopback address must come over HTTPS and log in ({@link Access}). Failover (ha) and sync are optional:
 * without them their series are absent and their documents empty.
 */
@Component(service = Servlet.class, configurationPid = "org.jlvs.metrics", property = {
    "osgi.http.whiteboard.servlet.pattern=/",
    "osgi.http.whiteboard.servlet.pattern=/metrics",
    "osgi.http.whiteboard.servlet.pattern=/api/v1/*",
    "osgi.http.whiteboard.servlet.name=jlvs-metrics"})
@Designate(ocd = MetricsServlet.Config.class)
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Strings, checked by {@link AccessSettings}: a bad value must be refused, not fail the activation. */
    @ObjectClassDefinition(name = "jlvs metrics and dashboard",
            description = "Who may read the dashboard, /metrics and /api/v1 from another host: such requests come over"
                    + " HTTPS and log in to a JAAS realm (requests on the loopback address need no login).")
    public @interface Config {
        @AttributeDefinition(name = "JAAS realm", description = "The realm a request off loopback logs in to.")
        String realm() default "karaf";

        @AttributeDefinition(name = "Roles", description = "Comma-separated; the user needs one of them.")
        String[] roles() default {"admin", "jlvs-metrics"};

        @AttributeDefinition(name = "Failed logins before a lockout",
                description = "Wrong logins from one address (a whole number above 0) after which it is locked out.")
        String login__failures() default "5";

        @AttributeDefinition(name = "Lockout (seconds)",
                description = "How long an address that failed too often is refused (a whole number above 0).")
        String login__lockout__seconds() default "60";
    }

    @Reference
    private volatile VirtualServerTable table;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HealthMonitor health;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConnectionTable connections;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DirectorRole role;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SyncDaemon sync;

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);
    /** Client addresses the failed-login throttle remembers at most. */
    private static final int THROTTLE_CAPACITY = 10_000;

    private transient volatile Access access;
    private transient AccessSettings settings;
    private transient byte[] dashboard;

    /** PID org.jlvs.metrics: see {@link AccessSettings}; a bad value is logged and the defaults are used. */
    @Activate
    void activate(Config config) throws IOException {
        apply(config, AccessSettings.DEFAULTS);
        try (InputStream in = MetricsServlet.class.getResourceAsStream("dashboard.html")) {
            if (in == null) throw new IOException("dashboard.html is missing from the bundle");
            dashboard = in.readAllBytes();
        }
    }

    /** A changed configuration: a bad value is logged and the settings in use are kept. */
    @Modified
    void modified(Config config) {
        apply(config, settings);
    }

    private void apply(Config config, AccessSettings otherwise) {
        AccessSettings wanted;
        try {
            wanted = AccessSettings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; keeping realm {}, roles {}, {} failed logins, {} s lockout", e.getMessage(), otherwise.realm(),
                    otherwise.roles(), otherwise.loginFailures(), otherwise.lockoutSeconds());
            wanted = otherwise;
        }
        if (wanted.equals(settings)) return;
        settings = wanted;
        access = new Access(new JaasLogin(wanted.realm()), wanted.realm(), wanted.roles(),
                new LoginThrottle(System::nanoTime, wanted.loginFailures(), TimeUnit.SECONDS.toNanos(wanted.lockoutSeconds()),
                        THROTTLE_CAPACITY));
    }

    /** The access settings in use. */
    AccessSettings settings() {
        return settings;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (!access.permit(req, resp)) return;
        if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
            resp.setHeader("Allow", "GET, HEAD");
            resp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "read-only");
            return;
        }
        super.service(req, resp);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        if (path.equals("/") || path.equals("/index.html")) {
            write(resp, "text/html; charset=utf-8", dashboard);
            return;
        }
        String body = document(path);
        if (body == null) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        write(resp, path.equals("/metrics") ? "text/plain; version=0.0.4; charset=utf-8" : "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** The text at {@code path}, or null for an unknown path. */
    String document(String path) {
        switch (path) {
            case "/metrics": return scrape();
            case "/api/v1/services": return ListJson.services(table.list());
            case "/api/v1/counters": return ListJson.counters(table.dataPathCounters());
            case "/api/v1/vrrp": return VrrpFormat.json(instances());
            case "/api/v1/sync": return JlvsJson.sync(sync, null);
            case "/api/v1/connections": return StatusJson.connections(table.list(), table.dataPathCounters());
            case "/api/v1/health": return healthJson();
            case "/api/v1/dashboard": return dashboardJson();
            default: return null;
        }
    }

    /** Everything the dashboard shows, in one request per poll: {"services":..,"health":..,...}. */
    private String dashboardJson() {
        List<ServiceInfo> services = table.list();
        Map<String, Long> counters = table.dataPathCounters();
        return "{\"format\":\"jlvs-dashboard\",\"version\":1,\"time_ms\":" + System.currentTimeMillis()
                + ",\"services\":" + ListJson.services(services).strip()
                + ",\"health\":" + healthJson().strip()
                + ",\"vrrp\":" + VrrpFormat.json(instances()).strip()
                + ",\"sync\":" + JlvsJson.sync(sync, null).strip()
                + ",\"connections\":" + StatusJson.connections(services, counters).strip()
                + ",\"counters\":" + ListJson.counters(counters).strip() + "}\n";
    }

    private String healthJson() {
        HealthMonitor h = health;
        if (h == null) return StatusJson.health(List.of(), List.of(), false);
        return StatusJson.health(Scrape.serviceHealth(h, table.list()), h.checks(null), true);
    }

    private List<DirectorRole.Instance> instances() {
        DirectorRole r = role;
        return r == null ? List.of() : r.instances();
    }

    private static void write(HttpServletResponse resp, String type, byte[] bytes) throws IOException {
        resp.setContentType(type);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    String scrape() {
        return Scrape.of(table, health, connections, role, sync);
    }
}
