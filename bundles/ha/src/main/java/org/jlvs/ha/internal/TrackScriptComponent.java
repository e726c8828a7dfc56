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
 * One track script per factory configuration of {@code org.jlvs.vrrp.script} (keepalived's vrrp_script),
 * named by instances in their track_script. Bad values are refused with key and reason, as for instances.
 */
@Component(configurationPid = TrackScriptComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = TrackScriptComponent.Config.class, factory = true)
public final class TrackScriptComponent {
    static final String PID = "org.jlvs.vrrp.script";
    private static final Logger LOG = LoggerFactory.getLogger(TrackScriptComponent.class);

    @ObjectClassDefinition(name = "jlvs VRRP track script", description = "keepalived's vrrp_script")
    public @interface Config {
        @AttributeDefinition(description = "The name instances use in track_script")
        String name();

        @AttributeDefinition(description = "The command (keepalived quoting, no shell); exit 0 = good")
        String script();

        @AttributeDefinition(description = "Seconds between runs")
        String interval() default ScriptConfig.DEFAULT_INTERVAL;

        @AttributeDefinition(description = "Seconds a run may take (default: the interval)")
        String timeout() default "";

        @AttributeDefinition(description = "-253..253: added while good (>0) or failed (<0); 0: failed = FAULT")
        int weight() default 0;

        int fall() default 1;

        int rise() default 1;

        boolean init__fail() default false;
    }

    private final VrrpService vrrp;
    private volatile ScriptConfig running;

    @Activate
    public TrackScriptComponent(@Reference VrrpService vrrp, Map<String, Object> properties) {
        this.vrrp = vrrp;
        ScriptConfig config = parse(properties);
        vrrp.engine().addScript(config);
        this.running = config;
    }

    private static ScriptConfig parse(Map<String, Object> properties) {
        try {
            return ScriptConfig.parse(properties);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("VRRP track script " + properties.get("name") + " refused: " + e.getMessage(), e);
        }
    }

    @Modified
    void modified(Map<String, Object> properties) {
        ScriptConfig next;
        try {
            next = parse(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; the running script stays as it was", e.getMessage());
            return;
        }
        if (next.equals(running)) return;
        vrrp.engine().removeScript(running.name());
        vrrp.engine().addScript(next);
        running = next;
    }

    @Deactivate
    public void close() {
        vrrp.engine().removeScript(running.name());
    }
}
