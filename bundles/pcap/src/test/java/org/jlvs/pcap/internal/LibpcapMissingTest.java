package org.jlvs.pcap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Without libpcap the reason and the install command reach the operator on one line. */
class LibpcapMissingTest {
    @Test
    void loaderReasonFromTheCauseChainOnOneLine() {
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("Unable to load library 'pcap':\n"
                + "libpcap.so: cannot open shared object file: No such file or directory\n"
                + "libpcap.so: cannot open shared object file: No such file or directory\n"
                + "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8: file too short\n"
                + "Native library (linux-x86-64/libpcap.so) not found in resource path (/opt/a.jar:/opt/b.jar)");
        NoClassDefFoundError later = new NoClassDefFoundError("Could not initialize class org.pcap4j.core.NativeMappings");
        later.initCause(new ExceptionInInitializerError(cause.getMessage()) {
            @Override
            public synchronized Throwable getCause() {
                return cause;
            }
        });
        String expected = "libpcap cannot be loaded: Unable to load library 'pcap': libpcap.so: cannot open shared"
                + " object file: No such file or directory; /usr/lib/x86_64-linux-gnu/libpcap.so.0.8: file too short"
                + " - install it: apt-get install -y libpcap0.8";
        assertEquals(expected, PcapPacketIo.libpcapMissing(cause));
        assertEquals(expected, PcapPacketIo.libpcapMissing(later));
    }

    @Test
    void anyOtherLinkageErrorIsNamed() {
        assertEquals("libpcap cannot be loaded: Could not initialize class X - install it: apt-get install -y libpcap0.8",
                PcapPacketIo.libpcapMissing(new NoClassDefFoundError("Could not initialize class X")));
    }
}
