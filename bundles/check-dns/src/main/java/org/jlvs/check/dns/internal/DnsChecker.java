package org.jlvs.check.dns.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.spi.HealthChecker;
import org.jlvs.check.support.DatagramAttempt;
import org.jlvs.check.support.Reactor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * keepalived's DNS_CHECK: one query over UDP, {@code type} A|NS|CNAME|SOA|MX|TXT|AAAA (default SOA) for
 * {@code name} (default "."), recursion desired. As keepalived does, messages that are too short, carry another ID
 * or are not responses (QR clear) are ignored; the first response with the query's ID decides: RCODE NOERROR is
 * up (an empty answer section included), any other RCODE down; none within connect_timeout is down.
 */
@Component(service = HealthChecker.class, property = HealthChecker.PROPERTY + "=dns")
public class DnsChecker implements HealthChecker {
    static final Map<String, Integer> TYPES = Map.of("A", 1, "NS", 2, "CNAME", 5, "SOA", 6, "MX", 15, "TXT", 16, "AAAA", 28);
    static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
    private final SecureRandom random = new SecureRandom();
    private Reactor reactor;

    @Activate
    void activate() throws IOException {
        reactor = new Reactor("jlvs-check-dns");
    }

    @Deactivate
    void deactivate() {
        reactor.close();
    }

    @Override
    public void validate(CheckConfig config) {
        if (config.port() == 0) throw new IllegalArgumentException("a dns check needs a port (connect_port)");
        question(config);
    }

    @Override
    public CompletionStage<CheckResult> check(CheckConfig config) {
        byte[] question = question(config);
        int id = random.nextInt(0x10000);
        return new DnsAttempt(reactor, config, id, question).start();
    }

    /** QNAME, QTYPE, QCLASS IN of the check's query. */
    static byte[] question(CheckConfig c) {
        c.requireOnly(Set.of("type", "name"));
        String type = c.option("type", "SOA").toUpperCase(Locale.ROOT);
        Integer qtype = TYPES.get(type);
        if (qtype == null) throw new IllegalArgumentException("bad type '" + type + "': A, NS, CNAME, SOA, MX, TXT or AAAA");
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        String name = c.option("name", ".");
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (!trimmed.isEmpty()) {
            for (String label : trimmed.split("\\.", -1)) {
                byte[] b = label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                if (b.length == 0 || b.length > 63) throw new IllegalArgumentException("bad name '" + name + "': empty or long label");
                q.write(b.length);
                q.write(b, 0, b.length);
            }
        }
        q.write(0);
        if (q.size() > 255) throw new IllegalArgumentException("bad name '" + name + "': longer than 255 bytes");
        q.write(qtype >> 8);
        q.write(qtype);
        q.write(0);
        q.write(1);
        return q.toByteArray();
    }

    static final class DnsAttempt extends DatagramAttempt {
        private final int id;
        private final byte[] question;

        DnsAttempt(Reactor reactor, CheckConfig config, int id, byte[] question) {
            super(reactor, config);
            this.id = id;
            this.question = question;
        }

        @Override
        protected ByteBuffer request() {
            ByteBuffer b = ByteBuffer.allocate(12 + question.length);
            b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).put(question);
            return b.flip();
        }

        @Override
        protected void received(ByteBuffer r) {
            if (!answers(r, id)) return; // not ours: keep waiting, as keepalived does
            int rcode = r.getShort(r.position() + 2) & 0xf;
            if (rcode == 0) succeed("NOERROR, " + (r.getShort(r.position() + 6) & 0xffff) + " answers");
            else fail("RCODE " + (rcode < RCODES.length ? RCODES[rcode] : Integer.toString(rcode)));
        }
    }

    /** Whether a message is a response (QR set) to the query with this ID. */
    static boolean answers(ByteBuffer r, int id) {
        int p = r.position();
        return r.remaining() >= 12 && (r.getShort(p) & 0xffff) == id && (r.getShort(p + 2) & 0x8000) != 0;
    }
}
