package org.jlvs.ha.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jlvs.api.Ip6Address;
import org.jlvs.api.ha.DirectorRole.State;

/**
 * Which instances manage which addresses, for {@link org.jlvs.api.ha.DirectorRole#mayServe}: an immutable
 * open-addressing table (rebuilt when instances come or go) over the instances' volatile states, so that a
 * lookup allocates nothing and takes no lock. IPv6 addresses have a table of their own, keyed by both halves.
 */
final class RoleTable {
    static final RoleTable EMPTY = new RoleTable(List.of());

    private final int[] keys;
    private final boolean[] used;
    private final VrrpInstance[][] owners;
    private final int mask;
    private final long[] keysHi;
    private final long[] keysLo;
    private final boolean[] used6;
    private final VrrpInstance[][] owners6;
    private final int mask6;

    RoleTable(List<VrrpInstance> instances) {
        Map<Integer, List<VrrpInstance>> byAddress = new LinkedHashMap<>();
        for (VrrpInstance i : instances) {
            for (int a : i.config.addresses()) byAddress.computeIfAbsent(a, k -> new ArrayList<>()).add(i);
        }
        int size = Integer.highestOneBit(Math.max(1, byAddress.size()) * 4 - 1) << 1;
        keys = new int[size];
        used = new boolean[size];
        owners = new VrrpInstance[size][];
        mask = size - 1;
        byAddress.forEach((address, list) -> {
            int slot = slot(address);
            while (used[slot]) slot = (slot + 1) & mask;
            used[slot] = true;
            keys[slot] = address;
            owners[slot] = list.toArray(new VrrpInstance[0]);
        });
        Map<Ip6Address, List<VrrpInstance>> byAddress6 = new LinkedHashMap<>();
        for (VrrpInstance i : instances) {
            for (Ip6Address a : i.config.addresses6()) byAddress6.computeIfAbsent(a, k -> new ArrayList<>()).add(i);
        }
        int size6 = Integer.highestOneBit(Math.max(1, byAddress6.size()) * 4 - 1) << 1;
        keysHi = new long[size6];
        keysLo = new long[size6];
        used6 = new boolean[size6];
        owners6 = new VrrpInstance[size6][];
        mask6 = size6 - 1;
        byAddress6.forEach((address, list) -> {
            int slot = slot6(address.hi(), address.lo());
            while (used6[slot]) slot = (slot + 1) & mask6;
            used6[slot] = true;
            keysHi[slot] = address.hi();
            keysLo[slot] = address.lo();
            owners6[slot] = list.toArray(new VrrpInstance[0]);
        });
    }

    private int slot6(long hi, long lo) {
        long h = (hi ^ Long.rotateLeft(lo, 32)) * 0x9e3779b97f4a7c15L;
        return (int) (h >>> 40) & mask6;
    }

    private int slot(int address) {
        return (address * 0x9e3779b9 >>> 16) & mask;
    }

    boolean mayServe(int address) {
        int slot = slot(address);
        while (used[slot]) {
            if (keys[slot] == address) {
                for (VrrpInstance owner : owners[slot]) {
                    if (owner.state() == State.MASTER) return true;
                }
                return false;
            }
            slot = (slot + 1) & mask;
        }
        return true; // no instance manages it
    }

    boolean mayServe6(long hi, long lo) {
        int slot = slot6(hi, lo);
        while (used6[slot]) {
            if (keysHi[slot] == hi && keysLo[slot] == lo) return anyMaster(owners6[slot]);
            slot = (slot + 1) & mask6;
        }
        return true; // no instance manages it
    }

    private static boolean anyMaster(VrrpInstance[] owners) {
        for (VrrpInstance owner : owners) {
            if (owner.state() == State.MASTER) return true;
        }
        return false;
    }
}
