package org.jlvs.api;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The health monitor: runs the checks of real servers on a schedule and applies the results to the
 * {@link VirtualServerTable} (removal, or weight 0 with inhibit_on_failure; quorum and sorry server), as
 * keepalived does. State changes are posted on OSGi EventAdmin under the topics below, with the properties
 * {@code service} ("TCP 10.0.0.1:80"), {@code address}, {@code port}, {@code state}, {@code reason}.
 */
@ProviderType
public interface HealthMonitor extends HealthStatus {
    String TOPIC_UP = "org/jlvs/realserver/UP";
    String TOPIC_DOWN = "org/jlvs/realserver/DOWN";
    /** A check asked for another weight (misc_dynamic). */
    String TOPIC_WEIGHT = "org/jlvs/realserver/WEIGHT";
    String TOPIC_QUORUM_LOST = "org/jlvs/service/QUORUM_LOST";
    String TOPIC_QUORUM_GAINED = "org/jlvs/service/QUORUM_GAINED";

    /** Adds a check to a real server that is in the table; refuses a duplicate type or a missing checker. */
    void addCheck(CheckSpec spec);

    /**
     * Removes the checks of a real server (all of them when {@code type} is null). A server the monitor had
     * taken out is put back as configured. Returns how many were removed.
     */
    int removeChecks(ServiceKey service, int address, int port, String type);

    /** The checks of one service, or of all when {@code service} is null, in service then server order. */
    List<CheckStatus> checks(ServiceKey service);

    /** Sets a service's quorum, hysteresis and sorry server (lvs:edit-service --quorum ...). */
    void setQuorum(ServiceKey service, QuorumConfig config);

    /** The quorum settings of a service (the defaults when never set). */
    QuorumConfig quorum(ServiceKey service);

    /** The check types whose checkers are installed now. */
    Set<String> checkerTypes();
}
