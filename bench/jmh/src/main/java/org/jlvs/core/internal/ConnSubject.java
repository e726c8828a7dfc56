package org.jlvs.core.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;

/**
 * A connection table under measurement, holding connection number i as the same 5-tuple in every
 * implementation: the jlvs {@link ConnTable}, or a {@link HashMap} / {@link ConcurrentHashMap} from a key
 * object to an entry object (what an object-per-connection table holds: the walking-skeleton table was two
 * such maps). Every implementation reads the same settable clock {@link #now}.
 */
abstract class ConnSubject {
    static final long SECOND = 1_000_000_000L;
    static final String[] NAMES = {"jlvs", "HashMap", "ConcurrentHashMap"};
    private static final int VIP = Ip4.parse("10.0.0.1");
    private static final int CLIENTS = Ip4.parse("100.64.0.0");
    private static final int ACK = 16;
    private static final Service SERVICE =
            new Service(ServiceConfig.of(new ServiceKey(Protocol.TCP, VIP, 80), "rr"));
    private static final Dest[] DESTS = new Dest[4];

    static {
        for (int i = 0; i < DESTS.length; i++) {
            DESTS[i] = new Dest(ServerConfig.of(Ip4.parse("10.0.1.1") + i, 8080, ForwardMethod.MASQ, 1));
        }
    }

    long now;

    static ConnSubject of(String name, int capacity) {
        switch (name) {
            case "jlvs": return new Jlvs(capacity);
            case "HashMap": return new Objects(new HashMap<>());
            case "ConcurrentHashMap": return new Objects(new ConcurrentHashMap<>());
            default: throw new IllegalArgumentException("no such table: " + name);
        }
    }

    static int client(int i) {
        return CLIENTS + i / 60_000;
    }

    static int port(int i) {
        return 1024 + i % 60_000;
    }

    /** Adds connection {@code i} in {@code state}, expiring as the table's rules say (3 s for a new one). */
    abstract boolean insert(int i, int state);

    abstract boolean lookup(int i);

    /** What a packet of connection {@code i} costs: the lookup, then its state and expiry updated. */
    abstract boolean packet(int i);

    /** Removes what is due at {@link #now}; returns how many. */
    abstract int expire();

    abstract long size();

    /** The jlvs table: primitive arrays, two indexes (NAT), a timer wheel. */
    static final class Jlvs extends ConnSubject {
        final ConnTable table;
        private final Conn view = new Conn();
        private final ConnKey.Probe probe = new ConnKey.Probe();

        Jlvs(int capacity) {
            table = new ConnTable(() -> now, capacity);
        }

        @Override
        boolean insert(int i, int state) {
            view.set(6, client(i), port(i), VIP, 80, DESTS[i & 3], SERVICE, null, 0x020000000000L + i);
            view.state = state;
            return table.add(view);
        }

        @Override
        boolean lookup(int i) {
            probe.set(6, client(i), port(i), VIP, 80);
            return table.findByClient(probe, view);
        }

        @Override
        boolean packet(int i) {
            probe.set(6, client(i), port(i), VIP, 80);
            if (!table.findByClient(probe, view)) return false;
            table.update(view, TcpStates.DIR_INPUT, ACK);
            return true;
        }

        @Override
        int expire() {
            return table.expire();
        }

        @Override
        long size() {
            return table.size();
        }
    }

    /** A map of key objects to entry objects, expired by a sweep over all entries (as the skeleton did). */
    static final class Objects extends ConnSubject {
        private final Map<Key, Entry> map;
        private final Key probe = new Key();

        Objects(Map<Key, Entry> map) {
            this.map = map;
        }

        @Override
        boolean insert(int i, int state) {
            Key key = new Key();
            key.set(6, client(i), port(i), VIP, 80);
            int timeout = state == TcpStates.NONE ? TcpStates.NEW_CONN_TIMEOUT : TcpStates.DEFAULT_TIMEOUTS[state];
            map.put(key, new Entry(6, client(i), port(i), VIP, 80, DESTS[i & 3], SERVICE, 0x020000000000L + i,
                    state, now + timeout * SECOND));
            return true;
        }

        @Override
        boolean lookup(int i) {
            probe.set(6, client(i), port(i), VIP, 80);
            return map.get(probe) != null;
        }

        @Override
        boolean packet(int i) {
            probe.set(6, client(i), port(i), VIP, 80);
            Entry e = map.get(probe);
            if (e == null) return false;
            synchronized (e) {
                e.state = TcpStates.next(e.state, TcpStates.DIR_INPUT, ACK);
                e.expiresAt = now + TcpStates.DEFAULT_TIMEOUTS[e.state] * SECOND;
            }
            return true;
        }

        @Override
        int expire() {
            long t = now;
            int before = map.size();
            map.values().removeIf(e -> t - e.expiresAt >= 0);
            return before - map.size();
        }

        @Override
        long size() {
            return map.size();
        }
    }

    /** The 5-tuple as two longs (the skeleton's key). */
    static final class Key {
        long addresses;
        long portsAndProtocol;

        void set(int protocol, int address1, int port1, int address2, int port2) {
            addresses = ((address1 & 0xffffffffL) << 32) | (address2 & 0xffffffffL);
            portsAndProtocol = ((long) (port1 & 0xffff) << 24) | ((long) (port2 & 0xffff) << 8) | (protocol & 0xff);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) return false;
            Key k = (Key) o;
            return addresses == k.addresses && portsAndProtocol == k.portsAndProtocol;
        }

        @Override
        public int hashCode() {
            long h = addresses * 0x9E3779B97F4A7C15L ^ portsAndProtocol * 0xC2B2AE3D27D4EB4FL;
            return (int) (h ^ (h >>> 32));
        }
    }

    /** An object per connection with what the jlvs entry holds. */
    static final class Entry {
        final int protocol, clientAddress, clientPort, virtualAddress, virtualPort;
        final Dest dest;
        final Service service;
        final long clientMac;
        int state;
        long expiresAt;

        Entry(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort, Dest dest,
              Service service, long clientMac, int state, long expiresAt) {
            this.protocol = protocol;
            this.clientAddress = clientAddress;
            this.clientPort = clientPort;
            this.virtualAddress = virtualAddress;
            this.virtualPort = virtualPort;
            this.dest = dest;
            this.service = service;
            this.clientMac = clientMac;
            this.state = state;
            this.expiresAt = expiresAt;
        }
    }
}
