package org.jlvs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

/**
 * Loopback stays open; any other local address needs HTTPS and HTTP Basic credentials that log in as a user
 * with an allowed role, from an address the failed-login throttle has not locked out.
 */
class AccessTest {
    /** The status and headers a response was given. */
    static final class Answer {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
    }

    static HttpServletRequest request(String localAddress, String authorization) {
        return request(localAddress, authorization, true, "10.99.1.2");
    }

    static HttpServletRequest request(String localAddress, String authorization, boolean secure, String remote) {
        return (HttpServletRequest) Proxy.newProxyInstance(AccessTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getLocalAddr" -> localAddress;
                    case "getRemoteAddr" -> remote;
                    case "isSecure" -> secure;
                    case "getHeader" -> "Authorization".equalsIgnoreCase((String) args[0]) ? authorization : null;
                    default -> null;
                });
    }

    static HttpServletResponse response(Answer answer) {
        return (HttpServletResponse) Proxy.newProxyInstance(AccessTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "sendError", "setStatus" -> answer.status = (Integer) args[0];
                        case "setHeader" -> answer.headers.put((String) args[0], (String) args[1]);
                        default -> { }
                    }
                    return null;
                });
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The nanosecond clock of the throttle: moved by the tests, never read from the wall. */
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger logins = new AtomicInteger();
    private static final long LOCKOUT = TimeUnit.SECONDS.toNanos(60);

    private final Access access = new Access((user, password) -> {
        logins.incrementAndGet();
        if (user.equals("ops") && password.equals("s3cret")) return Set.of("jlvs-metrics");
        if (user.equals("boss") && password.equals("s3cret")) return Set.of("admin", "viewer");
        if (user.equals("viewer") && password.equals("s3cret")) return Set.of("viewer");
        return null;
    }, "karaf", Set.of("admin", "jlvs-metrics"), new LoginThrottle(now::get, 3, LOCKOUT, 100));

    private int status(String local, String authorization, boolean secure, String remote) throws Exception {
        Answer a = new Answer();
        boolean permitted = access.permit(request(local, authorization, secure, remote), response(a));
        assertEquals(permitted, a.status == 200, "permit() and the status agree");
        return a.status;
    }

    @Test
    void loopbackIsOpenWithoutCredentials() throws Exception {
        for (String local : new String[] {"127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1"}) {
            Answer a = new Answer();
            assertTrue(access.permit(request(local, null), response(a)), local);
            assertEquals(200, a.status);
        }
    }

    @Test
    void unauthenticatedRequestOnANonLoopbackAddressGets401() throws Exception {
        for (String local : new String[] {"10.99.1.1", "192.168.0.5", "fe80::1", null}) {
            Answer a = new Answer();
            assertFalse(access.permit(request(local, null), response(a)), String.valueOf(local));
            assertEquals(401, a.status);
            assertEquals("Basic realm=\"karaf\", charset=\"UTF-8\"", a.headers.get("WWW-Authenticate"));
        }
    }

    @Test
    void wrongOrMalformedCredentialsGet401() throws Exception {
        for (String header : new String[] {basic("ops", "wrong"), basic("nobody", "s3cret"), "Basic !!!", "Bearer x",
            "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8))}) {
            Answer a = new Answer();
            assertFalse(access.permit(request("10.99.1.1", header), response(a)), header);
            assertEquals(401, a.status, header);
        }
    }

    @Test
    void rightCredentialsPass() throws Exception {
        Answer a = new Answer();
        assertTrue(access.permit(request("10.99.1.1", basic("ops", "s3cret")), response(a)));
        assertEquals(200, a.status);
    }

    @Test
    void passwordsMayHoldColons() {
        assertEquals("a:b:c", Access.basic(basic("u", "a:b:c"))[1]);
        assertNull(Access.basic(null));
    }

    @Test
    void aRealmWithoutUsersLetsNobodyIn() throws Exception {
        // Outside Karaf no JAAS configuration exists: the login fails instead of letting the request through.
        Access jaas = new Access(new JaasLogin("karaf"), "karaf", Set.of("admin"), new LoginThrottle(now::get, 3, LOCKOUT, 100));
        Answer a = new Answer();
        assertFalse(jaas.permit(request("10.99.1.1", basic("karaf", "karaf")), response(a)));
        assertEquals(401, a.status);
    }

    @Test
    void plainHttpOffLoopbackIsRefusedWithoutLookingAtTheCredentials() throws Exception {
        assertEquals(403, status("10.99.1.1", basic("ops", "s3cret"), false, "10.99.1.2"));
        assertEquals(403, status("10.99.1.1", null, false, "10.99.1.2"));
        assertEquals(0, logins.get(), "no login was tried over plain HTTP");
        assertEquals(200, status("127.0.0.1", null, false, "127.0.0.1"), "plain HTTP on loopback stays open");
    }

    @Test
    void aUserNeedsOneOfTheAllowedRoles() throws Exception {
        assertEquals(200, status("10.99.1.1", basic("ops", "s3cret"), true, "10.99.1.2"));
        assertEquals(200, status("10.99.1.1", basic("boss", "s3cret"), true, "10.99.1.2"));
        assertEquals(403, status("10.99.1.1", basic("viewer", "s3cret"), true, "10.99.1.2"));
    }

    @Test
    void wrongPasswordsLockTheAddressOutForTheLockout() throws Exception {
        for (int i = 0; i < 3; i++) assertEquals(401, status("10.99.1.1", basic("ops", "wrong" + i), true, "10.99.1.2"));
        int tried = logins.get();
        Answer a = new Answer();
        assertFalse(access.permit(request("10.99.1.1", basic("ops", "s3cret"), true, "10.99.1.2"), response(a)));
        assertEquals(429, a.status, "the right password is refused too while locked out");
        assertEquals("61", a.headers.get("Retry-After"));
        assertEquals(tried, logins.get(), "no login is tried while locked out");
        assertEquals(200, status("10.99.1.1", basic("ops", "s3cret"), true, "10.99.1.3"), "another address is not locked");
        now.addAndGet(LOCKOUT - 1);
        assertEquals(429, status("10.99.1.1", basic("ops", "s3cret"), true, "10.99.1.2"));
        now.addAndGet(1);
        assertEquals(200, status("10.99.1.1", basic("ops", "s3cret"), true, "10.99.1.2"), "the lockout has passed");
        assertEquals(401, status("10.99.1.1", basic("ops", "wrong"), true, "10.99.1.2"), "the count started again");
        assertEquals(200, status("10.99.1.1", basic("ops", "s3cret"), true, "10.99.1.2"));
    }

    @Test
    void aRequestWithoutCredentialsIsNotAFailedLogin() throws Exception {
        for (int i = 0; i < 10; i++) assertEquals(401, status("10.99.1.1", null, true, "10.99.1.2"));
        assertEquals(200, status("10.99.1.1", basic("ops", "s3cret"), true, "10.99.1.2"));
    }
}
