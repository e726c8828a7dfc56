package org.jlvs.api.fake;

import org.jlvs.api.spi.Flow;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;

/** A mutable flow, reused by tests the way the data path reuses its Flow object. */
public final class FakeFlow implements Flow {
    private Protocol protocol = Protocol.TCP;
    private int clientAddress;
    private int clientPort;
    private int virtualAddress;
    private int virtualPort;

    public FakeFlow() {}

    public FakeFlow(int clientAddress, int clientPort, int virtualAddress, int virtualPort) {
        this.clientAddress = clientAddress;
        this.clientPort = clientPort;
        this.virtualAddress = virtualAddress;
        this.virtualPort = virtualPort;
    }

    /** A TCP flow from {@code client} (a.b.c.d) port {@code clientPort} to 10.0.0.100:80. */
    public static FakeFlow from(String client, int clientPort) {
        return new FakeFlow(Ip4.parse(client), clientPort, Ip4.parse("10.0.0.100"), 80);
    }

    public FakeFlow setProtocol(Protocol protocol) {
        this.protocol = protocol;
        return this;
    }

    public FakeFlow setClient(int address, int port) {
        this.clientAddress = address;
        this.clientPort = port;
        return this;
    }

    public FakeFlow setVirtual(int address, int port) {
        this.virtualAddress = address;
        this.virtualPort = port;
        return this;
    }

    @Override public Protocol protocol() { return protocol; }
    @Override public int clientAddress() { return clientAddress; }
    @Override public int clientPort() { return clientPort; }
    @Override public int virtualAddress() { return virtualAddress; }
    @Override public int virtualPort() { return virtualPort; }

    @Override
    public String toString() {
        return protocol.label() + " " + Ip4.toString(clientAddress, clientPort) + " -> "
                + Ip4.toString(virtualAddress, virtualPort);
    }
}
