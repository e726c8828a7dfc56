package org.jlvs.metrics;

import org.jlvs.api.Ip4;
import org.jlvs.api.ServiceKey;

/** The "service" label: "10.0.0.1:80", "[2001:db8::1]:80" for IPv6, "0.0.0.0:0" for a mark service (its proto says FWM). */
final class Endpoints {
    private Endpoints() {}

    static String service(ServiceKey key) {
        return key.isIpv6() ? key.address6().toString(key.port()) : Ip4.toString(key.address(), key.port());
    }
}
