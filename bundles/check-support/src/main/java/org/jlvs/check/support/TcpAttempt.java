package org.jlvs.check.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import org.jlvs.api.CheckConfig;

/** An attempt over a TCP connection: non-blocking connect within the timeout, then {@link #connected()}. */
public abstract class TcpAttempt extends Attempt {
    protected SocketChannel channel;
    protected SelectionKey key;
    private boolean isConnected;

    protected TcpAttempt(Reactor reactor, CheckConfig config) {
        super(reactor, config);
    }

    @Override
    protected void begin() throws IOException {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (config.bindAddress() != 0 || config.bindPort() != 0) {
            channel.bind(new InetSocketAddress(inet(config.bindAddress()), config.bindPort()));
        }
        boolean now = channel.connect(new InetSocketAddress(config.inetAddress(), config.port()));
        key = reactor.register(channel, now ? 0 : SelectionKey.OP_CONNECT, this);
        if (now) onConnect();
    }

    @Override
    public final void ready(SelectionKey k) {
        if (isDone()) return;
        try {
            if (!isConnected) {
                if (k.isConnectable() && channel.finishConnect()) onConnect();
                return;
            }
            io(k);
        } catch (IOException e) {
            fail(describe(e));
        }
    }

    private void onConnect() throws IOException {
        isConnected = true;
        connected();
    }

    @Override
    protected String timeoutMessage() {
        return isConnected ? "no answer within " + config.timeoutMillis() + " ms" : "connect timeout";
    }

    /** The connection is up (reactor thread). */
    protected abstract void connected() throws IOException;

    /** Readiness after the connection is up. */
    protected void io(SelectionKey k) throws IOException {}

    protected final void interest(int ops) {
        if (key.isValid()) key.interestOps(ops);
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

    /** The address as an InetAddress without a name lookup. */
    public static InetAddress inet(int address) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (address >>> 24), (byte) (address >>> 16),
                    (byte) (address >>> 8), (byte) address});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always a valid address
        }
    }
}
