/** ipvsadm's listing layouts and option parsing, used by the commands and (for now) by the config bundle. */
@Export
@Version("0.1.0")
package org.jlvs.shell.format;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
