package org.jlvs.core.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The net.ipv4.vs.* settings from Config Admin (PID {@value Sysctls#PID}, written by lvs:sysctl). A component
 * of its own, so that a change is applied in place: a change of the director's PID restarts the data path.
 */
@Component(service = SysctlComponent.class, configurationPid = Sysctls.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public class SysctlComponent {
    private static final Logger LOG = LoggerFactory.getLogger(SysctlComponent.class);

    final Sysctls values = new Sysctls();

    @Activate
    @Modified
    void apply(Map<String, Object> properties) {
        try {
            values.apply(properties);
        } catch (IllegalArgumentException e) {
            // a hand-edited file: keep what holds and say why (lvs:sysctl refuses such values itself)
            LOG.warn("{}: {}; settings unchanged", Sysctls.PID, e.getMessage());
        }
    }
}
