package org.jlvs.api.fake;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A component property type ({@code @ObjectClassDefinition} annotation) made of a map as SCR would make it: each
 * method reads the key DS derives from its name ({@code login__failures} → "login_failures", {@code master_syncid}
 * → "master.syncid"), converted to its return type, and returns its default when the key is absent.
 */
public final class FakeConfig {
    private FakeConfig() {}

    public static <A> A of(Class<A> type, Map<String, ?> props) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            if (m.getDeclaringClass() == Object.class) return m.invoke(props, args);
            Object v = props.get(key(m));
            if (v == null) return m.getDefaultValue();
            Class<?> t = m.getReturnType();
            if (t == String[].class) return v instanceof String[] a ? a.clone() : new String[] {v.toString()};
            if (t == int.class) return Integer.parseInt(v.toString());
            if (t == long.class) return Long.parseLong(v.toString());
            if (t == boolean.class) return Boolean.parseBoolean(v.toString());
            return v.toString();
        }));
    }

    /** DS's name mapping: "__" → "_", "_" → ".". */
    public static String key(Method m) {
        return m.getName().replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
    }
}
