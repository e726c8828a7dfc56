package org.jlvs.config.internal;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;

/**
 * Config Admin in a map, as far as jlvs uses it: named factory configurations, update, delete, listing by
 * filter; each change is announced to the listener as Config Admin does (here on the caller's thread).
 */
public final class FakeConfigAdmin {
    public final Map<String, Hashtable<String, Object>> stored = new LinkedHashMap<>();
    public final Map<String, String> factoryOf = new HashMap<>();
    public final List<String> writes = new ArrayList<>();
    public ConfigurationListener listener;
    /** When set, events wait in {@link #held} until {@link #release} (Config Admin delivers them late). */
    public boolean hold;
    public final List<ConfigurationEvent> held = new ArrayList<>();

    private static final ServiceReference<?> REFERENCE = (ServiceReference<?>) Proxy.newProxyInstance(
            FakeConfigAdmin.class.getClassLoader(), new Class<?>[] {ServiceReference.class}, (p, m, a) -> null);

    public final ConfigurationAdmin service = (ConfigurationAdmin) Proxy.newProxyInstance(
            FakeConfigAdmin.class.getClassLoader(), new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "getFactoryConfiguration":
                        return configuration(args[0] + "~" + args[1], (String) args[0]);
                    case "listConfigurations":
                        return list((String) args[0]);
                    default:
                        throw new UnsupportedOperationException(method.getName());
                }
            });

    /** Puts a configuration as fileinstall would (from a file an operator wrote) and announces it. */
    public void put(String name, Map<String, String> props) {
        String pid = ServiceProperties.FACTORY_PID + "~" + name;
        Hashtable<String, Object> dict = new Hashtable<>(props);
        dict.put("service.pid", pid);
        dict.put("service.factoryPid", ServiceProperties.FACTORY_PID);
        stored.put(pid, dict);
        factoryOf.put(pid, ServiceProperties.FACTORY_PID);
        announce(ConfigurationEvent.CM_UPDATED, pid);
    }

    public void remove(String name) {
        String pid = ServiceProperties.FACTORY_PID + "~" + name;
        stored.remove(pid);
        announce(ConfigurationEvent.CM_DELETED, pid);
    }

    @SuppressWarnings("unchecked")
    private void announce(int type, String pid) {
        ConfigurationEvent event = new ConfigurationEvent((ServiceReference<ConfigurationAdmin>) REFERENCE, type,
                factoryOf.get(pid), pid);
        if (hold) held.add(event);
        else if (listener != null) listener.configurationEvent(event);
    }

    public void release() {
        hold = false;
        for (ConfigurationEvent e : held) listener.configurationEvent(e);
        held.clear();
    }

    private Configuration[] list(String filter) throws Exception {
        Filter f = FrameworkUtil.createFilter(filter);
        List<Configuration> found = new ArrayList<>();
        for (Map.Entry<String, Hashtable<String, Object>> e : stored.entrySet()) {
            if (f.matches(e.getValue())) found.add(configuration(e.getKey(), factoryOf.get(e.getKey())));
        }
        return found.isEmpty() ? null : found.toArray(new Configuration[0]);
    }

    private Configuration configuration(String pid, String factoryPid) {
        return (Configuration) Proxy.newProxyInstance(FakeConfigAdmin.class.getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getPid":
                            return pid;
                        case "getFactoryPid":
                            return factoryPid;
                        case "getProperties": {
                            Hashtable<String, Object> d = stored.get(pid);
                            return d == null ? null : new Hashtable<>(d);
                        }
                        case "update": {
                            Hashtable<String, Object> d = new Hashtable<>();
                            Dictionary<?, ?> given = (Dictionary<?, ?>) args[0];
                            for (Enumeration<?> k = given.keys(); k.hasMoreElements(); ) {
                                Object key = k.nextElement();
                                d.put(key.toString(), given.get(key));
                            }
                            d.put("service.pid", pid);
                            d.put("service.factoryPid", factoryPid);
                            stored.put(pid, d);
                            factoryOf.put(pid, factoryPid);
                            writes.add("update " + pid);
                            announce(ConfigurationEvent.CM_UPDATED, pid);
                            return null;
                        }
                        case "delete":
                            stored.remove(pid);
                            writes.add("delete " + pid);
                            announce(ConfigurationEvent.CM_DELETED, pid);
                            return null;
                        case "hashCode":
                            return pid.hashCode();
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "Configuration " + pid;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
