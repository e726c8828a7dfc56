package org.jlvs.ha.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLongArray;

import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.spi.PacketIo;
import org.jlvs.packet.Arp;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Ndp;
import org.jlvs.packet.Vrrp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of the instances: link states from /sys/class/net, the interface's first IPv4 address as the
 * adverts' source, and a PacketIo channel per instance with a kernel filter for VRRP from others. For multicast
 * the host also joins 224.0.0.18 on the interface (a UDP socket's membership), so that a NIC that filters
 * multicast by address passes the adverts up to the capture. An IPv6 instance sends from the interface's
 * link-local address, filters {@code ip6 proto 112} and joins ff02::12 the same way.
 */
final class HostNetwork implements Network {
    private static final Logger LOG = LoggerFactory.getLogger(HostNetwork.class);
    private final PacketIo packetIo;
    private final Path sysClassNet;

    HostNetwork(PacketIo packetIo, Path sysClassNet) {
        this.packetIo = packetIo;
        this.sysClassNet = sysClassNet;
    }

    @Override
    public boolean linkUp(String interfaceName) {
        try {
            String state = Files.readString(sysClassNet.resolve(interfaceName).resolve("operstate")).trim();
            return state.equals("up") || state.equals("unknown"); // "unknown": links without carrier (dummy, tun)
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public Binding bind(VrrpInstance instance, Counters counters, Runnable wakeup) throws IOException {
        InstanceConfig c = instance.config;
        if (c.ipv6()) return bind6(instance, counters, wakeup);
        int source = c.sourceAddress() != 0 ? c.sourceAddress() : primaryAddress(c.interfaceName());
        AtomicLongArray peerMacs = new AtomicLongArray(c.unicastPeers().length);
        for (int i = 0; i < peerMacs.length(); i++) peerMacs.set(i, Ethernet.BROADCAST);
        AdvertFilter filter = new AdvertFilter(c, source, counters, instance.ring, wakeup, peerMacs, System::nanoTime);
        // Our own adverts come back through the capture: the kernel filter leaves them out.
        String bpf = "ip proto " + Vrrp.PROTO_VRRP + " and not src host " + Ip4.toString(source);
        long mac = Ethernet.mac(macAddress(c.interfaceName())); // before the channel opens: nothing to close
        PacketIo.Channel channel = packetIo.open(c.interfaceName(), bpf, filter);
        DatagramChannel membership = null;
        if (!c.unicast()) {
            try {
                membership = DatagramChannel.open(StandardProtocolFamily.INET);
                membership.join(InetAddress.getByAddress(Ip4Bytes.of(Vrrp.GROUP)), NetworkInterface.getByName(c.interfaceName()));
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot join 224.0.0.18 on {} (adverts may be filtered by the NIC): {}", c.interfaceName(),
                        e.toString());
            }
        }
        AdvertFrames frames = new AdvertFrames(c, source, mac);
        return new ChannelWire(channel, membership, frames, c.unicastPeers(), peerMacs, source);
    }

    private Binding bind6(VrrpInstance instance, Counters counters, Runnable wakeup) throws IOException {
        InstanceConfig c = instance.config;
        Ip6Address source = c.sourceAddress6() != null ? c.sourceAddress6() : linkLocalAddress(c.interfaceName());
        AdvertFilter6 filter = new AdvertFilter6(c, source.hi(), source.lo(), counters, instance.ring, wakeup,
                System::nanoTime);
        String bpf = "ip6 proto " + Vrrp.PROTO_VRRP + " and not src host " + source;
        long mac = Ethernet.mac(macAddress(c.interfaceName()));
        PacketIo.Channel channel = packetIo.open(c.interfaceName(), bpf, filter);
        DatagramChannel membership = null;
        try {
            membership = DatagramChannel.open(StandardProtocolFamily.INET6);
            membership.join(InetAddress.getByName("ff02::12"), NetworkInterface.getByName(c.interfaceName()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot join ff02::12 on {} (adverts may be filtered by the NIC): {}", c.interfaceName(), e.toString());
        }
        return new ChannelWire6(channel, membership, new AdvertFrames6(c, source.hi(), source.lo(), mac), source);
    }

    /** The interface's link-local IPv6 address (RFC 5798 §5.1.2.2: the adverts' source). */
    static Ip6Address linkLocalAddress(String interfaceName) throws IOException {
        NetworkInterface nif = NetworkInterface.getByName(interfaceName);
        if (nif == null) throw new IOException("no interface " + interfaceName);
        for (InterfaceAddress a : nif.getInterfaceAddresses()) {
            if (a.getAddress() instanceof Inet6Address v6 && v6.isLinkLocalAddress()) {
                byte[] b = v6.getAddress();
                return new Ip6Address(Ip4Bytes.long64(b, 0), Ip4Bytes.long64(b, 8));
            }
        }
        throw new IOException(interfaceName + " has no IPv6 link-local address (set mcast_src_ip)");
    }

    /** The interface's MAC address, as the core reads it (PacketIo channels do not report one). */
    static byte[] macAddress(String interfaceName) throws IOException {
        NetworkInterface nif = NetworkInterface.getByName(interfaceName);
        byte[] mac = nif == null ? null : nif.getHardwareAddress();
        if (mac == null || mac.length != 6) throw new IOException(interfaceName + " has no MAC address");
        return mac;
    }

    static int primaryAddress(String interfaceName) throws IOException {
        NetworkInterface nif = NetworkInterface.getByName(interfaceName);
        if (nif == null) throw new IOException("no interface " + interfaceName);
        for (InterfaceAddress a : nif.getInterfaceAddresses()) {
            if (a.getAddress() instanceof Inet4Address v4) return Ip4Bytes.toInt(v4.getAddress());
        }
        throw new IOException(interfaceName + " has no IPv4 address (set unicast_src_ip or mcast_src_ip)");
    }

    /** Frames of one instance on its channel, sent from the VRRP thread. */
    static final class ChannelWire implements Binding {
        private final PacketIo.Channel channel;
        private final DatagramChannel membership;
        private final AdvertFrames frames;
        private final int[] peers;
        private final AtomicLongArray peerMacs;
        private final int source;

        ChannelWire(PacketIo.Channel channel, DatagramChannel membership, AdvertFrames frames, int[] peers,
                    AtomicLongArray peerMacs, int source) {
            this.channel = channel;
            this.membership = membership;
            this.frames = frames;
            this.peers = peers;
            this.peerMacs = peerMacs;
            this.source = source;
        }

        @Override
        public int source() {
            return source;
        }

        @Override
        public boolean sendAdvert(int priority) {
            frames.nextId();
            if (peers.length == 0) {
                frames.prepare(priority, Vrrp.GROUP, Vrrp.GROUP_MAC);
                return channel.send(frames.advert(), 0, frames.advertLength());
            }
            boolean all = true;
            for (int i = 0; i < peers.length; i++) {
                // until the peer's MAC is learnt from its adverts: link-layer broadcast (Linux accepts it)
                frames.prepare(priority, peers[i], peerMacs.get(i));
                all &= channel.send(frames.advert(), 0, frames.advertLength());
            }
            return all;
        }

        @Override
        public int sendGarps(int rounds) {
            int sent = 0;
            byte[] garps = frames.garps();
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < frames.garpCount(); i++) {
                    if (channel.send(garps, i * Arp.FRAME_LENGTH, Arp.FRAME_LENGTH)) sent++;
                }
            }
            return sent;
        }

        @Override
        public void close() {
            channel.close();
            closeQuietly(membership);
        }
    }

    /** An IPv6 instance's frames on its channel, sent from the VRRP thread (multicast only). */
    static final class ChannelWire6 implements Binding {
        private final PacketIo.Channel channel;
        private final DatagramChannel membership;
        private final AdvertFrames6 frames;
        private final Ip6Address source;

        ChannelWire6(PacketIo.Channel channel, DatagramChannel membership, AdvertFrames6 frames, Ip6Address source) {
            this.channel = channel;
            this.membership = membership;
            this.frames = frames;
            this.source = source;
        }

        @Override
        public int source() {
            return 0;
        }

        @Override
        public long sourceHi() {
            return source.hi();
        }

        @Override
        public long sourceLo() {
            return source.lo();
        }

        @Override
        public boolean sendAdvert(int priority) {
            frames.prepare(priority);
            return channel.send(frames.advert(), 0, frames.advertLength());
        }

        @Override
        public int sendGarps(int rounds) {
            int sent = 0;
            byte[] nas = frames.neighbourAdverts();
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < frames.neighbourAdvertCount(); i++) {
                    if (channel.send(nas, i * Ndp.ADVERTISEMENT_FRAME_LENGTH, Ndp.ADVERTISEMENT_FRAME_LENGTH)) sent++;
                }
            }
            return sent;
        }

        @Override
        public void close() {
            channel.close();
            closeQuietly(membership);
        }
    }

    static void closeQuietly(DatagramChannel membership) {
        if (membership == null) return;
        try {
            membership.close();
        } catch (IOException e) {
            // nothing held
        }
    }

    /** IPv4 as int and as 4 bytes. */
    static final class Ip4Bytes {
        private Ip4Bytes() {}

        static byte[] of(int address) {
            return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        }

        static long long64(byte[] b, int off) {
            long v = 0;
            for (int i = 0; i < 8; i++) v = v << 8 | (b[off + i] & 0xff);
            return v;
        }

        static int toInt(byte[] b) {
            return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        }
    }
}
