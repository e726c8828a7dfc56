package org.jlvs.ipvsadm;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jlvs.api.Ip6Address;

/**
 * Host and service names in ipvsadm rules, resolved as ipvsadm does ({@code ipvsadm -S} without {@code -n}
 * writes "192.168.1.112:http" or "web1:https"): host names through the resolver (its first IPv4 address,
 * gethostbyname; or its first IPv6 address, as getaddrinfo answers for AF_INET6), port names through /etc/services for the service's protocol (getservbyname). A seam, so tests
 * resolve without the machine's files.
 */
public interface NameResolver {
    /** The IPv4 address of a host name; throws IllegalArgumentException when there is none. */
    int host(String name);

    /** The first IPv6 address of a host name; throws IllegalArgumentException when there is none. */
    default Ip6Address host6(String name) {
        throw new IllegalArgumentException("unknown IPv6 host " + name);
    }

    /** The port of a service name ("http") for "tcp" or "udp"; throws IllegalArgumentException when unknown. */
    int port(String name, String protocol);

    /** The machine's resolver and /etc/services. */
    NameResolver SYSTEM = new NameResolver() {
        @Override
        public int host(String name) {
            try {
                for (InetAddress a : InetAddress.getAllByName(name)) {
                    if (a instanceof Inet4Address) {
                        byte[] b = a.getAddress();
                        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
                    }
                }
            } catch (UnknownHostException e) {
                // the caller's message says which address could not be read
            }
            throw new IllegalArgumentException("unknown host " + name);
        }

        @Override
        public Ip6Address host6(String name) {
            try {
                for (InetAddress a : InetAddress.getAllByName(name)) {
                    if (a instanceof Inet6Address) {
                        byte[] b = a.getAddress();
                        return new Ip6Address(java.nio.ByteBuffer.wrap(b).getLong(0), java.nio.ByteBuffer.wrap(b).getLong(8));
                    }
                }
            } catch (UnknownHostException e) {
                // the caller's message says which address could not be read
            }
            throw new IllegalArgumentException("unknown IPv6 host " + name);
        }

        @Override
        public int port(String name, String protocol) {
            try {
                return servicePort(Files.readAllLines(Path.of("/etc/services"), StandardCharsets.ISO_8859_1), name,
                        protocol);
            } catch (IOException e) {
                throw new IllegalArgumentException("unknown service " + name + " (/etc/services: " + e.getMessage() + ")");
            }
        }
    };

    /** The port of {@code name} or one of its aliases in /etc/services lines ("http 80/tcp www # WWW"). */
    static int servicePort(List<String> services, String name, String protocol) {
        for (String line : services) {
            int hash = line.indexOf('#');
            String[] f = (hash < 0 ? line : line.substring(0, hash)).trim().split("\\s+");
            if (f.length < 2) continue;
            int slash = f[1].indexOf('/');
            if (slash < 0 || !f[1].substring(slash + 1).equals(protocol)) continue;
            for (int i = 0; i < f.length; i++) {
                if (i != 1 && f[i].equals(name)) {
                    try {
                        int port = Integer.parseInt(f[1].substring(0, slash));
                        if (port >= 0 && port <= 65535) return port;
                    } catch (NumberFormatException e) {
                        break; // a broken line: look further
                    }
                }
            }
        }
        throw new IllegalArgumentException("unknown service " + name + "/" + protocol);
    }
}
