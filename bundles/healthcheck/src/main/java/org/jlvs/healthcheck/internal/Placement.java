package org.jlvs.healthcheck.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jlvs.api.CheckResult;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.LvsException;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places real servers where their verdicts say they belong: in the table with their weight, with weight 0
 * (inhibit_on_failure), or out; announces the changes of verdict (events, notify scripts); follows the operator
 * when the table refuses a change; forgets members and pools that need no looking after. Called under the
 * monitor's lock.
 */
final class Placement {
    /** The monitor's logger: its parts log as one. */
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

    private final VirtualServerTable table;
    private final Map<ServiceKey, Pool> pools;
    private final Timers timers;
    private final Monitor.Effects effects;
    private final CheckRunner runner;

    Placement(VirtualServerTable table, Map<ServiceKey, Pool> pools, Timers timers, Monitor.Effects effects,
              CheckRunner runner) {
        this.table = table;
        this.pools = pools;
        this.timers = timers;
        this.effects = effects;
        this.runner = runner;
    }

    /** Takes the member's checks' verdict as its alive state; announces it when it changed. */
    void judge(Member m, String reason) {
        boolean alive = m.checksPass();
        if (alive != m.alive) {
            m.alive = alive;
            m.aliveSinceMillis = timers.currentTimeMillis();
            announce(m, reason);
        }
    }

    private void announce(Member m, String reason) {
        String state = m.alive ? "UP" : "DOWN";
        String action = m.alive ? (m.inhibitOnFailure ? "weight restored" : "added back")
                : (m.inhibitOnFailure ? "weight set to 0" : "removed");
        if (m.pool.sorryIn != null) action = m.alive ? "held out while the sorry server serves" : "stays out";
        LOG.info("real server {} is {} ({}): {}", m, state, reason, action);
        effects.post(m.alive ? HealthMonitor.TOPIC_UP : HealthMonitor.TOPIC_DOWN, eventProperties(m, state, reason));
        String script = m.alive ? m.notifyUp : m.notifyDown;
        if (script != null) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("JLVS_SERVICE", m.pool.key.toString());
            env.put("JLVS_REAL_SERVER", m.endpoint());
            env.put("JLVS_STATE", state);
            env.put("JLVS_REASON", reason);
            effects.runScript(script, env);
        }
    }

    /** The properties of a real server's event (HealthMonitor's topics). */
    static Map<String, Object> eventProperties(Member m, String state, String reason) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("service", m.pool.key.toString());
        p.put("protocol", m.pool.key.protocol().label());
        p.put("virtual.address", m.pool.key.addressText());
        p.put("virtual.port", m.pool.key.port());
        p.put("address", m.config.addressText());
        p.put("port", m.port);
        p.put("state", state);
        p.put("reason", reason);
        p.put("weight", m.effectiveWeight());
        return p;
    }

    /** Puts one member where its state says it belongs: in, with weight 0, or out of the table. */
    void place(Member m) {
        Member.Placement want;
        if (m.alive && m.pool.sorryIn == null) want = Member.Placement.IN;
        else want = m.inhibitOnFailure ? Member.Placement.INHIBITED : Member.Placement.OUT;
        ServiceKey key = m.pool.key;
        try {
            switch (want) {
                case IN -> {
                    int weight = m.effectiveWeight();
                    if (m.placement == Member.Placement.OUT) {
                        table.addServer(key, m.config.withWeight(weight));
                    } else if (m.placement == Member.Placement.INHIBITED || m.appliedWeight != weight) {
                        table.editServer(key, current(m).withWeight(weight));
                    }
                    m.appliedWeight = weight;
                }
                case INHIBITED -> {
                    if (m.placement == Member.Placement.OUT) {
                        table.addServer(key, m.config.withWeight(0));
                    } else if (m.placement == Member.Placement.IN) {
                        table.editServer(key, remember(m).withWeight(0));
                    }
                    m.appliedWeight = 0;
                }
                case OUT -> {
                    if (m.placement != Member.Placement.OUT) {
                        if (m.placement == Member.Placement.IN) remember(m);
                        if (m.config.isIpv6()) table.deleteServer(key, m.config.address6(), m.port);
                        else table.deleteServer(key, m.address, m.port);
                    }
                }
            }
            m.placement = want;
        } catch (LvsException | IllegalArgumentException e) {
            reconcileAfterFailure(m, want, e);
        }
        forgetIfIdle(m);
    }

    void placeAll(Pool pool) {
        for (Member m : new ArrayList<>(pool.members.values())) place(m);
    }

    /** A table change was refused: the operator changed the table behind the monitor's back. */
    private void reconcileAfterFailure(Member m, Member.Placement want, RuntimeException e) {
        ServiceInfo info = table.get(m.pool.key);
        if (info == null) {
            LOG.warn("service {} was deleted: its checks are removed", m.pool.key);
            dropPool(m.pool);
            return;
        }
        ServerInfo now = Monitor.find(info, m.address, m.port);
        if (now == null && m.placement != Member.Placement.OUT) {
            LOG.warn("real server {} was deleted by the operator: its checks are removed", m);
            forget(m);
            return;
        }
        if (now != null && want != Member.Placement.OUT && m.placement == Member.Placement.OUT) {
            // added back by the operator meanwhile: take it as it is, then apply again
            m.config = now.config();
            m.placement = now.config().weight() == 0 && m.inhibitOnFailure ? Member.Placement.INHIBITED : Member.Placement.IN;
            m.appliedWeight = now.config().weight();
            place(m);
            return;
        }
        LOG.warn("could not apply the state of real server {}: {}", m, e.getMessage());
    }

    /** The member's configuration as in the table now (the operator may have edited it), else as remembered. */
    private ServerConfig current(Member m) {
        ServiceInfo info = table.get(m.pool.key);
        ServerInfo s = info == null ? null : Monitor.find(info, m.address, m.port);
        return s == null ? m.config : s.config();
    }

    /** Refreshes the remembered configuration from the table before taking the server out or to weight 0. */
    private ServerConfig remember(Member m) {
        ServerConfig now = current(m);
        boolean tableWeightIsOperators = m.placement == Member.Placement.IN && m.dynamicWeight == CheckResult.NO_WEIGHT;
        m.config = tableWeightIsOperators ? now : now.withWeight(m.config.weight());
        return now;
    }

    /** A member without checks that is back in the table needs no looking after. */
    void forgetIfIdle(Member m) {
        if (m.checks.isEmpty() && m.placement == Member.Placement.IN && m.pool.members.get(Pool.id(m.address, m.port)) == m) {
            m.pool.members.remove(Pool.id(m.address, m.port));
        }
    }

    /** Drops a member and its checks (its real server left the table). */
    void forget(Member m) {
        for (Check c : m.checks) runner.stop(c);
        m.checks.clear();
        m.pool.members.remove(Pool.id(m.address, m.port));
        effects.checksChanged();
    }

    void dropPoolIfIdle(Pool pool) {
        if (pool.members.isEmpty() && !pool.quorumSet && pool.sorryIn == null) pools.remove(pool.key);
    }

    /** Drops a pool and its checks (its service left the table). */
    void dropPool(Pool pool) {
        for (Member m : new ArrayList<>(pool.members.values())) forget(m);
        pools.remove(pool.key);
        effects.checksChanged();
    }
}
