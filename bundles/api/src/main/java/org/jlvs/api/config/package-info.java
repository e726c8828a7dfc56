/**
 * What the configuration bundles offer to the console: what became of each service configuration
 * ({@link org.jlvs.api.config.ConfigStatus}) and save/restore ({@link org.jlvs.api.config.ConfigArchive}), both
 * from jlvs-config, and the keepalived import ({@link org.jlvs.api.config.KeepalivedImporter}) from
 * jlvs-import-keepalived. The shell reaches them as optional services, so that each bundle may be absent.
 */
@Export
@Version("1.0.0")
package org.jlvs.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

