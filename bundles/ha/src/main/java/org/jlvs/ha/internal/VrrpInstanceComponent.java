package org.jlvs.ha.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VRRP instance per factory configuration of {@code org.jlvs.vrrp.instance} (e.g.
 * {@code etc/org.jlvs.vrrp.instance-VI_1.cfg}), with keepalived's keywords. A bad value is refused with its key
 * and the reason: at first activation the component fails (the error is logged by Declarative Services and no
 * instance runs); on a later edit the running instance stays as it was.
 */
@Component(configurationPid = VrrpInstanceComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = VrrpInstanceComponent.Config.class, factory = true)
public final class VrrpInstanceComponent {
    static final String PID = "org.jlvs.vrrp.instance";
    private static final Logger LOG = LoggerFactory.getLogger(VrrpInstanceComponent.class);

    /** The keys of one instance (a double underscore in a name is an underscore in the key). */
    @ObjectClassDefinition(name = "jlvs VRRP instance", description = "A VRRPv3 instance, as keepalived's vrrp_instance")
    public @interface Config {
        @AttributeDefinition(description = "The instance's name (keepalived's vrrp_instance name), e.g. VI_1")
        String name();

        @AttributeDefinition(description = "The LAN interface the adverts go out on")
        String interface$();

        @AttributeDefinition(description = "VRID, 1..255")
        int virtual__router__id();

        @AttributeDefinition(description = "1..254, or 255 for the address owner")
        int priority() default InstanceConfig.DEFAULT_PRIORITY;

        @AttributeDefinition(description = "Seconds between adverts, 0.01..40.95")
        String advert__int() default InstanceConfig.DEFAULT_ADVERT_INT;

        @AttributeDefinition(description = "The virtual IPv4 addresses (a /prefix is accepted and ignored)")
        String[] virtual__ipaddress();

        @AttributeDefinition(description = "BACKUP (wait for Master_Down) or MASTER (take the role at start)")
        String state() default "BACKUP";

        boolean nopreempt() default false;

        @AttributeDefinition(description = "Seconds a lower-priority master is suffered before preempting it")
        String preempt__delay() default "0";

        @AttributeDefinition(description = "Send from 00:00:5e:00:01:VRID instead of the interface MAC")
        boolean use__vmac() default false;

        @AttributeDefinition(description = "pseudo-header (RFC 5798, keepalived) or message-only (RFC 9568)")
        String checksum() default InstanceConfig.CHECKSUM_PSEUDO_HEADER;

        @AttributeDefinition(description = "sent: accept only the form we send; both: accept either")
        String checksum__accept() default InstanceConfig.ACCEPT_SENT;

        @AttributeDefinition(description = "Unicast peers instead of multicast (keepalived's unicast_peer)")
        String[] unicast__peer() default {};

        @AttributeDefinition(description = "The adverts' source address (default: the interface's first IPv4)")
        String unicast__src__ip() default "";

        int garp__master__repeat() default InstanceConfig.DEFAULT_GARP_REPEAT;

        @AttributeDefinition(description = "Seconds until the second burst of gratuitous ARPs (0: none)")
        String garp__master__delay() default InstanceConfig.DEFAULT_GARP_DELAY;

        int garp__lower__prio__repeat() default InstanceConfig.DEFAULT_GARP_REPEAT;

        String[] track__interface() default {};

        @AttributeDefinition(description = "Names of org.jlvs.vrrp.script configurations")
        String[] track__script() default {};

        @AttributeDefinition(description = "Instances with the same sync group change state together")
        String sync__group() default "";

        String notify__master() default "";

        String notify__backup() default "";

        String notify__fault() default "";

        String notify__stop() default "";

        @AttributeDefinition(description = "Run with INSTANCE <name> <MASTER|BACKUP|FAULT|STOP> <priority>")
        String notify$() default "";

        @AttributeDefinition(description = "Seconds a notify script may run before it is killed")
        String notify__timeout() default InstanceConfig.DEFAULT_NOTIFY_TIMEOUT;
    }

    private final VrrpService vrrp;
    private volatile InstanceConfig running;

    @Activate
    public VrrpInstanceComponent(@Reference VrrpService vrrp, Map<String, Object> properties) {
        this.vrrp = vrrp;
        InstanceConfig config = parse(properties);
        vrrp.engine().add(config);
        this.running = config;
    }

    private static InstanceConfig parse(Map<String, Object> properties) {
        try {
            return InstanceConfig.parse(properties);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("VRRP instance " + properties.get("name") + " refused: "
                    + ConfigOrigin.of(properties, ConfigOrigin.keyOf(e.getMessage())) + e.getMessage(), e);
        }
    }

    /** An edit: applied by replacing the instance (state starts anew); refused edits leave it running. */
    @Modified
    void modified(Map<String, Object> properties) {
        InstanceConfig next;
        try {
            next = parse(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; the running instance stays as it was", e.getMessage());
            return;
        }
        InstanceConfig previous = running;
        if (next.equals(previous)) return;
        vrrp.engine().remove(previous.name());
        try {
            vrrp.engine().add(next);
            running = next;
        } catch (IllegalArgumentException e) {
            LOG.error("VRRP instance {} refused: {}; the previous configuration stays", next.name(), e.getMessage());
            vrrp.engine().add(previous);
        }
    }

    @Deactivate
    public void close() {
        vrrp.engine().remove(running.name());
    }
}
