package org.jlvs.pcap.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jlvs.api.spi.NativeLibraryMissing;
import org.jlvs.api.spi.PacketIo;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.pcap4j.core.PcapNativeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PacketIo over libpcap through pcap4j: one receive thread per opened interface. */
@Component(service = PacketIo.class)
public class PcapPacketIo implements PacketIo {
    private static final Logger LOG = LoggerFactory.getLogger(PcapPacketIo.class);

    /** The install command of the library on Debian and Ubuntu, named in the message when it is missing. */
    static final String INSTALL_HINT = "install it: apt-get install -y libpcap0.8";

    private final List<PcapChannel> open = new CopyOnWriteArrayList<>();
    /**
     * Why libpcap could not be loaded, once it could not: the JVM reports the loader's reason only the first
     * time (later a bare NoClassDefFoundError), so it is kept for the interfaces opened after the first.
     */
    private volatile String nativeFailure;

    @Override
    public Channel open(String interfaceName, String bpfFilter, FrameReceiver receiver) throws IOException {
        String failure = nativeFailure;
        if (failure != null) throw new IOException(failure);
        // pcap4j looks up classes and native code through the context class loader: inside OSGi that must be
        // this bundle's, or its ServiceLoader lookups find nothing.
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(PcapPacketIo.class.getClassLoader());
        try {
            PcapChannel channel = PcapChannel.open(interfaceName, bpfFilter, receiver, open::remove);
            open.add(channel);
            LOG.info("opened {} (mtu {}, filter '{}')", interfaceName, channel.mtu(), bpfFilter);
            return channel;
        } catch (PcapNativeException | RuntimeException e) {
            throw new IOException("cannot open " + interfaceName + ": " + e.getMessage(), e);
        } catch (LinkageError e) {
            // UnsatisfiedLinkError (no libpcap, or not a loadable one), then NoClassDefFoundError for pcap4j's
            // native mappings: no interface can be opened, and the director must still start
            failure = libpcapMissing(e);
            nativeFailure = failure;
            throw new IOException(failure, e);
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    /** "libpcap cannot be loaded: REASON - install it: ..." with the loader's own reason from the cause chain. */
    static String libpcapMissing(Throwable e) {
        return NativeLibraryMissing.reason("libpcap", e, INSTALL_HINT);
    }

    @Deactivate
    void close() {
        for (PcapChannel channel : open) {
            channel.close();
        }
    }
}
