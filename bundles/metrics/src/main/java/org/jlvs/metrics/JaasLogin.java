package org.jlvs.metrics;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/** A login against a JAAS realm of Karaf (by default {@code karaf}: etc/users.properties). */
final class JaasLogin implements Access.Login {
    private final String realm;

    JaasLogin(String realm) {
        this.realm = realm;
    }

    @Override
    public boolean login(String user, String password) {
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
            context.logout();
            return true;
        } catch (LoginException | SecurityException e) {
            return false;
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
