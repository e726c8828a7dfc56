/**
 * The model of a director (virtual services, real servers, their counters, connections, health) and the
 * services that the core and the health monitor offer to the shell, the configuration and the other readers:
 * {@link org.jlvs.api.VirtualServerTable}, {@link org.jlvs.api.ConnectionTable},
 * {@link org.jlvs.api.HealthMonitor}. What extension bundles implement (schedulers, forwarders, checkers,
 * packet I/O) is in {@link org.jlvs.api.spi}.
 *
 * <p>Semantic versioning: the interfaces marked {@code @ProviderType} are implemented by jlvs's own bundles
 * (a new method is a minor change), those marked {@code @ConsumerType} by their users (a new method is a major
 * change). The build compares this package with the released baseline (bnd baselining) and fails when the
 * version below does not match the change.
 */
@Export
@Version("1.2.0")
package org.jlvs.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
