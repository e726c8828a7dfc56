package org.jlvs.api.ha;

import java.util.List;
import java.util.Map;

import org.jlvs.api.Ip6Address;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The role of this director in each VRRP instance (one instance per LAN), and the per-frame question the packet
 * path asks: may it answer for and accept frames to an address now.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link #mayServe} is true for an address that no instance manages, and for an address of an instance in
 *   MASTER; false while its instance is INIT, BACKUP or FAULT. An address listed by two instances is served
 *   while either is MASTER.</li>
 *   <li>{@link #mayServe} reads one volatile reference and a small table: no allocation, no lock, safe from any
 *   thread, cheap enough for every frame. It may lag a transition by the time the transition takes to publish
 *   (the state changes before the gratuitous ARPs of a new master leave, and before the priority-0 advert of a
 *   stopping master leaves).</li>
 *   <li>Members of a sync group change state together: {@link Instance#group} names the group.</li>
 *   <li>Listeners are called on the VRRP thread, in order, after each transition; they must return quickly
 *   and must not call back into a blocking operation.</li>
 * </ul>
 */
@ProviderType
public interface DirectorRole {
    /** The RFC 5798 states, plus FAULT as keepalived has it (a tracked interface or script failed). */
    enum State { INIT, BACKUP, MASTER, FAULT }

    /**
     * Whether the core may answer ARP and ICMP for {@code address} (IPv4 as an int, first octet in the high
     * byte) and forward the frames sent to it, now.
     */
    boolean mayServe(int address);

    /**
     * {@link #mayServe} for an IPv6 address, given as its two big-endian halves ({@link Ip6Address#hi()},
     * {@link Ip6Address#lo()}, as {@code org.jlvs.packet.Ipv6} reads them from a frame): the same rules, no
     * allocation. The default serves every address (a provider without IPv6 instances manages none).
     *
     * @since 1.1
     */
    default boolean mayServe6(long hi, long lo) {
        return true;
    }

    /** A snapshot of every configured instance, by name. */
    List<Instance> instances();

    void addListener(Listener listener);

    void removeListener(Listener listener);

    /** One VRRP instance as it is now (a snapshot: its values do not change after it was taken). */
    @ProviderType
    interface Instance {
        /** The configured name (keepalived's vrrp_instance name, e.g. VI_1). */
        String name();

        /** The sync group this instance belongs to, or null. */
        String group();

        String interfaceName();

        int vrid();

        State state();

        /** The virtual addresses, in the order they are advertised (empty for an IPv6 instance). */
        List<Integer> addresses();

        /**
         * The virtual IPv6 addresses of an IPv6 instance, in the order they are advertised (empty for an IPv4
         * one: an instance is of one family, as in keepalived).
         *
         * @since 1.1
         */
        default List<Ip6Address> addresses6() {
            return List.of();
        }

        /** The configured priority (255 = address owner). */
        int priority();

        /** The priority after track-script weights: what the adverts carry. */
        int effectivePriority();

        /** The source address of the master's adverts (this director's own when MASTER); 0 when none is known. */
        int masterAddress();

        /**
         * For an IPv6 instance, the link-local source of the master's adverts (this director's own when MASTER);
         * null when none is known, and for an IPv4 instance.
         *
         * @since 1.1
         */
        default Ip6Address masterAddress6() {
            return null;
        }

        /** Our advert interval, in centiseconds. */
        int advertIntervalCentis();

        /** Master_Down_Interval in nanoseconds: 3 x the master's advert interval + the skew of our priority. */
        long masterDownNanos();

        /**
         * Counters by the names the keepalived exporters use, without their prefix and suffix
         * ({@code advertisements_received}, {@code become_master}, ...), and jlvs's own.
         */
        Map<String, Long> counters();
    }

    /** Told of every transition of every instance. */
    @ConsumerType
    interface Listener {
        void stateChanged(Instance instance, State from, State to);
    }
}
