package org.jlvs.api.sync;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives entries one by one in a reused {@link SyncEntry}; reads it during the call, keeps no reference. */
@ConsumerType
@FunctionalInterface
public interface SyncEntrySink {
    void accept(SyncEntry entry);
}
