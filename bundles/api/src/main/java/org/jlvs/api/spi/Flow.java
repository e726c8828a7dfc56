package org.jlvs.api.spi;

import org.jlvs.api.Protocol;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The new flow a scheduler places: the first packet's addresses. The object is reused by the data path
 * for the next flow, so a scheduler must not keep it. For an IPv6 flow ({@link #ipv6()}) the int addresses
 * are the IPv6 addresses folded as IPVS folds them for its hashes ({@link org.jlvs.api.Ip6Address#fold}), so
 * that sh, dh, lblc and lblcr hash IPv6 flows as the kernel does; the whole addresses are in the hi/lo halves.
 */
@ProviderType
public interface Flow {
    Protocol protocol();

    int clientAddress();

    int clientPort();

    int virtualAddress();

    int virtualPort();

    /** Whether this is an IPv6 flow. */
    default boolean ipv6() {
        return false;
    }

    /** The first 8 bytes of an IPv6 flow's client address (big-endian), 0 for IPv4. */
    default long clientAddressHi() {
        return 0;
    }

    /** The last 8 bytes of an IPv6 flow's client address (big-endian), 0 for IPv4. */
    default long clientAddressLo() {
        return 0;
    }

    /** The first 8 bytes of an IPv6 flow's virtual address (big-endian), 0 for IPv4. */
    default long virtualAddressHi() {
        return 0;
    }

    /** The last 8 bytes of an IPv6 flow's virtual address (big-endian), 0 for IPv4. */
    default long virtualAddressLo() {
        return 0;
    }
}
