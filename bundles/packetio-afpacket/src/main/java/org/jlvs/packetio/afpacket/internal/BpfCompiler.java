package org.jlvs.packetio.afpacket.internal;

import java.io.IOException;

import org.jlvs.api.spi.NativeLibraryMissing;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Compiles a filter in libpcap's syntax into classic BPF for {@code SO_ATTACH_FILTER}, with libpcap's own
 * compiler on a dead handle ({@code pcap_open_dead}): the users of PacketIo (the core, VRRP) pass libpcap
 * filter strings, and one compiler keeps both PacketIos filtering exactly alike. Called once per channel, not on
 * the packet path.
 */
final class BpfCompiler {
    private static final int DLT_EN10MB = 1;
    private static final int SNAPLEN = 65535;
    private static final int PCAP_NETMASK_UNKNOWN = 0xffffffff;
    private static final int INSN_SIZE = 8;

    interface Pcap extends Library {
        Pointer pcap_open_dead(int linktype, int snaplen);

        int pcap_compile(Pointer pcap, Pointer program, String filter, int optimize, int netmask);

        void pcap_freecode(Pointer program);

        String pcap_geterr(Pointer pcap);

        void pcap_close(Pointer pcap);
    }

    private static volatile Pcap pcap;

    private BpfCompiler() {
    }

    /** The filter's instructions as {@code struct sock_filter[]} (8 bytes each, native order). */
    static Memory compile(String filter) throws IOException {
        Pcap lib = library();
        Pointer handle = lib.pcap_open_dead(DLT_EN10MB, SNAPLEN);
        if (handle == null) throw new IOException("pcap_open_dead failed");
        Memory program = new Memory(16); // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }
        program.clear();
        try {
            if (lib.pcap_compile(handle, program, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
                throw new IOException("filter '" + filter + "': " + lib.pcap_geterr(handle));
            }
            int count = program.getInt(0);
            Memory insns = new Memory((long) count * INSN_SIZE);
            insns.write(0, program.getPointer(8).getByteArray(0, count * INSN_SIZE), 0, count * INSN_SIZE);
            lib.pcap_freecode(program);
            return insns;
        } finally {
            lib.pcap_close(handle);
        }
    }

    private static Pcap library() throws IOException {
        Pcap lib = pcap;
        if (lib != null) return lib;
        try {
            lib = Native.load("pcap", Pcap.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException(NativeLibraryMissing.reason("libpcap", e,
                    "install it: apt-get install -y libpcap0.8 (the AF_PACKET PacketIo compiles its kernel filter with it)"), e);
        }
        pcap = lib;
        return lib;
    }
}
