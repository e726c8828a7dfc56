package org.jlvs.api;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The virtual services and their real servers, with ipvsadm's semantics. Every method either applies the
 * whole change or throws {@link LvsException} (or IllegalArgumentException) and changes nothing.
 */
@ProviderType
public interface VirtualServerTable {
    void addService(ServiceConfig config);

    /** Changes scheduler, flags or persistence; established connections keep their real servers. */
    void editService(ServiceConfig config);

    void deleteService(ServiceKey key);

    /** Removes every virtual service (ipvsadm -C). */
    void clear();

    void addServer(ServiceKey service, ServerConfig server);

    void editServer(ServiceKey service, ServerConfig server);

    void deleteServer(ServiceKey service, int address, int port);

    /** Removes an IPv6 real server of an IPv6 service. */
    default void deleteServer(ServiceKey service, Ip6Address address, int port) {
        throw new LvsException("this virtual-server table has no IPv6 services");
    }

    /** All services sorted as ipvsadm sorts them, with counters. */
    List<ServiceInfo> list();

    /** One service, or null. */
    ServiceInfo get(ServiceKey key);

    /** Zeroes the counters of one service, or of all when {@code key} is null (ipvsadm -Z). */
    void zero(ServiceKey key);

    /**
     * Replaces the mark classifier's rules ({@link MarkRule}) as a whole: every new flow is classified by
     * them first, and a flow that gets a mark with a mark service ({@link ServiceKey#fwmark}) goes to that
     * service, as IPVS looks a packet's fwmark up before its address. The director owns (answers ARP and
     * ping for) every address a rule of an existing mark service covers. Refused, changing nothing, when two
     * rules of different marks overlap or there are more than {@link #MAX_MARK_RULES}. A table without a
     * classifier refuses every set of rules.
     */
    default void setMarkRules(List<MarkRule> rules) {
        throw new LvsException("this virtual-server table has no mark classifier");
    }

    /** The mark rules in force, in the order they were given. */
    default List<MarkRule> markRules() {
        return List.of();
    }

    /** How many mark rules the classifier holds at most. */
    int MAX_MARK_RULES = 4096;

    /** Names of the schedulers installed now. */
    Set<String> schedulers();

    /** Forwarding methods installed now. */
    Set<ForwardMethod> forwardMethods();

    /** The counters of the packet path: frames seen, dropped and why. Name → value, in a stable order. */
    java.util.Map<String, Long> dataPathCounters();

    /**
     * The interfaces the packet path was asked to use and does not, each with the reason (libpcap cannot be
     * loaded, no such interface, no permission to capture), in the order they were tried; empty while every
     * one is in use. The tables and commands work either way: only the packets are not seen.
     */
    default java.util.Map<String, String> dataPathDown() {
        return java.util.Map.of();
    }
}
