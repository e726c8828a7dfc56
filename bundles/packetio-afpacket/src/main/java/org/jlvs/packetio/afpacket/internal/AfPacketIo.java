package org.jlvs.packetio.afpacket.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jlvs.api.spi.PacketIo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PacketIo on Linux AF_PACKET sockets with a memory-mapped receive ring per interface (PID
 * {@code org.jlvs.packetio.afpacket}, optional: tpacket_version, block_timeout_ms, ring_kib, qdisc_bypass).
 * Settings apply to channels opened after a change (the core opens its interfaces when it starts).
 */
@Component(service = PacketIo.class, configurationPid = AfPacketSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class AfPacketIo implements PacketIo {
    private static final Logger LOG = LoggerFactory.getLogger(AfPacketIo.class);

    private final List<AfPacketChannel> open = new CopyOnWriteArrayList<>();
    private volatile AfPacketSettings settings;

    @Activate
    public AfPacketIo(Map<String, Object> properties) {
        settings = AfPacketSettings.of(properties);
    }

    @Override
    public Channel open(String interfaceName, String bpfFilter, FrameReceiver receiver) throws IOException {
        try {
            AfPacketChannel channel = AfPacketChannel.open(interfaceName, bpfFilter, receiver, settings, open::remove);
            open.add(channel);
            LOG.info("opened {} on AF_PACKET ({}, filter '{}')", interfaceName, channel.describe(), bpfFilter);
            return channel;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new IOException("cannot open " + interfaceName + ": " + e, e);
        }
    }

    /** A changed configuration applies to the channels opened from now on (bundle:restart org.jlvs.core). */
    @Modified
    void modified(Map<String, Object> properties) {
        settings = AfPacketSettings.of(properties);
        LOG.info("settings changed; they apply to interfaces opened from now on");
    }

    @Deactivate
    void close() {
        for (AfPacketChannel channel : open) {
            channel.close();
        }
    }
}
