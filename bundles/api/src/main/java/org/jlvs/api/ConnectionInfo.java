package org.jlvs.api;

/** One connection entry as {@code ipvsadm -L -n -c} lists it. */
public record ConnectionInfo(Protocol protocol, String state, long expiresMillis, int clientAddress,
                             int clientPort, int virtualAddress, int virtualPort, int serverAddress,
                             int serverPort) {
}
