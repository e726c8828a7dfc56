package org.jlvs.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** IPVS scheduler flags (IP_VS_SVC_F_SCHED1..3) and their ipvsadm names for -b. */
public final class SchedulerFlags {
    private SchedulerFlags() {}

    public static final int SCHED1 = 0x08;
    public static final int SCHED2 = 0x10;
    public static final int SCHED3 = 0x20;

    public static final int SH_FALLBACK = SCHED1;
    public static final int SH_PORT = SCHED2;
    public static final int MH_FALLBACK = SCHED1;
    public static final int MH_PORT = SCHED2;

    /** ipvsadm's flag names, with the value and the one scheduler they are valid for (null: any). */
    public static final Map<String, Object[]> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("flag-1", new Object[] {SCHED1, null});
        NAMES.put("flag-2", new Object[] {SCHED2, null});
        NAMES.put("flag-3", new Object[] {SCHED3, null});
        NAMES.put("sh-fallback", new Object[] {SH_FALLBACK, "sh"});
        NAMES.put("sh-port", new Object[] {SH_PORT, "sh"});
        NAMES.put("mh-fallback", new Object[] {MH_FALLBACK, "mh"});
        NAMES.put("mh-port", new Object[] {MH_PORT, "mh"});
    }
}
