package org.jlvs.shell.internal.commands.service;

import org.apache.karaf.shell.api.action.Option;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.ServerConfig;
import org.jlvs.ipvsadm.IpvsadmOptions;

/** The real-server options of ipvsadm -a/-e: -m|-g|-i, --tun-type, --tun-port, -w, -x, -y. */
abstract class ServerOptionsAction extends RealServerAction {
    @Option(name = "-m", aliases = "--masquerading", description = "forward by NAT (masquerading); the default here")
    boolean masquerading;

    @Option(name = "-g", aliases = "--gatewaying", description = "forward by direct routing (needs the jlvs-forward-dr feature)")
    boolean gatewaying;

    @Option(name = "-i", aliases = "--ipip", description = "forward by tunnelling, IPIP or GUE (needs the jlvs-forward-tun feature)")
    boolean ipip;

    @Option(name = "--tun-type", description = "with -i: the encapsulation, ipip (default) or gue")
    String tunnelType;

    @Option(name = "--tun-port", description = "with -i --tun-type gue: the real server's GUE UDP port")
    String tunnelPort;

    @Option(name = "-w", aliases = "--weight", description = "weight 0..65535 (0 = quiesced: no new connections)")
    String weight;

    @Option(name = "-x", aliases = "--u-threshold", description = "upper connection threshold (0 = off)")
    String upperThreshold;

    @Option(name = "-y", aliases = "--l-threshold", description = "lower connection threshold (0 = 3/4 of upper)")
    String lowerThreshold;

    /** The method given by -m/-g/-i, or null. */
    ForwardMethod givenMethod() {
        return IpvsadmOptions.forwardMethod(masquerading, gatewaying, ipip);
    }

    /** The -w value, or {@code otherwise} when -w is not given. */
    int weightOr(int otherwise) {
        return weight != null ? IpvsadmOptions.weight(weight) : otherwise;
    }

    int upperOr(int otherwise) {
        return upperThreshold != null ? IpvsadmOptions.threshold(upperThreshold, "upper threshold") : otherwise;
    }

    int lowerOr(int otherwise) {
        return lowerThreshold != null ? IpvsadmOptions.threshold(lowerThreshold, "lower threshold") : otherwise;
    }

    /** {@code config} with the tunnel settings of --tun-type/--tun-port, else those of {@code current}. */
    ServerConfig withTunnel(ServerConfig config, ServerConfig current) {
        return IpvsadmOptions.withTunnel(config, tunnelType, tunnelPort, current);
    }

    /** ipvsadm: with direct routing or tunnelling the real server's port is the service's port. */
    static int portFor(ForwardMethod method, int givenPort, int servicePort) {
        return method == ForwardMethod.ROUTE || method == ForwardMethod.TUNNEL ? servicePort : givenPort;
    }
}
