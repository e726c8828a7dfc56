/**
 * Zero-allocation views and writers over raw Ethernet frames, for the director's data path.
 *
 * <h2>Model</h2>
 * Every class is a set of static methods over {@code (byte[] buf, int offset)}: no object per packet, no
 * state, no locks. Fields are big-endian. IPv4 addresses are ints (as {@code org.jlvs.api.Ip4} holds them,
 * though this bundle does not depend on the api), MAC addresses are longs holding 48 bits.
 * Offsets are those of the header a class is named after: {@link org.jlvs.packet.Ethernet} takes the frame
 * start, {@link org.jlvs.packet.Ipv4}, {@link org.jlvs.packet.Checksums}' packet methods,
 * {@link org.jlvs.packet.Nat} and the ICMP builders the IP header start, {@link org.jlvs.packet.Tcp},
 * {@link org.jlvs.packet.Udp} and the {@link org.jlvs.packet.Icmp} accessors the transport header start,
 * {@link org.jlvs.packet.Arp} the ARP message (after Ethernet).
 *
 * <h2>Order of use on receive</h2>
 * <ol>
 *   <li>{@link org.jlvs.packet.FrameCheck#checkIpv4} (or {@code checkEthernetIpv4}, {@code checkArp}) first:
 *   the accessors do no bounds checks of their own beyond the JVM's, so they are only safe on checked
 *   packets. The checks never throw.</li>
 *   <li>If {@link org.jlvs.packet.Checksums#l4ChecksumPartial} (frames from a veth whose sender has TX checksum
 *   offload on carry Linux's CHECKSUM_PARTIAL value, the folded pseudo-header sum), call
 *   {@link org.jlvs.packet.Checksums#completeL4Checksum} before any incremental update.</li>
 *   <li>Rewrite in place with {@link org.jlvs.packet.Nat} (incremental RFC 1624 updates of both checksums), or
 *   answer with {@link org.jlvs.packet.Icmp#toEchoReply}, {@link org.jlvs.packet.Icmp#writeDestUnreachable},
 *   {@link org.jlvs.packet.Arp#toReplyFrame}.</li>
 * </ol>
 *
 * <h2>IPv6</h2>
 * Addresses are two longs, hi and lo (see {@link org.jlvs.packet.Ipv6} for why). On receive,
 * {@link org.jlvs.packet.FrameCheck6#inspectEthernetIpv6} (or {@code inspectIpv6}) checks the frame and walks its
 * extension headers ({@link org.jlvs.packet.Ipv6Headers}) in one pass, returning the walk packed in a long: the
 * reason, the upper-layer protocol and offset, the Fragment header, which headers were seen. The accessors,
 * {@link org.jlvs.packet.Checksums6}, {@link org.jlvs.packet.Icmpv6} and {@link org.jlvs.packet.Ndp} take
 * that walk or the offsets it gives. Fragments are reported (reason FRAGMENT), never reassembled.
 *
 * <h2>Checksum vocabulary</h2>
 * A <em>sum</em> is an unfolded one's-complement accumulator; {@code fold} reduces it to 16 bits without
 * complementing; {@code finish} folds and complements into the value stored in a header.
 *
 * <p>The unit tests use frames captured on a veth pair with TX checksum offload on and off; the script that
 * captured them is {@code src/test/capture/capture-frames.sh}.
 */
@Export
@Version("1.1.0")
package org.jlvs.packet;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
