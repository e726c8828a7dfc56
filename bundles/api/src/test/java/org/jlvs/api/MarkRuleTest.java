package org.jlvs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The mark classifier's rules: their text form, what they cover, when two overlap; the mark service key. */
class MarkRuleTest {
    private static final int TCP = 6, UDP = 17;

    @Test
    void oneAddressAndOnePort() {
        MarkRule r = MarkRule.parse("1 tcp 10.0.0.100 80");
        assertEquals(new MarkRule(1, Protocol.TCP, Ip4.parse("10.0.0.100"), Ip4.parse("10.0.0.100"), 80, 80), r);
        assertTrue(r.matches(TCP, Ip4.parse("10.0.0.100"), 80));
        assertFalse(r.matches(UDP, Ip4.parse("10.0.0.100"), 80), "another protocol");
        assertFalse(r.matches(TCP, Ip4.parse("10.0.0.101"), 80), "another address");
        assertFalse(r.matches(TCP, Ip4.parse("10.0.0.100"), 81), "another port");
        assertEquals("1 tcp 10.0.0.100 80", r.toString());
    }

    @Test
    void keepalivedsRangeOfTheLastByteAndAFullRange() {
        MarkRule r = MarkRule.parse("7 udp 10.0.0.1-10 5000-5100");
        assertEquals(Ip4.parse("10.0.0.1"), r.firstAddress());
        assertEquals(Ip4.parse("10.0.0.10"), r.lastAddress());
        assertEquals(10, r.addressCount());
        assertTrue(r.matches(UDP, Ip4.parse("10.0.0.10"), 5100));
        assertFalse(r.matches(UDP, Ip4.parse("10.0.0.11"), 5000));
        assertFalse(r.matches(UDP, Ip4.parse("10.0.0.5"), 4999));
        assertEquals("7 udp 10.0.0.1-10 5000-5100", r.toString());
        MarkRule wide = MarkRule.parse("7 any 10.0.0.200-10.0.1.10");
        assertEquals(67, wide.addressCount());
        assertTrue(wide.matches(TCP, Ip4.parse("10.0.1.0"), 1));
        assertEquals("7 any 10.0.0.200-10.0.1.10", wide.toString());
    }

    @Test
    void prefixesAndEveryPort() {
        MarkRule r = MarkRule.parse("4294967295 any 192.168.0.0/16");
        assertEquals(-1, r.mark());
        assertEquals("4294967295", r.markText());
        assertNull(r.protocol());
        assertTrue(r.matches(TCP, Ip4.parse("192.168.255.255"), 0));
        assertTrue(r.matches(UDP, Ip4.parse("192.168.0.0"), 65535));
        assertFalse(r.matches(TCP, Ip4.parse("192.169.0.0"), 80));
        assertEquals("4294967295 any 192.168.0.0/16", r.toString());
        assertEquals(1L << 32, MarkRule.parse("1 any 0.0.0.0/0").addressCount());
        assertTrue(MarkRule.parse("1 any 255.255.255.255/32 any").matches(UDP, -1, 9));
        assertEquals("1 tcp 10.0.0.0/30", MarkRule.parse("1 tcp 10.0.0.0-3").toString(), "an aligned range reads as a prefix");
    }

    @Test
    void badRulesSayWhatIsWrong() {
        assertMessage("0 tcp 10.0.0.1 80", "invalid fwmark value `0'");
        assertMessage("4294967296 tcp 10.0.0.1", "invalid fwmark value");
        assertMessage("1 sctp 10.0.0.1", "bad protocol 'sctp'");
        assertMessage("1 tcp 10.0.0.300", "bad IPv4 address");
        assertMessage("1 tcp 10.0.0.10-1", "ends before it starts");
        assertMessage("1 tcp 10.0.0.1/24", "host bits set: the prefix is 10.0.0.0/24");
        assertMessage("1 tcp 10.0.0.0/33", "bad prefix length");
        assertMessage("1 tcp 10.0.0.1-256", "bad range end");
        assertMessage("1 tcp 10.0.0.1 70000", "bad port '70000'");
        assertMessage("1 tcp 10.0.0.1 90-80", "ends before it starts");
        assertMessage("1 tcp", "expected MARK PROTOCOL ADDRESSES [PORTS]");
        assertMessage("1 tcp 10.0.0.1 80 extra", "expected MARK PROTOCOL ADDRESSES [PORTS]");
    }

    private static void assertMessage(String text, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MarkRule.parse(text));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().contains(text.trim()), "names the rule: " + e.getMessage());
    }

    @Test
    void overlapsNeedTheProtocolTheAddressesAndThePortsToMeet() {
        MarkRule web = MarkRule.parse("1 tcp 10.0.0.0/24 80-443");
        assertTrue(web.overlaps(MarkRule.parse("2 any 10.0.0.255 443")));
        assertFalse(web.overlaps(MarkRule.parse("2 udp 10.0.0.1 80")));
        assertFalse(web.overlaps(MarkRule.parse("2 tcp 10.0.1.0 80")));
        assertFalse(web.overlaps(MarkRule.parse("2 tcp 10.0.0.1 444-500")));
        assertTrue(web.overlaps(MarkRule.parse("2 tcp 9.0.0.0-10.0.0.0 1-80")));
    }

    /** Random rules read back as themselves; random words never throw anything but a clear refusal. */
    @Test
    void theTextFormRoundTripsAndGarbageIsRefusedCleanly() {
        Random random = new Random(17);
        for (int i = 0; i < 20_000; i++) {
            int a = random.nextInt(), b = random.nextInt();
            int first = Integer.compareUnsigned(a, b) <= 0 ? a : b, last = first == a ? b : a;
            if (random.nextBoolean()) last = first | (random.nextInt(256) & 0xff) | (first & 0xff); // short ranges too
            if (Integer.compareUnsigned(first, last) > 0) last = first;
            int p1 = random.nextInt(65536), p2 = random.nextInt(65536);
            Protocol protocol = new Protocol[] {Protocol.TCP, Protocol.UDP, null}[random.nextInt(3)];
            MarkRule r = new MarkRule(random.nextInt() | 1, protocol, first, last, Math.min(p1, p2), Math.max(p1, p2));
            assertEquals(r, MarkRule.parse(r.toString()), r.toString());
        }
        String alphabet = "0123456789./- tcpudanyx";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(30);
            for (int k = 0; k < n; k++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            try {
                MarkRule r = MarkRule.parse(b.toString());
                assertEquals(r, MarkRule.parse(r.toString()), b.toString());
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("mark rule"), e.getMessage());
            }
        }
    }

    @Test
    void aMarkServiceKeyPrintsAndSortsAsIpvsadm() {
        ServiceKey fwm = ServiceKey.fwmark(7);
        assertTrue(fwm.isFwmark());
        assertEquals("FWM 7", fwm.toString());
        assertEquals("-f 7", fwm.toIpvsadm());
        assertEquals(0, fwm.templateProtocol());
        assertEquals(7, fwm.templateAddress());
        ServiceKey tcp = new ServiceKey(Protocol.TCP, 7, 0);
        assertFalse(tcp.equals(fwm));
        assertFalse(tcp.packed() == fwm.packed(), "no TCP or UDP key packs as a mark");
        assertTrue(tcp.compareTo(fwm) < 0, "address services first");
        assertTrue(fwm.compareTo(ServiceKey.fwmark(-1)) < 0, "marks compare unsigned");
        assertEquals(-1, ServiceKey.parseFwmark("4294967295"));
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.parseFwmark("-1"));
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.fwmark(0));
        new ServiceConfig(fwm, "rr", 0, 0, -1); // a mark service needs no port nor persistence
    }
}
