/**
 * The contract between the core and connection synchronisation (IPVS's sync daemon and jlvs's full resync).
 *
 * <p>Two sides:
 * <ul>
 *   <li>{@link org.jlvs.api.sync.ConnectionSync}, offered by the core: the master's feed of connection changes
 *       (a {@link org.jlvs.api.sync.SyncRule} that the packet path applies per packet and a bounded
 *       {@link org.jlvs.api.sync.SyncQueue} it writes to without locks or allocation), the backup's
 *       {@link org.jlvs.api.sync.ConnectionSync#install install} of a learnt entry, and a snapshot of the whole
 *       table for the resync.</li>
 *   <li>{@link org.jlvs.api.sync.SyncDaemon}, offered by the sync bundle: start and stop the master and backup
 *       daemons, their settings, state and counters, for the shell and the metrics.</li>
 * </ul>
 * Entries cross the contract as a reused {@link org.jlvs.api.sync.SyncEntry} (primitive fields, one object per
 * thread), so neither side allocates per entry. The IPVS connection flag and state numbers are in
 * {@link org.jlvs.api.sync.IpvsConn}.
 */
@Export
@Version("1.0.0")
package org.jlvs.api.sync;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
