package org.jlvs.shell.internal.commands;

import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.IpvsadmOptions;

/** A command that names a virtual service with ipvsadm's -t|-u VIP[:PORT]: the one parser of these options. */
public abstract class ServiceAction extends LvsAction {
    @Option(name = "-t", aliases = "--tcp-service", description = "TCP virtual service VIP:PORT (without :PORT, the port-0 service)")
    @Completion(TcpServiceCompleter.class)
    public String tcp;

    @Option(name = "-u", aliases = "--udp-service", description = "UDP virtual service VIP:PORT (without :PORT, the port-0 service)")
    @Completion(UdpServiceCompleter.class)
    public String udp;

    @Option(name = "-f", aliases = "--fwmark-service", description = "firewall-mark service MARK: the flows the"
            + " mark rules (lvs:mark-add) give this mark")
    public String fwmark;

    /** The -t|-u|-f service; required unless the command also works on all services. */
    protected ServiceKey serviceKey(boolean required) {
        if (fwmark != null) {
            if (tcp != null || udp != null) throw refuse("multiple service types specified: -f with -t or -u");
            return ServiceKey.fwmark(ServiceKey.parseFwmark(fwmark));
        }
        return IpvsadmOptions.service(tcp, udp, required);
    }

    /** The service as listed now, or a refusal naming it. */
    protected ServiceInfo existingService(ServiceKey key) {
        ServiceInfo info = table.get(key);
        if (info == null) throw refuse("No such service: " + key);
        return info;
    }
}
