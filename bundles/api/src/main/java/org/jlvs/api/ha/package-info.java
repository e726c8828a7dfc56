/**
 * Director failover: which director holds which virtual addresses now.
 *
 * <p>{@link org.jlvs.api.ha.DirectorRole} is offered by the {@code ha} bundle (VRRP version 3, RFC 5798) and
 * read by the packet path, the sync daemons and the shell. Its one rule for the data plane: an address that a
 * VRRP instance manages is answered for (ARP, ICMP echo) and accepted (frames to it forwarded) only while that
 * instance is {@link org.jlvs.api.ha.DirectorRole.State#MASTER}; an address no instance manages is not the
 * role's business and is always served. Without the service (the bundle not installed) every address is
 * served, as before failover existed. An instance is IPv4 or IPv6 by its addresses (keepalived's rule);
 * {@link org.jlvs.api.ha.DirectorRole#mayServe6} is the IPv6 form of the check (1.1).
 */
@Export
@Version("1.1.0")
package org.jlvs.api.ha;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
