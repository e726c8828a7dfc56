package org.jlvs.metrics;

import java.util.HashSet;
import java.util.Set;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;

/**
 * A login against a JAAS realm of Karaf (by default {@code karaf}: etc/users.properties); the user's roles are
 * the realm's role principals (a group's roles among them).
 */
final class JaasLogin implements Access.Login {
    private final String realm;

    JaasLogin(String realm) {
        this.realm = realm;
    }

    @Override
    public Set<String> roles(String user, String password) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        // Karaf's JAAS configuration finds the realm's login modules through the context class loader.
        t.setContextClassLoader(getClass().getClassLoader());
        try {
            LoginContext context = new LoginContext(realm, callbacks -> {
                for (Callback c : callbacks) {
                    if (c instanceof NameCallback n) n.setName(user);
                    else if (c instanceof PasswordCallback p) p.setPassword(password.toCharArray());
                    else throw new UnsupportedCallbackException(c);
                }
            });
            context.login();
            Set<String> roles = new HashSet<>();
            for (RolePrincipal r : context.getSubject().getPrincipals(RolePrincipal.class)) roles.add(r.getName());
            context.logout();
            return roles;
        } catch (LoginException | SecurityException e) {
            return null;
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
