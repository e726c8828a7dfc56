package org.jlvs.healthcheck.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.Ip4;
import org.jlvs.api.LvsException;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.VirtualServerTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's quorum and sorry server per service: the live weight against quorum and hysteresis, and while the
 * quorum is lost the sorry server (if set) in the place of the live real servers. Called under the monitor's lock.
 */
final class Quorum {
    /** The monitor's logger: its parts log as one. */
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

    private final VirtualServerTable table;
    private final Timers timers;
    private final Monitor.Effects effects;
    private final Placement placement;

    Quorum(VirtualServerTable table, Timers timers, Monitor.Effects effects, Placement placement) {
        this.table = table;
        this.timers = timers;
        this.effects = effects;
        this.placement = placement;
    }

    /** New settings for a pool (the caller stored them): another sorry server goes in before the old one leaves. */
    void settingsChanged(Pool pool, QuorumConfig old, String reason) {
        QuorumConfig config = pool.quorum;
        if (pool.sorryIn != null && (old.sorryAddress() != config.sorryAddress() || old.sorryPort() != config.sorryPort())) {
            Pool.SorryServer previous = pool.sorryIn;
            pool.sorryIn = null;
            if (config.hasSorryServer()) addSorry(pool);
            removeSorry(pool, previous);
            placement.placeAll(pool);
        }
        evaluate(pool, reason);
    }

    /**
     * keepalived's update_quorum_state: lost when the live weight falls below quorum - hysteresis, gained when
     * it reaches quorum + hysteresis. Returns true when the quorum changed (every member was placed again).
     */
    boolean evaluate(Pool pool, String reason) {
        ServiceInfo info = table.get(pool.key);
        if (info == null) return false;
        long live = liveWeight(pool, info);
        QuorumConfig q = pool.quorum;
        boolean changed = false;
        if (!pool.quorumUp && live >= (long) q.quorum() + q.hysteresis()) {
            pool.quorumUp = true;
            changed = true;
            LOG.info("service {} gained quorum: live weight {} >= {}+{}", pool.key, live, q.quorum(), q.hysteresis());
            effects.post(HealthMonitor.TOPIC_QUORUM_GAINED, eventProperties(pool, live, reason));
        } else if (pool.quorumUp && live < (long) q.quorum() - q.hysteresis()) {
            pool.quorumUp = false;
            changed = true;
            LOG.warn("service {} lost quorum: live weight {} < {}-{}{}", pool.key, live, q.quorum(), q.hysteresis(),
                    q.hasSorryServer() ? ": the sorry server takes the traffic" : "");
            effects.post(HealthMonitor.TOPIC_QUORUM_LOST, eventProperties(pool, live, reason));
        }
        if (changed) pool.quorumSinceMillis = timers.currentTimeMillis();
        boolean wantSorry = !pool.quorumUp && q.hasSorryServer();
        if (wantSorry && pool.sorryIn == null) {
            holdUnwatched(pool, info);
            addSorry(pool);                // first the sorry server in ...
            placement.placeAll(pool);      // ... then the live real servers out
            return true;
        }
        if (!wantSorry && pool.sorryIn != null) {
            Pool.SorryServer sorry = pool.sorryIn;
            pool.sorryIn = null;
            placement.placeAll(pool);      // first the live real servers back ...
            removeSorry(pool, sorry);      // ... then the sorry server out
            return true;
        }
        return false;
    }

    /** keepalived's weigh_live_realservers: live members' weights plus the servers the monitor does not watch. */
    static long liveWeight(Pool pool, ServiceInfo info) {
        long sum = 0;
        for (Member m : pool.members.values()) {
            if (m.alive) sum += m.effectiveWeight();
        }
        if (info != null) {
            for (ServerInfo s : info.servers()) {
                int a = s.config().address(), p = s.config().port();
                if (pool.member(a, p) != null) continue;
                if (pool.sorryIn != null && pool.sorryIn.address() == a && pool.sorryIn.port() == p) continue;
                sum += s.config().weight();
            }
        }
        return sum;
    }

    /** Real servers without checks are taken out too while the sorry server serves: look after them. */
    private void holdUnwatched(Pool pool, ServiceInfo info) {
        QuorumConfig q = pool.quorum;
        for (ServerInfo s : info.servers()) {
            ServerConfig c = s.config();
            if (pool.member(c.address(), c.port()) != null) continue;
            if (c.address() == q.sorryAddress() && c.port() == q.sorryPort()) continue;
            Member m = new Member(pool, c, timers.currentTimeMillis());
            m.appliedWeight = c.weight();
            pool.members.put(Pool.id(m.address, m.port), m);
        }
    }

    private void addSorry(Pool pool) {
        QuorumConfig q = pool.quorum;
        ServiceInfo info = table.get(pool.key);
        boolean present = info != null && Monitor.find(info, q.sorryAddress(), q.sorryPort()) != null;
        try {
            if (!present) {
                table.addServer(pool.key, ServerConfig.of(q.sorryAddress(), q.sorryPort(), sorryMethod(pool, info), 1));
            }
            pool.sorryIn = new Pool.SorryServer(q.sorryAddress(), q.sorryPort(), !present);
            LOG.info("sorry server {} serves {}", Ip4.toString(q.sorryAddress(), q.sorryPort()), pool.key);
        } catch (LvsException | IllegalArgumentException e) {
            LOG.warn("could not add sorry server {} to {}: {}", Ip4.toString(q.sorryAddress(), q.sorryPort()), pool.key,
                    e.getMessage());
        }
    }

    private void removeSorry(Pool pool, Pool.SorryServer sorry) {
        if (!sorry.added()) return; // the operator's own server: not ours to remove
        try {
            table.deleteServer(pool.key, sorry.address(), sorry.port());
            LOG.info("sorry server {} leaves {}", Ip4.toString(sorry.address(), sorry.port()), pool.key);
        } catch (LvsException | IllegalArgumentException e) {
            LOG.warn("could not remove sorry server {} from {}: {}", Ip4.toString(sorry.address(), sorry.port()),
                    pool.key, e.getMessage());
        }
    }

    /** The sorry server is forwarded like the service's real servers (keepalived: the service's lvs_method). */
    private static ForwardMethod sorryMethod(Pool pool, ServiceInfo info) {
        for (Member m : pool.members.values()) return m.config.method();
        if (info != null && !info.servers().isEmpty()) return info.servers().get(0).config().method();
        return ForwardMethod.MASQ;
    }

    private static Map<String, Object> eventProperties(Pool pool, long live, String reason) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("service", pool.key.toString());
        p.put("quorum", pool.quorum.quorum());
        p.put("hysteresis", pool.quorum.hysteresis());
        p.put("live.weight", live);
        p.put("reason", reason);
        return p;
    }
}
