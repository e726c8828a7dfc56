package org.jlvs.sync.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Test helpers: golden datagrams from the test resources, hex of buffers. */
final class Hex {
    private Hex() {}

    static byte[] golden(String name) {
        try (InputStream in = Hex.class.getResourceAsStream("/golden/ipvs_sync_" + name + ".udp_payload.hex")) {
            if (in == null) throw new IllegalArgumentException("no golden datagram " + name);
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String of(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return HexFormat.of().formatHex(out);
    }

    static String of(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
