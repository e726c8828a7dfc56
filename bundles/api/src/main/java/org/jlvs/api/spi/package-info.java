/**
 * What extension bundles implement, each registered as an OSGi service and tracked by the core as a
 * whiteboard: a {@link org.jlvs.api.spi.Scheduler} per scheduling rule, a {@link org.jlvs.api.spi.Forwarder}
 * per forwarding method, a {@link org.jlvs.api.spi.HealthChecker} per check type and a
 * {@link org.jlvs.api.spi.PacketIo} per way of capturing and injecting frames; and what the core hands them
 * ({@link org.jlvs.api.spi.VirtualService}, {@link org.jlvs.api.spi.RealServer}, {@link org.jlvs.api.spi.Flow},
 * {@link org.jlvs.api.spi.Frame}).
 *
 * <p>The interfaces that extensions implement are {@code @ConsumerType}: adding a method to one is a major
 * change of this package.
 */
@Export
@Version("1.3.0")
package org.jlvs.api.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
