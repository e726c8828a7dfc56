package org.jlvs.api;

import java.util.function.Predicate;

import org.osgi.annotation.versioning.ProviderType;

/** The connection entries of the data path. */
@ProviderType
public interface ConnectionTable {
    /** Number of entries (connections and templates). */
    long size();

    /**
     * Streams up to {@code limit} entries that match {@code filter} to {@code sink}, without building the whole
     * list. Returns how many were passed.
     */
    long forEach(Predicate<ConnectionInfo> filter, long limit, java.util.function.Consumer<ConnectionInfo> sink);

    /** TCP ESTABLISHED, TCP FIN_WAIT and UDP timeouts in seconds (ipvsadm --set). */
    int[] timeouts();

    /** Sets them; 0 keeps a value. */
    void setTimeouts(int tcp, int tcpFin, int udp);
}
