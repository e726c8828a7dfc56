package org.jlvs.api.sync;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the core offers connection synchronisation; registered by the core as an OSGi service.
 *
 * <p><b>Master side: the feed.</b> While a {@link SyncFeed} is attached, the packet path applies its
 * {@link SyncRule} to every packet of a connection (and then to the connection's template, if any) and, when
 * the rule says so, {@link SyncQueue#offer offers} the entry's fields to its queue, from the receive thread,
 * without waiting: a full queue drops the update (counted by the queue). The entry's timeout goes in seconds;
 * its flags are the IPVS flags ({@link IpvsConn}) with HASHED clear and ONE_PACKET entries never offered.
 * With no feed attached the packet path reads one volatile field per packet and does nothing else.
 *
 * <p><b>Backup side: install.</b> A backup hands each entry of a valid message to {@link #install}, which
 * binds it as IPVS does (ip_vs_proc_conn): to the real server found by (daddr, dport, vaddr, vport, protocol,
 * fwmark) among this director's own services; it refuses an entry for a service or server it does not have.
 * A created or updated entry is marked as synced ({@link IpvsConn#F_SYNC}, origin SYNC in listings); its flags
 * are the message's flags masked with {@link IpvsConn#F_BACKUP_MASK}; an existing entry changes only the bits of
 * {@link IpvsConn#F_BACKUP_UPD_MASK} (and its active/inactive count with them); its state is the message's; its
 * timeout is the message's (0: the protocol's timeout for the state, 180 s for a template); its packet count
 * is set to the rule's threshold. A connection that points to another real server is expired and replaced if
 * the message is active, left alone if it is inactive (the expiry notice of the one already replaced).
 * Entries learnt this way are forwarded like any other once this director serves the address.
 *
 * <p><b>Resync: the snapshot.</b> {@link #snapshot} streams every entry, connections and templates, as a master
 * would send them (timeout = time left), so that a (re)joining backup gets the whole table.
 */
@ProviderType
public interface ConnectionSync {
    /** Attaches a master's feed, replacing the one attached before (if any). */
    void attach(SyncFeed feed);

    /** Detaches {@code feed} if it is the one attached (a later feed stays); the packet path stops offering. */
    void detach(SyncFeed feed);

    /**
     * Creates or updates the entry {@code e} describes. Validates everything (protocol, state below the
     * protocol's number of states, template state, ports, the service and the server); never throws for bad
     * field values. Does not keep {@code e}. Called from the backup's receive thread; does not allocate per call
     * for an entry that updates an existing one.
     */
    InstallResult install(SyncEntry e);

    /**
     * Passes every entry of the table (connections and templates) to {@code sink}, refilling {@code into} for
     * each. The sink is called without any of the table's locks held and may block (the resync writes to a
     * socket); entries added or removed meanwhile may or may not be seen. An exception thrown by the sink stops
     * the snapshot and reaches the caller.
     *
     * @return how many entries were passed
     */
    long snapshot(SyncEntry into, SyncEntrySink sink);

    /** Entries in the table now (connections and templates), for progress and lag reports. */
    long entries();
}
