package org.jlvs.sync.internal;

import java.nio.charset.StandardCharsets;

/**
 * The resync stream over TCP, jlvs to jlvs (IPVS peers never see it):
 * <pre>
 * backup → master: "JLVSRSYN" | version = 1 | syncid | 0 | 0                 (12 bytes)
 * master → backup: frames: length (2) | a v1 sync datagram of that length     (entries as the master sends them)
 *                  end:    0 (2) | entries in the stream (8)
 * </pre>
 * Every frame is checked by the backup exactly as a multicast datagram is. The master closes after the end
 * mark; a frame that is not a valid datagram, or a stream that ends without the mark, fails the resync.
 */
final class ResyncProtocol {
    private ResyncProtocol() {}

    static final byte[] MAGIC = "JLVSRSYN".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HELLO_LENGTH = 12;
    /** The largest frame a master writes: 255 entries with sequence data fit. */
    static final int FRAME_MAX = 16384;
}
