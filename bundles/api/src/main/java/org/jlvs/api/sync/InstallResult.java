package org.jlvs.api.sync;

/** What {@link ConnectionSync#install} did with an entry learnt from a peer. */
public enum InstallResult {
    /** A new entry, marked as synced. */
    CREATED(true),
    /** An existing entry got the message's state, flags and timeout. */
    UPDATED(true),
    /**
     * An existing connection pointed to another real server: it was expired and the entry created anew
     * (IPVS does this for an active message; an inactive one for a replaced entry is {@link #IGNORED}).
     */
    REPLACED(true),
    /** The message was the expiry notice of a connection already replaced: nothing changed (as IPVS). */
    IGNORED(true),
    /** No virtual service of this director matches (vaddr, vport, protocol[, fwmark]). */
    UNKNOWN_SERVICE(false),
    /** The service exists but has no real server (daddr, dport). */
    UNKNOWN_SERVER(false),
    /** The fields do not describe an entry this director can hold (protocol, state, flags, ports). */
    INVALID(false),
    /** The connection table is full. */
    TABLE_FULL(false);

    private final boolean accepted;

    InstallResult(boolean accepted) {
        this.accepted = accepted;
    }

    /** True when the entry is (still) in the table as the message describes it. */
    public boolean accepted() {
        return accepted;
    }
}
