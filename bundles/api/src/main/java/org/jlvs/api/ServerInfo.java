package org.jlvs.api;

/** A real server as listed: its configuration, connection counts and counters. */
public record ServerInfo(ServerConfig config, int activeConns, int inactiveConns, int persistentConns,
                         boolean overloaded, Stats stats) {
}
