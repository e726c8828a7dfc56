package org.jlvs.shell.internal.commands.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.fake.FakeConnectionTable;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.jlvs.shell.internal.commands.LvsAction;
import org.junit.jupiter.api.Test;

/** lvs:mark-add, lvs:mark-delete, lvs:mark-list, -f on the service commands and the FWM listing. */
class MarkCommandsTest {
    private final FakeVirtualServerTable table = new FakeVirtualServerTable();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private <T extends LvsAction> T command(T action) {
        action.table = table;
        action.out = new PrintStream(output, true, StandardCharsets.UTF_8);
        action.err = action.out;
        return action;
    }

    private <T extends MarkRuleAction> T rule(T action, String mark, String protocol, String addresses, String ports) {
        command(action);
        action.mark = mark;
        action.protocol = protocol;
        action.addresses = addresses;
        action.ports = ports;
        return action;
    }

    @Test
    void rulesAreAddedListedAndDeleted() throws Exception {
        rule(new MarkAddCommand(), "1", "tcp", "10.0.0.100", "80").execute();
        rule(new MarkAddCommand(), "1", "TCP", "10.0.0.100", "443").execute();
        rule(new MarkAddCommand(), "2", "any", "10.0.0.10-20", null).execute();
        MarkListCommand script = command(new MarkListCommand());
        script.noFormat = true;
        script.execute();
        assertEquals("1\ttcp\t10.0.0.100\t80\n1\ttcp\t10.0.0.100\t443\n2\tany\t10.0.0.10-20\tall\n",
                output.toString(StandardCharsets.UTF_8));
        output.reset();
        command(new MarkListCommand()).execute();
        assertEquals("Mark | Protocol | Addresses    | Ports\n"
                + "-----+----------+--------------+------\n"
                + "   1 | tcp      | 10.0.0.100   | 80\n"
                + "   1 | tcp      | 10.0.0.100   | 443\n"
                + "   2 | any      | 10.0.0.10-20 | all\n", output.toString(StandardCharsets.UTF_8));
        output.reset();
        MarkListCommand json = command(new MarkListCommand());
        json.json = true;
        json.execute();
        JsonNode doc = new ObjectMapper()
                .readTree(output.toString(StandardCharsets.UTF_8));
        assertEquals("jlvs-marks", doc.get("format").asText());
        assertEquals(3, doc.get("rules").size());
        assertEquals(443, doc.get("rules").get(1).get("firstPort").asInt());
        assertEquals("any", doc.get("rules").get(2).get("protocol").asText());
        assertEquals("10.0.0.20", doc.get("rules").get(2).get("to").asText());
        assertEquals("2 any 10.0.0.10-20", doc.get("rules").get(2).get("rule").asText());
        output.reset();
        CommandException e = assertThrows(CommandException.class,
                rule(new MarkAddCommand(), "1", "tcp", "10.0.0.100", "80")::execute);
        assertEquals("mark rule '1 tcp 10.0.0.100 80' exists already", e.getMessage());
        rule(new MarkDeleteCommand(), "1", "tcp", "10.0.0.100", "80").execute();
        assertEquals("[1 tcp 10.0.0.100 443, 2 any 10.0.0.10-20]", table.markRules().toString());
        e = assertThrows(CommandException.class, rule(new MarkDeleteCommand(), "1", "tcp", "10.0.0.100", "80")::execute);
        assertEquals("no such mark rule: '1 tcp 10.0.0.100 80'", e.getMessage());
        e = assertThrows(CommandException.class, rule(new MarkAddCommand(), "1", "tcp", "10.0.0.1/8", null)::execute);
        assertTrue(e.getMessage().contains("host bits set"), e.getMessage());
        output.reset();
        rule(new MarkDeleteCommand(), "1", "tcp", "10.0.0.100", "443").execute();
        rule(new MarkDeleteCommand(), "2", "any", "10.0.0.10-20", null).execute();
        MarkListCommand none = command(new MarkListCommand());
        none.noFormat = true;
        none.execute();
        assertEquals("", output.toString(StandardCharsets.UTF_8), "no rule: no line for scripts");
        command(new MarkListCommand()).execute();
        assertTrue(output.toString(StandardCharsets.UTF_8).endsWith("no mark rules\n"), output.toString(StandardCharsets.UTF_8));
    }

    @Test
    void serviceCommandsTakeMinusFAndTheListingShowsFwm() throws Exception {
        table.schedulers.add("rr");
        AddServiceCommand add = command(new AddServiceCommand());
        add.fwmark = "7";
        add.scheduler = "rr";
        add.execute();
        assertEquals(ServiceConfig.of(ServiceKey.fwmark(7), "rr"), table.services.get(ServiceKey.fwmark(7)));
        AddServerCommand server = command(new AddServerCommand());
        server.fwmark = "7";
        server.realServer = "10.0.1.1";
        server.masquerading = true;
        server.execute();
        output.reset();
        ListCommand list = command(new ListCommand());
        list.numeric = true;
        list.execute();
        String listing = output.toString(StandardCharsets.UTF_8);
        assertTrue(listing.contains("\nFWM  7 rr\n  -> 10.0.1.1:0                   Masq    1      0          0         \n"),
                listing);
        AddServiceCommand both = command(new AddServiceCommand());
        both.fwmark = "8";
        both.tcp = "10.0.0.1:80";
        CommandException e = assertThrows(CommandException.class, both::execute);
        assertEquals("multiple service types specified: -f with -t or -u", e.getMessage());
        AddServiceCommand bad = command(new AddServiceCommand());
        bad.fwmark = "0";
        e = assertThrows(CommandException.class, bad::execute);
        assertEquals("invalid fwmark value `0' specified", e.getMessage());
    }

    @Test
    void theConnectionsOfAMarkServiceAreItsTemplatesAndWhatItsRulesCover() throws Exception {
        rule(new MarkAddCommand(), "7", "tcp", "10.0.0.100", "80").execute();
        rule(new MarkAddCommand(), "7", "tcp", "10.0.0.100", "443").execute();
        rule(new MarkAddCommand(), "8", "udp", "10.0.0.100", "53").execute();
        int client = Ip4.parse("10.0.9.1"), vip = Ip4.parse("10.0.0.100"), rs = Ip4.parse("10.0.1.1");
        FakeConnectionTable conns = new FakeConnectionTable(List.of(
                new ConnectionInfo(Protocol.TCP, "ESTABLISHED", 900_000, client, 40000, vip, 80, rs, 80),
                new ConnectionInfo(Protocol.TCP, "ESTABLISHED", 900_000, client, 40001, vip, 443, rs, 443),
                new ConnectionInfo(null, "NONE", 300_000, client, 0, 7, 0, rs, 0), // mark 7's template
                new ConnectionInfo(Protocol.UDP, "UDP", 300_000, client, 40002, vip, 53, rs, 53),
                new ConnectionInfo(null, "NONE", 300_000, client, 0, 8, 0, rs, 0),
                new ConnectionInfo(Protocol.TCP, "ESTABLISHED", 900_000, client, 40003, vip, 8080, rs, 8080)));
        output.reset();
        ConnectionsCommand seven = command(new ConnectionsCommand());
        seven.connections = conns;
        seven.fwmark = "7";
        seven.execute();
        String listing = output.toString(StandardCharsets.UTF_8);
        assertTrue(listing.contains(":80 ") && listing.contains(":443 ") && listing.contains("0.0.0.7:0"), listing);
        assertTrue(!listing.contains(":53 ") && !listing.contains("0.0.0.8:0") && !listing.contains(":8080 "), listing);
        assertEquals(5, listing.split("\n").length, "the title's two lines and three entries:\n" + listing);
    }
}
