package org.jlvs.api.fake;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.spi.RealServer;

/**
 * A real server whose weight, connection counts and overload flag a test sets directly. Fields are volatile
 * so that tests may change them while other threads schedule.
 */
public final class FakeRealServer implements RealServer {
    private final int address;
    private final int port;
    private volatile ForwardMethod forwardMethod = ForwardMethod.MASQ;
    private volatile int weight;
    private volatile int lastWeight;
    private volatile int activeConns;
    private volatile int inactiveConns;
    private volatile int persistentConns;
    private volatile boolean overloaded;

    public FakeRealServer(int address, int port, int weight) {
        this.address = address;
        this.port = port;
        setWeight(weight);
    }

    /** {@code of("192.168.1.11:80", 1)}; the port is required. */
    public static FakeRealServer of(String endpoint, int weight) {
        int colon = endpoint.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("missing port: " + endpoint);
        return new FakeRealServer(Ip4.parse(endpoint.substring(0, colon)),
                Integer.parseInt(endpoint.substring(colon + 1)), weight);
    }

    /** Sets the weight; a weight above 0 also becomes the last weight, as IPVS keeps {@code last_weight}. */
    public FakeRealServer setWeight(int weight) {
        if (weight < 0 || weight > 65535) throw new IllegalArgumentException("bad weight " + weight);
        this.weight = weight;
        if (weight > 0) this.lastWeight = weight;
        return this;
    }

    public FakeRealServer setLastWeight(int lastWeight) {
        this.lastWeight = lastWeight;
        return this;
    }

    public FakeRealServer setActive(int activeConns) {
        this.activeConns = activeConns;
        return this;
    }

    public FakeRealServer setInactive(int inactiveConns) {
        this.inactiveConns = inactiveConns;
        return this;
    }

    /** Sets both counts at once. */
    public FakeRealServer setConns(int active, int inactive) {
        this.activeConns = active;
        this.inactiveConns = inactive;
        return this;
    }

    public FakeRealServer setPersistent(int persistentConns) {
        this.persistentConns = persistentConns;
        return this;
    }

    public FakeRealServer setOverloaded(boolean overloaded) {
        this.overloaded = overloaded;
        return this;
    }

    public FakeRealServer setForwardMethod(ForwardMethod method) {
        this.forwardMethod = method;
        return this;
    }

    /** One more active connection, as the data path counts a new connection to this server. */
    public FakeRealServer addActive() {
        activeConns++;
        return this;
    }

    @Override public int address() { return address; }
    @Override public int port() { return port; }
    @Override public ForwardMethod forwardMethod() { return forwardMethod; }
    @Override public int weight() { return weight; }
    @Override public int lastWeight() { return lastWeight; }
    @Override public int activeConns() { return activeConns; }
    @Override public int inactiveConns() { return inactiveConns; }
    @Override public int persistentConns() { return persistentConns; }
    @Override public boolean overloaded() { return overloaded; }

    @Override
    public String toString() {
        return Ip4.toString(address, port) + "(w=" + weight + ",a=" + activeConns + ",i=" + inactiveConns
                + (overloaded ? ",OVERLOAD" : "") + ")";
    }
}
