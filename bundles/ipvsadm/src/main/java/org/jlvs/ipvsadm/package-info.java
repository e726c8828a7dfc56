/**
 * ipvsadm, as a library for the shell, the configuration, the keepalived import and the metrics endpoint:
 * its command line ({@link org.jlvs.ipvsadm.IpvsadmArgs}, {@link org.jlvs.ipvsadm.IpvsadmOptions}), run against
 * the table ({@link org.jlvs.ipvsadm.Ipvsadm}), its rules text of -S and -R ({@link org.jlvs.ipvsadm.IpvsadmRules}),
 * its listing layouts ({@link org.jlvs.ipvsadm.IpvsadmFormat}), the one writer of the listing JSON
 * ({@link org.jlvs.ipvsadm.ListJson}), and the change of a table into a target set of services that touches only
 * what differs ({@link org.jlvs.ipvsadm.TableUpdate}). Plain Java on the api: no Declarative Services, no JSON
 * library, no Karaf shell.
 */
@Export
@Version("1.1.0")
package org.jlvs.ipvsadm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

