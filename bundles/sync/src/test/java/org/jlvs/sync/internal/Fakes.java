package org.jlvs.sync.internal;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Map;

import org.jlvs.api.fake.FakeConfig;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** A typed configuration from a map (defaults for the rest) and an in-memory Config Admin, as SCR would give them. */
final class Fakes {
    private Fakes() {}

    /** The {@link SyncComponent.Config} SCR would make of {@code props} ("master.syncid" → master_syncid()). */
    static SyncComponent.Config config(Map<String, ?> props) {
        return FakeConfig.of(SyncComponent.Config.class, props);
    }

    static SyncComponent.Config config(Dictionary<String, Object> props) {
        Map<String, Object> map = new java.util.HashMap<>();
        for (Enumeration<String> k = props.keys(); k.hasMoreElements(); ) {
            String key = k.nextElement();
            map.put(key, props.get(key));
        }
        return config(map);
    }

    /** One configuration (PID org.jlvs.sync) kept in memory. */
    static final class ConfigAdmin {
        Dictionary<String, Object> properties;
        int updates;

        ConfigurationAdmin service() {
            Configuration configuration = (Configuration) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                    new Class<?>[] {Configuration.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "getProperties" -> properties == null ? null : copy(properties);
                        case "update" -> {
                            if (args != null && args.length == 1) {
                                @SuppressWarnings("unchecked")
                                Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                                properties = copy(d);
                                updates++;
                            }
                            yield null;
                        }
                        case "getPid" -> SyncComponent.PID;
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
            return (ConfigurationAdmin) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                    new Class<?>[] {ConfigurationAdmin.class}, (proxy, m, args) -> {
                        if (m.getName().equals("getConfiguration")) return configuration;
                        throw new UnsupportedOperationException(m.getName());
                    });
        }

        private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
            Hashtable<String, Object> out = new Hashtable<>();
            for (Enumeration<String> k = d.keys(); k.hasMoreElements(); ) {
                String key = k.nextElement();
                out.put(key, d.get(key));
            }
            return out;
        }
    }
}
