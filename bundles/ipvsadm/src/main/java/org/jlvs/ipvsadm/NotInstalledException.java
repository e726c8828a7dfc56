package org.jlvs.ipvsadm;

import org.jlvs.api.LvsException;

/**
 * A configuration names a scheduler or forwarding method that is not installed now. Unlike a wrong value,
 * this can heal by itself (a feature is installed, or the bundles are still starting at boot), so a file
 * refused for this reason is retried.
 */
public class NotInstalledException extends LvsException {
    private static final long serialVersionUID = 1L;

    public NotInstalledException(String message) {
        super(message);
    }
}
