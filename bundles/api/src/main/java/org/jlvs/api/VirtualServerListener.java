package org.jlvs.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told after the virtual-server configuration changed (whiteboard: register an implementation as an OSGi
 * service; the {@link VirtualServerTable} calls every one of them). The config bundle uses it to persist what
 * the shell changed.
 *
 * <p>The notification carries no state on purpose: read the service's current state with
 * {@link VirtualServerTable#get}. Notifications can then arrive late or twice without harm, and the last
 * one always sees the last state.
 */
@ConsumerType
public interface VirtualServerListener {
    /**
     * The configuration of a service changed: it was added, edited or deleted, or one of its real servers was
     * added, edited or deleted ({@link VirtualServerTable#get} returns null once it is deleted). A null
     * {@code key} means that any service may have changed (ipvsadm -C cleared them all). Counters
     * ({@link VirtualServerTable#zero}) are not configuration and are not notified.
     *
     * <p>Called on the thread that made the change, after it was applied and outside the table's lock. Must
     * return quickly: hand longer work (file writes) to a thread of your own.
     */
    void changed(ServiceKey key);
}
