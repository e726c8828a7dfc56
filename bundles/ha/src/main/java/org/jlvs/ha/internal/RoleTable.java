package org.jlvs.ha.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jlvs.api.ha.DirectorRole.State;

/**
 * Which instances manage which addresses, for {@link org.jlvs.api.ha.DirectorRole#mayServe}: an immutable
 * open-addressing table (rebuilt when instances come or go) over the instances' volatile states, so that a
 * lookup allocates nothing and takes no lock.
 */
final class RoleTable {
    static final RoleTable EMPTY = new RoleTable(List.of());

    private final int[] keys;
    private final boolean[] used;
    private final VrrpInstance[][] owners;
    private final int mask;

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
}
