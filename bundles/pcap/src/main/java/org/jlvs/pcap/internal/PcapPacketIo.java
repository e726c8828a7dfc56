package org.jlvs.pcap.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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

    private final List<PcapChannel> open = new CopyOnWriteArrayList<>();

    @Override
    public Channel open(String interfaceName, String bpfFilter, FrameReceiver receiver) throws IOException {
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
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    @Deactivate
    void deactivate() {
        for (PcapChannel channel : open) {
            channel.close();
        }
    }
}
