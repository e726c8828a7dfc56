package org.jlvs.check.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

import org.jlvs.api.CheckConfig;

/**
 * An attempt over UDP: a connected datagram socket (so that the kernel reports ICMP port/host unreachable as an
 * error on it), one request sent, replies handed to {@link #received} until the attempt ends.
 */
public abstract class DatagramAttempt extends Attempt {
    protected DatagramChannel channel;
    private SelectionKey key;
    private final ByteBuffer in = ByteBuffer.allocate(65536);

    protected DatagramAttempt(Reactor reactor, CheckConfig config) {
        super(reactor, config);
    }

    /** The datagram to send. */
    protected abstract ByteBuffer request();

    /** A reply arrived ({@code reply} in read mode); end the attempt or wait for more. */
    protected abstract void received(ByteBuffer reply);

    @Override
    protected void begin() throws IOException {
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.configureBlocking(false);
        if (config.bindAddress() != 0 || config.bindPort() != 0) {
            channel.bind(new InetSocketAddress(TcpAttempt.inet(config.bindAddress()), config.bindPort()));
        }
        channel.connect(new InetSocketAddress(config.inetAddress(), config.port()));
        key = reactor.register(channel, SelectionKey.OP_READ, this);
        channel.write(request());
    }

    @Override
    public final void ready(SelectionKey k) {
        if (isDone()) return;
        try {
            while (!isDone()) {
                in.clear();
                int n = channel.read(in);
                if (n <= 0) return;
                in.flip();
                received(in);
            }
        } catch (PortUnreachableException e) {
            fail("port unreachable");
        } catch (IOException e) {
            fail(describe(e));
        }
    }

    @Override
    protected String timeoutMessage() {
        return "no reply within " + config.timeoutMillis() + " ms";
    }

    @Override
    protected void release() {
        if (key != null) key.cancel();
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
