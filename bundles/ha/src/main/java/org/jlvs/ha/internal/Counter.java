package org.jlvs.ha.internal;

/**
 * The counters of an instance. The first ones carry the names the keepalived exporters publish (as
 * {@code keepalived_<name>_total}); the jlvs ones count what keepalived only logs.
 */
enum Counter {
    ADVERTISEMENTS_RECEIVED("advertisements_received"),
    ADVERTISEMENTS_SENT("advertisements_sent"),
    BECOME_MASTER("become_master"),
    RELEASE_MASTER("release_master"),
    PACKET_LENGTH_ERRORS("packet_length_errors"),
    /** Max Adver Int 0 (Master_Down would be the skew alone); VRRPv3 otherwise learns the master's interval. */
    ADVERTISEMENTS_INTERVAL_ERRORS("advertisements_interval_errors"),
    IP_TTL_ERRORS("ip_ttl_errors"),
    INVALID_TYPE_RECEIVED("invalid_type_received"),
    ADDRESS_LIST_ERRORS("address_list_errors"),
    PRIORITY_ZERO_RECEIVED("priority_zero_received"),
    PRIORITY_ZERO_SENT("priority_zero_sent"),
    GRATUITOUS_ARPS_SENT("gratuitous_arps_sent"),
    // jlvs's own
    /** An IPv6 instance's unsolicited Neighbour Advertisements (its gratuitous ARPs; keepalived only logs them). */
    NEIGHBOUR_ADVERTS_SENT("neighbour_adverts_sent"),
    CHECKSUM_ERRORS("checksum_errors"),
    VERSION_ERRORS("version_errors"),
    VRID_ERRORS("vrid_errors"),
    /** A bad IPv4 header (version, header checksum, fragment) under protocol 112. */
    IP_HEADER_ERRORS("ip_header_errors"),
    /** Valid adverts the VRRP thread had no room for (a flood faster than it drains). */
    RECEIVE_OVERFLOW("receive_overflow"),
    SEND_FAILURES("send_failures"),
    /** Preemptions held for the director's {@link org.jlvs.api.ha.PreemptCondition} (its full resync). */
    PREEMPT_HOLDS("preempt_holds"),
    /** How long those holds lasted in all, in milliseconds. */
    PREEMPT_HOLD_MILLIS("preempt_hold_millis");

    final String key;

    Counter(String key) {
        this.key = key;
    }
}
