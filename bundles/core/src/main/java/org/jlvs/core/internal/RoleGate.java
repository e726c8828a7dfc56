package org.jlvs.core.internal;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import org.jlvs.api.Ip4;
import org.jlvs.api.ha.DirectorRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the director's VRRP role lets the packet path do: answer ARP and ICMP for an address and forward the
 * frames sent to it only while the instance managing it is MASTER (an address no instance manages is served as
 * without failover). An instance address that is no VIP (the gateway address of NAT real servers) is owned by
 * the core while MASTER: it answers ARP and ping for it, as the kernel would for an address keepalived adds.
 *
 * <p>The per-frame questions read two volatile references, a sorted int array and the role's own table: no
 * allocation, no lock. Without a DirectorRole service (the ha bundle absent) every address is served.
 */
final class RoleGate {
    private static final Logger LOG = LoggerFactory.getLogger(RoleGate.class);
    private static final int[] NONE = new int[0];

    private volatile DirectorRole role;
    /** Every address of every instance, sorted; refreshed on each transition and by the periodic work. */
    private volatile int[] instanceAddresses = NONE;
    /** The role has instances and none is MASTER; refreshed with the addresses. */
    private volatile boolean backupForAll;
    private final DirectorRole.Listener listener = this::stateChanged;
    /** Told when {@link #mayServe6} turns true (a takeover): the VIP6s are advertised again. */
    private volatile Runnable servingIpv6 = () -> { };

    /** Whether frames to {@code address} may be answered and forwarded now. */
    boolean mayServe(int address) {
        DirectorRole r = role;
        return r == null || r.mayServe(address);
    }

    /**
     * Whether frames to the virtual IPv6 address hi/lo may be answered and forwarded now: an address of an IPv6
     * VRRP instance only while that instance is MASTER (the role's mayServe6); any other VIP6 unless this
     * director is MASTER of no instance at all while it has some (a backup for everything: the master serves
     * those VIP6s too, and two answering directors would split the clients' neighbour caches).
     */
    boolean mayServe6(long hi, long lo) {
        DirectorRole r = role;
        return r == null || (!backupForAll && r.mayServe6(hi, lo));
    }

    /** What to run when this director starts serving the VIP6s again (from the VRRP thread: must not block). */
    void onServingIpv6(Runnable r) {
        servingIpv6 = r;
    }

    /** Whether some instance manages {@code address} (whatever its state). */
    boolean managed(int address) {
        return role != null && Arrays.binarySearch(instanceAddresses, address) >= 0;
    }

    void bind(DirectorRole r) {
        role = r;
        r.addListener(listener);
        refresh();
        LOG.info("director role bound: addresses of VRRP instances are served only while MASTER");
    }

    void unbind(DirectorRole r) {
        r.removeListener(listener);
        if (role == r) {
            role = null;
            instanceAddresses = NONE;
            setBackupForAll(false);
            LOG.info("director role gone: every address is served");
        }
    }

    /** Re-reads the instances' addresses (instances come and go by configuration, without a transition). */
    void refresh() {
        DirectorRole r = role;
        if (r == null) return;
        TreeSet<Integer> all = new TreeSet<>();
        boolean master = false;
        int count = 0;
        try {
            for (DirectorRole.Instance i : r.instances()) {
                all.addAll(i.addresses());
                master |= i.state() == DirectorRole.State.MASTER;
                count++;
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot read the VRRP instances: {}", e.toString());
            return;
        }
        setBackupForAll(count > 0 && !master);
        int[] sorted = all.stream().mapToInt(Integer::intValue).toArray();
        if (!Arrays.equals(sorted, instanceAddresses)) instanceAddresses = sorted;
    }

    private void setBackupForAll(boolean backup) {
        boolean was = backupForAll;
        backupForAll = backup;
        if (was && !backup) servingIpv6.run();
    }

    private void stateChanged(DirectorRole.Instance instance, DirectorRole.State from, DirectorRole.State to) {
        refresh();
        LOG.info("VRRP instance {} {} -> {}: {} {}", instance.name(), from, to,
                to == DirectorRole.State.MASTER ? "serving" : "not serving", names(instance.addresses()));
    }

    private static String names(List<Integer> addresses) {
        StringBuilder b = new StringBuilder();
        for (int a : addresses) b.append(b.length() == 0 ? "" : ",").append(Ip4.toString(a));
        return b.toString();
    }
}
