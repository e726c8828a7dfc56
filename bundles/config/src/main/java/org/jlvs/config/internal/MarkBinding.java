package org.jlvs.config.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jlvs.api.LvsException;
import org.jlvs.api.MarkRule;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerListener;
import org.jlvs.api.VirtualServerTable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the mark rules of the table and their configuration {@value MarkRuleProperties#PID} in step, both
 * ways: a configuration that changes is applied to the table (refused whole, with its reason logged, when a
 * rule does not parse or two overlap: the rules in force stay); rules changed from the console (lvs:mark-add,
 * lvs:restore, the keepalived import) are written to the configuration. Each side acts only on a difference,
 * so the configuration this writes, when it comes back, changes nothing.
 */
@Component(service = MarkBinding.class, immediate = true, configurationPid = MarkRuleProperties.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class MarkBinding implements VirtualServerListener {
    private static final Logger LOG = LoggerFactory.getLogger(MarkBinding.class);

    private final VirtualServerTable table;
    private final ConfigurationAdmin configAdmin;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jlvs-config-marks");
        t.setDaemon(true);
        return t;
    });
    private volatile ServiceRegistration<VirtualServerListener> registration;

    @Activate
    public MarkBinding(@Reference VirtualServerTable table, @Reference ConfigurationAdmin configAdmin,
                       BundleContext context, Map<String, Object> properties) {
        this.table = table;
        this.configAdmin = configAdmin;
        apply(properties, true);
        // by hand, as ConfigBinding does: a DS-registered listener would be a cycle with the director
        if (context != null) registration = context.registerService(VirtualServerListener.class, this, null);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties, false);
    }

    @Deactivate
    void close() {
        ServiceRegistration<VirtualServerListener> r = registration;
        registration = null;
        if (r != null) r.unregister();
        worker.shutdownNow();
    }

    /** The configuration's rules into the table, when they differ and pass. */
    private void apply(Map<String, Object> properties, boolean activating) {
        List<MarkRule> rules;
        try {
            rules = MarkRuleProperties.parse(properties);
        } catch (ConfigException e) {
            LOG.error("{} refused: {}; the mark rules in force stay", MarkRuleProperties.PID, e.getMessage());
            return;
        }
        if (rules.equals(table.markRules())) return;
        if (activating && rules.isEmpty()) { // no configuration yet: keep (and write) what the table has
            persist();
            return;
        }
        try {
            table.setMarkRules(rules);
            LOG.info("{}: {} mark rules applied", MarkRuleProperties.PID, rules.size());
        } catch (LvsException | IllegalArgumentException e) {
            LOG.error("{} refused: {}; the mark rules in force stay", MarkRuleProperties.PID, e.getMessage());
        }
    }

    @Override
    public void changed(ServiceKey key) {
        if (key != null) return; // a mark rule change is told as "anything may have changed"
        try {
            worker.execute(this::persist);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: the next start reads the configuration as it is
        }
    }

    /** The table's rules into the configuration, when they differ. */
    void persist() {
        try {
            List<MarkRule> rules = table.markRules();
            Configuration c = configAdmin.getConfiguration(MarkRuleProperties.PID, "?");
            Dictionary<String, Object> props = c.getProperties();
            Map<String, Object> current = new LinkedHashMap<>();
            if (props != null) {
                for (Enumeration<String> keys = props.keys(); keys.hasMoreElements(); ) {
                    String k = keys.nextElement();
                    current.put(k, props.get(k));
                }
            }
            try {
                if (MarkRuleProperties.parse(current).equals(rules)) return;
            } catch (ConfigException e) {
                // a refused file is replaced by the rules in force
            }
            if (props == null && rules.isEmpty()) return;
            Hashtable<String, Object> next = new Hashtable<>();
            current.forEach((k, v) -> {
                if (ServiceProperties.ignored(k)) next.put(k, v);
            });
            next.putAll(MarkRuleProperties.toProperties(rules));
            next.remove("service.pid");
            c.update(next);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write the mark rules to {}: {}", MarkRuleProperties.PID, e.toString());
        }
    }
}
