package org.jlvs.api.config;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** What became of each service configuration (file): for lvs:config-status and the tests. Offered by jlvs-config. */
@ProviderType
public interface ConfigStatus {
    /** APPLIED: running as written; REJECTED: refused, see reason; PENDING: waits for a scheduler or forwarder. */
    enum State { APPLIED, REJECTED, PENDING }

    /**
     * One configuration.
     *
     * @param source  "etc/org.jlvs.service-web.cfg" (relative to the Karaf home when inside it), or the PID
     * @param service the service it names, or null when even that does not parse
     * @param reason  why it is rejected or pending (with the key or line); null when applied
     */
    record Entry(String source, String pid, String service, State state, String reason) {}

    /** Every configuration, by source, once the changes already received are processed. */
    List<Entry> entries();
}
