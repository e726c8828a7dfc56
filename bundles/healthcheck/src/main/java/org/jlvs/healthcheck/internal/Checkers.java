package org.jlvs.healthcheck.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jlvs.api.spi.HealthChecker;

/**
 * The installed checkers by type, in arrival order: the first one of a type runs its checks; the next takes over
 * if it leaves. Guarded by the monitor's lock.
 */
final class Checkers {
    private final Map<String, List<HealthChecker>> byType = new HashMap<>();

    /** Adds one; true when it is now the one that runs the type's checks. */
    boolean add(String type, HealthChecker checker) {
        List<HealthChecker> list = byType.computeIfAbsent(type, t -> new ArrayList<>());
        list.add(checker);
        return list.get(0) == checker;
    }

    /** Removes one; false when it was not there. */
    boolean remove(String type, HealthChecker checker) {
        List<HealthChecker> list = byType.get(type);
        return list != null && list.remove(checker);
    }

    /** The checker that runs the type's checks, or null. */
    HealthChecker get(String type) {
        List<HealthChecker> list = byType.get(type);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    Set<String> types() {
        Set<String> types = new TreeSet<>();
        byType.forEach((t, list) -> {
            if (!list.isEmpty()) types.add(t);
        });
        return types;
    }
}
