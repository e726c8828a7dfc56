package org.jlvs.api;

import java.util.List;

/**
 * A virtual service as listed.
 *
 * @param schedulerBound false while the named scheduler is not installed: new connections are refused
 */
public record ServiceInfo(ServiceConfig config, boolean schedulerBound, List<ServerInfo> servers, Stats stats) {
}
