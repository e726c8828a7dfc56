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

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

/** Loopback stays open; any other local address needs HTTP Basic credentials that log in. */
class AccessTest {
    /** The status and headers a response was given. */
    static final class Answer {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
    }

    static HttpServletRequest request(String localAddress, String authorization) {
        return (HttpServletRequest) Proxy.newProxyInstance(AccessTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getLocalAddr" -> localAddress;
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

    private final Access access = new Access((user, password) -> user.equals("ops") && password.equals("s3cret"), "karaf");

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
        Access jaas = new Access(new JaasLogin("karaf"), "karaf");
        Answer a = new Answer();
        assertFalse(jaas.permit(request("10.99.1.1", basic("karaf", "karaf")), response(a)));
        assertEquals(401, a.status);
    }
}
