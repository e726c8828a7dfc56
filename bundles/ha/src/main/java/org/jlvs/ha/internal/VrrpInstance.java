package org.jlvs.ha.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jlvs.api.Ip6Address;
import org.jlvs.api.ha.DirectorRole;
import org.jlvs.api.ha.DirectorRole.State;
import org.jlvs.packet.Vrrp;

/**
 * One VRRP instance's state machine: RFC 5798 §6.4 as keepalived 2.2.7 behaves (vrrp.c), on a clock given by
 * the caller. Every method runs on the VRRP thread; {@link #state} is published for readers on other threads.
 *
 * <ul>
 *   <li>Start: BACKUP with Master_Down_Interval = 3 x Advertisement_Interval + Skew_Time, Skew_Time = (256 -
 *   priority) x Master_Adver_Interval / 256 (not rounded: 100 at 1 s gives 3.609375 s, as measured); the address
 *   owner (255) and {@code state MASTER} go MASTER at once.</li>
 *   <li>BACKUP: priority 0 → Master_Down = Skew_Time; priority ≥ ours, or nopreempt, or a preempt_delay that has not
 *   run out → restart Master_Down with the advert's interval learnt; a lower priority with preemption → ignored, so
 *   the timer runs out and we take over. preempt_delay starts at the first lower-priority advert.</li>
 *   <li>MASTER: priority 0 → an advert at once; lower, or equal from a lower address → an advert and gratuitous ARPs
 *   at once ("forcing new election"); higher, or equal from a higher address → BACKUP (no priority-0 advert).</li>
 *   <li>Becoming MASTER: the advert, then garp_master_repeat gratuitous ARPs per address, the same again after
 *   garp_master_delay. A graceful stop, or a FAULT while MASTER, sends a priority-0 advert.</li>
 *   <li>Sync group: entering MASTER, BACKUP (leaving MASTER) or FAULT pulls the other members along;
 *   a member left MASTER by its group sends priority 0 so that the peer's member takes over at once.</li>
 * </ul>
 */
final class VrrpInstance {
    /** Where the instance's frames go. */
    interface Wire {
        /** Sends one advert with this priority (to the group or to every unicast peer); false if refused. */
        boolean sendAdvert(int priority);

        /**
         * Sends {@code rounds} gratuitous ARPs (IPv6: unsolicited Neighbour Advertisements) for each address;
         * returns the frames sent.
         */
        int sendGarps(int rounds);
    }

    /** Told of each transition, after the instance's frames for it went out. */
    interface Transitions {
        void transitioned(VrrpInstance instance, State from, State to);
    }

    static final long NEVER = Long.MAX_VALUE;

    final InstanceConfig config;
    final Counters counters;
    final AdvertRing ring = new AdvertRing();
    private final Transitions transitions;
    private Wire wire;
    private int source; // the adverts' source address, known once attached
    private long sourceHi, sourceLo; // an IPv6 instance's link-local source
    SyncGroup group;
    /** What a preemption waits for (the director's full resync); set by the engine. */
    PreemptHold hold = PreemptHold.NONE;
    private long holdStart = -1;

    private volatile State state = State.INIT;
    private volatile int effectivePriority;
    private volatile int masterAddress;
    private volatile Ip6Address masterAddress6; // IPv6 instances; replaced only when the master changes
    private volatile long masterDownNanos;
    private long masterAdverNanos;
    private long downDeadline = NEVER;
    private long advertDeadline = NEVER;
    private long garpDeadline = NEVER;
    private long preemptTime; // 0 = no preempt delay running
    private int basePriority;
    private boolean ownFault = true; // until attached and tracked

    VrrpInstance(InstanceConfig config, Counters counters, Transitions transitions) {
        this.config = config;
        this.counters = counters;
        this.transitions = transitions;
        this.basePriority = config.priority();
        this.effectivePriority = basePriority;
        this.masterAdverNanos = config.advertNanos();
        this.masterDownNanos = masterDown(masterAdverNanos);
    }

    State state() {
        return state;
    }

    int effectivePriority() {
        return effectivePriority;
    }

    int masterAddress() {
        return masterAddress;
    }

    long masterDownNanos() {
        return masterDownNanos;
    }

    boolean ownFault() {
        return ownFault;
    }

    Ip6Address masterAddress6() {
        return masterAddress6;
    }

    /** The channel to send through (null: detached) and the adverts' source address. */
    void attach(Wire wire, int source) {
        attach(wire, source, sourceHi, sourceLo);
    }

    /** The same with the link-local source of an IPv6 instance. */
    void attach(Wire wire, int source, long sourceHi, long sourceLo) {
        this.wire = wire;
        this.source = source;
        this.sourceHi = sourceHi;
        this.sourceLo = sourceLo;
    }

    int source() {
        return source;
    }

    private long skew(long adverNanos) {
        return (256 - effectivePriority) * adverNanos / 256;
    }

    private long masterDown(long adverNanos) {
        return 3 * adverNanos + skew(adverNanos);
    }

    // ------------------------------------------------------------------ inputs

    /** INIT → BACKUP (or MASTER for the owner and state MASTER, or FAULT). */
    void start(long now) {
        if (state != State.INIT) return;
        if (ownFault || group != null && group.anyFault()) {
            enterFault(now);
        } else if (basePriority == Vrrp.PRIORITY_OWNER || config.startAsMaster()) {
            takeOver(now);
        } else {
            enterBackup(now, config.advertNanos(), false);
        }
    }

    /** A graceful stop: the master says priority 0 so that a backup takes over after its skew time. */
    void stop(long now) {
        State from = state;
        if (from == State.INIT) return;
        if (from == State.MASTER) sendStop();
        state = State.INIT;
        downDeadline = advertDeadline = garpDeadline = NEVER;
        transitions.transitioned(this, from, State.INIT);
    }

    /** A checked advert (see {@link AdvertFilter}). */
    void onAdvert(long now, int from, int priority, int maxAdverIntCentis) {
        onAdvert(now, from, 0, 0, priority, maxAdverIntCentis);
    }

    /** A checked advert; {@code fromHi, fromLo}: its IPv6 source (an IPv6 instance compares and shows those). */
    void onAdvert(long now, int from, long fromHi, long fromLo, int priority, int maxAdverIntCentis) {
        long interval = maxAdverIntCentis * 10_000_000L;
        switch (state) {
            case BACKUP -> backupReceived(now, from, fromHi, fromLo, priority, interval);
            case MASTER -> masterReceived(now, from, fromHi, fromLo, priority, interval);
            default -> { } // INIT and FAULT ignore adverts
        }
    }

    private void backupReceived(long now, int from, long fromHi, long fromLo, int priority, long interval) {
        if (priority == Vrrp.PRIORITY_STOP) {
            downDeadline = now + skew(masterAdverNanos);
            return;
        }
        boolean delaying = config.preemptDelayNanos() > 0 && (preemptTime == 0 || preemptTime > now);
        boolean held = config.preempt() && priority < effectivePriority && !delaying && holding(now);
        if (!config.preempt() || priority >= effectivePriority || delaying || held) {
            masterAdverNanos = interval;
            masterDownNanos = masterDown(interval);
            downDeadline = now + masterDownNanos;
            setMaster(from, fromHi, fromLo);
            if (config.preemptDelayNanos() > 0) {
                if (priority >= effectivePriority) preemptTime = 0;
                else if (preemptTime == 0) preemptTime = now + config.preemptDelayNanos();
            }
        }
        // else: a lower priority that we preempt; the timer runs on
    }

    /** A preemption the director's condition holds back: as nopreempt, until it is met or the hold runs out. */
    private boolean holding(long now) {
        boolean held = hold.holds(config.name(), now);
        if (held && holdStart < 0) {
            holdStart = now;
            counters.inc(Counter.PREEMPT_HOLDS);
        } else if (!held) {
            endHold(now);
        }
        return held;
    }

    private void endHold(long now) {
        if (holdStart < 0) return;
        counters.add(Counter.PREEMPT_HOLD_MILLIS, (now - holdStart) / 1_000_000);
        holdStart = -1;
    }

    private void setMaster(int from, long fromHi, long fromLo) {
        masterAddress = from;
        if (!config.ipv6()) return;
        Ip6Address m = masterAddress6;
        if (m == null || m.hi() != fromHi || m.lo() != fromLo) masterAddress6 = new Ip6Address(fromHi, fromLo);
    }

    /** The sender's address against ours, as RFC 5798 §6.4.3 compares primary addresses (unsigned, big-endian). */
    private int order(int from, long fromHi, long fromLo) {
        if (!config.ipv6()) return Integer.compareUnsigned(from, source);
        int hi = Long.compareUnsigned(fromHi, sourceHi);
        return hi != 0 ? hi : Long.compareUnsigned(fromLo, sourceLo);
    }

    private void masterReceived(long now, int from, long fromHi, long fromLo, int priority, long interval) {
        if (priority == Vrrp.PRIORITY_STOP) {
            sendAdvert(effectivePriority);
            return;
        }
        int order = order(from, fromHi, fromLo);
        if (priority < effectivePriority || priority == effectivePriority && order < 0) {
            sendAdvert(effectivePriority);
            sendGarps(config.garpLowerPrioRepeat());
        } else if (priority > effectivePriority || order > 0) {
            setMaster(from, fromHi, fromLo);
            if (group == null) enterBackup(now, interval, false);
            else group.toBackup(this, now, interval);
        }
    }

    /** The VRRP thread's clock tick: timers that ran out. */
    void poll(long now) {
        if (state == State.BACKUP && now >= downDeadline) {
            if (group == null) takeOver(now);
            else group.toMaster(now);
        } else if (state == State.MASTER) {
            if (now >= advertDeadline) {
                sendAdvert(effectivePriority);
                advertDeadline += config.advertNanos();
                if (advertDeadline <= now) advertDeadline = now + config.advertNanos(); // we were late: no burst
            }
            if (now >= garpDeadline) {
                garpDeadline = NEVER;
                sendGarps(config.garpMasterRepeat());
            }
        }
    }

    /** The earliest time {@link #poll} has something to do. */
    long nextDeadline() {
        return switch (state) {
            case BACKUP -> downDeadline;
            case MASTER -> Math.min(advertDeadline, garpDeadline);
            default -> NEVER;
        };
    }

    /**
     * What tracking found: a fault (the interface down, a tracked interface down, a weight-0 script failed, no
     * channel) and the sum of the script weights that apply now.
     */
    void track(long now, boolean fault, int scriptWeight) {
        effectivePriority = basePriority == Vrrp.PRIORITY_OWNER ? basePriority
                : Math.max(1, Math.min(254, basePriority + scriptWeight));
        if (fault == ownFault) return;
        ownFault = fault;
        if (state == State.INIT) return;
        if (group != null) {
            group.faultChanged(now);
        } else if (fault) {
            enterFault(now);
        } else if (state == State.FAULT) {
            leaveFault(now);
        }
    }

    // ------------------------------------------------------------------ transitions (also used by SyncGroup)

    void takeOver(long now) {
        State from = state;
        if (from == State.MASTER) return;
        state = State.MASTER;
        endHold(now);
        counters.inc(Counter.BECOME_MASTER);
        setMaster(source, sourceHi, sourceLo);
        downDeadline = NEVER;
        preemptTime = 0;
        sendAdvert(effectivePriority);
        sendGarps(config.garpMasterRepeat());
        garpDeadline = config.garpMasterDelayNanos() > 0 ? now + config.garpMasterDelayNanos() : NEVER;
        advertDeadline = now + config.advertNanos();
        transitions.transitioned(this, from, State.MASTER);
    }

    /**
     * To BACKUP with the master's interval learnt; {@code sayStop}: a priority-0 advert first when leaving
     * MASTER (a sync group pulled us along).
     */
    void enterBackup(long now, long masterInterval, boolean sayStop) {
        State from = state;
        if (from == State.MASTER) {
            counters.inc(Counter.RELEASE_MASTER);
            if (sayStop) sendStop();
        }
        state = State.BACKUP;
        advertDeadline = garpDeadline = NEVER;
        preemptTime = 0;
        masterAdverNanos = masterInterval;
        masterDownNanos = masterDown(masterInterval);
        downDeadline = now + masterDownNanos;
        if (from != State.BACKUP) transitions.transitioned(this, from, State.BACKUP);
    }

    void enterFault(long now) {
        State from = state;
        if (from == State.FAULT) return;
        if (from == State.MASTER) {
            counters.inc(Counter.RELEASE_MASTER);
            sendStop();
        }
        state = State.FAULT;
        downDeadline = advertDeadline = garpDeadline = NEVER;
        masterAddress = 0;
        masterAddress6 = null;
        transitions.transitioned(this, from, State.FAULT);
    }

    void leaveFault(long now) {
        if (state != State.FAULT) return;
        if (basePriority == Vrrp.PRIORITY_OWNER) takeOver(now);
        else enterBackup(now, config.advertNanos(), false);
    }

    // ------------------------------------------------------------------ output

    private void sendAdvert(int priority) {
        if (wire != null && wire.sendAdvert(priority)) {
            counters.add(Counter.ADVERTISEMENTS_SENT, Math.max(1, config.unicastPeers().length));
        } else {
            counters.inc(Counter.SEND_FAILURES);
        }
    }

    private void sendStop() {
        sendAdvert(Vrrp.PRIORITY_STOP);
        counters.inc(Counter.PRIORITY_ZERO_SENT);
    }

    private void sendGarps(int rounds) {
        if (rounds > 0 && wire != null) {
            counters.add(config.ipv6() ? Counter.NEIGHBOUR_ADVERTS_SENT : Counter.GRATUITOUS_ARPS_SENT, wire.sendGarps(rounds));
        }
    }

    /** Drains the adverts queued by the receive thread. */
    void drain(long now) {
        for (long entry = ring.poll(); entry >= 0; entry = ring.poll()) {
            // timers run from when the advert arrived: on a busy machine the VRRP thread may get to it later
            long at = Math.min(now, ring.polledTime());
            onAdvert(at, AdvertRing.source(entry), ring.polledHi(), ring.polledLo(), AdvertRing.priority(entry),
                    AdvertRing.maxAdverInt(entry));
        }
    }

    /** What the DirectorRole shows of this instance. */
    DirectorRole.Instance snapshot() {
        List<Integer> addresses = new ArrayList<>();
        for (int a : config.addresses()) addresses.add(a);
        return new Snapshot(config.name(), config.syncGroup(), config.interfaceName(), config.vrid(), state,
                List.copyOf(addresses), basePriority, effectivePriority, masterAddress, config.advertCentis(),
                masterDownNanos, counters.toMap(), List.of(config.addresses6()), masterAddress6);
    }

    record Snapshot(String name, String group, String interfaceName, int vrid, State state, List<Integer> addresses,
                    int priority, int effectivePriority, int masterAddress, int advertIntervalCentis,
                    long masterDownNanos, Map<String, Long> counters, List<Ip6Address> addresses6,
                    Ip6Address masterAddress6) implements DirectorRole.Instance {
    }
}
