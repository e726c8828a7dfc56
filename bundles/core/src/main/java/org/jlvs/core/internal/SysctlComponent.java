package org.jlvs.core.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The net.ipv4.vs.* settings from Config Admin (PID {@value Sysctls#PID}, written by lvs:sysctl). A component
 * of its own, so that a change is applied in place, at once: the director's own settings wait for its next
 * start. A bad value (a hand-edited file) is refused with its name and reason, and every setting stays as it
 * was.
 */
@Component(service = SysctlComponent.class, configurationPid = Sysctls.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = SysctlComponent.Config.class)
public class SysctlComponent {
    private static final Logger LOG = LoggerFactory.getLogger(SysctlComponent.class);

    // The values are read as text, so that a bad one reaches Sysctls.parse and is refused with its name; the
    // metatype still says they are integers. The defaults are Sysctls.DEFAULTS, the kernel's.
    @ObjectClassDefinition(name = "jlvs net.ipv4.vs.* settings",
            description = "The IPVS sysctls jlvs follows (lvs:sysctl sets them); applied at once, connections stay.")
    public @interface Config {
        @AttributeDefinition(name = "net.ipv4.vs.conn_reuse_mode", type = AttributeType.INTEGER, min = "0",
                max = "3",
                description = "Bit 0 set: a SYN on a connection in TIME_WAIT or CLOSE starts a new, rescheduled"
                        + " connection; 0: it reuses the entry and its real server.")
        String conn__reuse__mode() default "1";

        @AttributeDefinition(name = "net.ipv4.vs.drop_entry", type = AttributeType.INTEGER, min = "0",
                max = "3",
                description = "Kept for ipvsadm and keepalived configurations; no effect: a full table always"
                        + " evicts half-open entries.")
        String drop__entry() default "0";

        @AttributeDefinition(name = "net.ipv4.vs.expire_nodest_conn", type = AttributeType.INTEGER, min = "0",
                max = "1",
                description = "1: a packet of a connection whose real server was deleted drops the entry (and the"
                        + " packet) at once, instead of forwarding until the entry expires.")
        String expire__nodest__conn() default "0";

        @AttributeDefinition(name = "net.ipv4.vs.expire_quiescent_template", type = AttributeType.INTEGER, min = "0",
                max = "1",
                description = "1: a persistence template of a weight-0 real server expires when it is next used.")
        String expire__quiescent__template() default "0";
    }

    final Sysctls values = new Sysctls();

    @Activate
    public SysctlComponent(Config config) {
        modified(config);
    }

    /** For unit tests: the kernel's defaults. */
    SysctlComponent() {
    }

    @Modified
    void modified(Config config) {
        apply(config.conn__reuse__mode(), config.drop__entry(), config.expire__nodest__conn(),
                config.expire__quiescent__template());
    }

    /** The values in {@link Sysctls#DEFAULTS}' order; all of them or, when one is bad, none. */
    void apply(String... texts) {
        try {
            values.apply(texts);
        } catch (IllegalArgumentException e) {
            // a hand-edited file: keep what holds and say why (lvs:sysctl refuses such values itself)
            LOG.warn("{}: {}; settings unchanged", Sysctls.PID, e.getMessage());
        }
    }
}
