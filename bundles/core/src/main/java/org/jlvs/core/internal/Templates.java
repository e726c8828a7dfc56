package org.jlvs.core.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jlvs.api.ConnectionInfo;

/**
 * IPVS's persistence templates (ip_vs_sched_persist): for a service with a persistence timeout, the real
 * server chosen for a client (its address under the service's netmask) is remembered, and that client's new
 * connections go to it while the template lives. A template lives the persistence timeout from its last new
 * connection and, like the kernel's {@code n_control}, as long as connections it created are still in the
 * table (re-armed for {@value #CONTROL_REARM_SECONDS} s at a time). A template of a deleted server is dropped
 * on use; one of a weight-0 server keeps working unless {@code expire_quiescent_template} is set.
 *
 * <p>A plain map, touched only by new connections, by the end of a persistent service's connections and by
 * the 1-second expiry: no packet of an established connection looks here.
 */
final class Templates {
    /** ip_vs_conn_expire: a template that still controls connections is kept this much longer. */
    static final int CONTROL_REARM_SECONDS = 60;
    private static final long NANOS = 1_000_000_000L;

    record Key(Service service, int client) {}

    static final class Template {
        final Key key;
        final Dest dest;
        volatile long expiresAtNanos;
        /** Connections created through this template and still in the table. */
        final AtomicInteger controlled = new AtomicInteger();

        Template(Key key, Dest dest) {
            this.key = key;
            this.dest = dest;
        }
    }

    private final Map<Key, Template> templates = new ConcurrentHashMap<>();

    static int maskedClient(Service service, int client) {
        return client & service.config().persistenceMask();
    }

    /**
     * The real server of {@code client}'s live template in {@code service}, refreshed and counting one more
     * connection; null if there is none usable (a stale one is dropped), then the caller schedules and calls
     * {@link #create}.
     *
     * @param expireQuiescent net.ipv4.vs.expire_quiescent_template: a weight-0 server's template expires now
     */
    Dest use(Service service, int client, long nowNanos, boolean expireQuiescent) {
        Key key = new Key(service, maskedClient(service, client));
        Template t = templates.get(key);
        if (t == null) return null;
        Dest d = t.dest;
        boolean deleted = service.find(d.address(), d.port()) != d;
        if (deleted || (expireQuiescent && d.weight() == 0) || t.expiresAtNanos - nowNanos <= 0
                && t.controlled.get() == 0) {
            drop(t);
            return null;
        }
        t.expiresAtNanos = nowNanos + service.config().persistence() * NANOS;
        t.controlled.incrementAndGet();
        return d;
    }

    /** A new template for {@code client}, pointing at {@code dest}, with the connection that created it. */
    void create(Service service, int client, Dest dest, long nowNanos) {
        Key key = new Key(service, maskedClient(service, client));
        Template t = new Template(key, dest);
        t.expiresAtNanos = nowNanos + service.config().persistence() * NANOS;
        t.controlled.set(1);
        Template old = templates.put(key, t);
        dest.persistent.incrementAndGet();
        if (old != null) old.dest.persistent.decrementAndGet(); // a race of two first connections: last one wins
    }

    /** One connection of {@code service} to {@code dest} from {@code client} has left the table. */
    void connectionRemoved(Service service, Dest dest, int client) {
        if (templates.isEmpty()) return; // the usual case without persistent services: no lookup
        // not gated on the service's persistence: it may have been turned off since the connection began
        Template t = templates.get(new Key(service, maskedClient(service, client)));
        if (t != null && t.dest == dest) t.controlled.updateAndGet(n -> n > 0 ? n - 1 : 0);
    }

    /** Removes expired templates; those still controlling connections are kept a while longer. */
    void expire(long nowNanos) {
        for (Iterator<Template> it = templates.values().iterator(); it.hasNext(); ) {
            Template t = it.next();
            if (t.expiresAtNanos - nowNanos > 0) continue;
            if (t.controlled.get() > 0 && t.key.service().config().persistence() > 0) {
                t.expiresAtNanos = nowNanos + CONTROL_REARM_SECONDS * NANOS;
            } else if (templates.remove(t.key, t)) {
                t.dest.persistent.decrementAndGet();
            }
        }
    }

    private void drop(Template t) {
        if (templates.remove(t.key, t)) t.dest.persistent.decrementAndGet();
    }

    int size() {
        return templates.size();
    }

    /**
     * Lists the templates as ipvsadm -c shows them: state NONE, client port 0, the service's port (0 for a
     * port-0 service) and the real server's.
     */
    long forEach(java.util.function.Predicate<ConnectionInfo> filter, long limit, Consumer<ConnectionInfo> sink,
                 long nowNanos) {
        long passed = 0;
        for (Template t : templates.values()) {
            if (passed >= limit) break;
            Service s = t.key.service();
            int vport = s.key().port();
            ConnectionInfo info = new ConnectionInfo(s.key().protocol(), "NONE",
                    Math.max(0, (t.expiresAtNanos - nowNanos) / 1_000_000), t.key.client(), 0,
                    s.key().address(), vport, t.dest.address(), t.dest.port() == 0 ? vport : t.dest.port());
            if (filter.test(info)) {
                sink.accept(info);
                passed++;
            }
        }
        return passed;
    }
}
