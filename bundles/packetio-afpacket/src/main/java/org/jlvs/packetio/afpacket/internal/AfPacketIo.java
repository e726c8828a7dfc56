package org.jlvs.packetio.afpacket.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jlvs.api.spi.PacketIo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PacketIo on Linux AF_PACKET sockets with a memory-mapped receive ring per interface (PID
 * {@code org.jlvs.packetio.afpacket}, optional). Settings apply to channels opened after a change (the core
 * opens its interfaces when it starts); a bad value is refused with a logged reason and the one in use stays.
 */
@Component(service = PacketIo.class, configurationPid = AfPacketSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AfPacketIo.Config.class)
public class AfPacketIo implements PacketIo {
    private static final Logger LOG = LoggerFactory.getLogger(AfPacketIo.class);

    /** Strings, checked by {@link AfPacketSettings}: a bad value must be refused, not fail the activation. */
    @ObjectClassDefinition(name = "jlvs AF_PACKET packet I/O",
            description = "The receive ring and send path of each interface the director opens on AF_PACKET."
                    + " Applies to interfaces opened after a change (bundle:restart org.jlvs.core).")
    public @interface Config {
        @AttributeDefinition(name = "TPACKET version",
                description = "2: each frame is handed over and woken for at once (lowest latency). 3: frames in"
                        + " blocks, handed over when a block is full or after the block timeout.")
        String tpacket__version() default "2";

        @AttributeDefinition(name = "Block timeout (ms)",
                description = "TPACKET_V3 only: how long a block waits for more frames, 1..1000.")
        String block__timeout__ms() default "1";

        @AttributeDefinition(name = "Receive ring (KiB)",
                description = "The receive ring's size per interface, 512..262144 KiB.")
        String ring__kib() default "4096";

        @AttributeDefinition(name = "Bypass the queueing discipline",
                description = "true: frames are sent past the interface's qdisc (PACKET_QDISC_BYPASS), and so"
                        + " past the host's other packet taps. false: through the qdisc.")
        String qdisc__bypass() default "true";

        @AttributeDefinition(name = "Receive threads per interface",
                description = "1..16. Above 1: as many receive sockets in one PACKET_FANOUT group, the flows"
                        + " spread over them by hash, each read by its own thread. Worth it only with a core free"
                        + " for each thread.")
        String fanout__threads() default "1";
    }

    private final List<AfPacketChannel> open = new CopyOnWriteArrayList<>();
    private volatile AfPacketSettings settings;

    @Activate
    public AfPacketIo(Config config) {
        settings = AfPacketSettings.of(config, AfPacketSettings.DEFAULTS, LOG::warn);
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
    void modified(Config config) {
        settings = AfPacketSettings.of(config, settings, LOG::warn);
        LOG.info("settings changed; they apply to interfaces opened from now on");
    }

    @Deactivate
    void close() {
        for (AfPacketChannel channel : open) {
            channel.close();
        }
    }
}
