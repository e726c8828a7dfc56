package org.jlvs.shell.internal.commands.service;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jlvs.api.spi.Scheduler;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

/**
 * Just enough of an OSGi service registry for lvs:schedulers: a BundleContext whose Scheduler references carry
 * a name, a service id and a providing bundle. Any other call fails the test, so the command cannot quietly
 * depend on more (e.g. getService) than it should.
 */
final class FakeRegistry {
    private final List<ServiceReference<Scheduler>> references = new ArrayList<>();

    /** Registers a scheduler of that name from a bundle with that id and version. */
    FakeRegistry scheduler(String name, long serviceId, long bundleId, String version) {
        return reference(Map.of(Scheduler.PROPERTY, name, Constants.SERVICE_ID, serviceId), bundle(bundleId, version));
    }

    /** A reference as the registry may hand it out: with any properties, and a null bundle once unregistered. */
    @SuppressWarnings("unchecked")
    FakeRegistry reference(Map<String, Object> properties, Bundle bundle) {
        references.add((ServiceReference<Scheduler>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "getBundle" -> bundle;
                    default -> throw new UnsupportedOperationException("ServiceReference." + method.getName());
                }));
        return this;
    }

    BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getServiceReferences") && args[0] == Scheduler.class) {
                        return List.copyOf(references);
                    }
                    throw new UnsupportedOperationException("BundleContext." + method.getName());
                });
    }

    static Bundle bundle(long id, String version) {
        return (Bundle) Proxy.newProxyInstance(FakeRegistry.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundleId" -> id;
                    case "getVersion" -> Version.parseVersion(version);
                    default -> throw new UnsupportedOperationException("Bundle." + method.getName());
                });
    }
}
