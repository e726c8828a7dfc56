package org.jlvs.shell.internal.commands.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.config.ConfigStatus;
import org.jlvs.shell.internal.commands.LvsAction;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.junit.jupiter.api.Test;

/** The configuration commands say which feature to install when its service is absent, and list as JSON. */
class AbsentServicesTest {
    private static String refusal(LvsAction command) {
        command.table = new FakeVirtualServerTable();
        return assertThrows(CommandException.class, command::execute).getMessage();
    }

    @Test
    void eachCommandNamesTheFeatureItNeeds() {
        assertEquals("the configuration is not available (feature:install jlvs-config)", refusal(new ConfigStatusCommand()));
        assertEquals("the configuration is not available (feature:install jlvs-config)", refusal(new SaveCommand()));
        RestoreCommand restore = new RestoreCommand();
        assertEquals("the configuration is not available (feature:install jlvs-config)", refusal(restore));
        ImportKeepalivedCommand imports = new ImportKeepalivedCommand();
        imports.file = "keepalived.conf";
        assertEquals("the keepalived import is not available (feature:install jlvs-import-keepalived)", refusal(imports));
    }

    /** lvs:config-status over one applied file and one refused with {@code reason}, printing to {@code out}. */
    private static ConfigStatusCommand configStatus(String reason, ByteArrayOutputStream out) {
        ConfigStatusCommand c = new ConfigStatusCommand();
        c.status = () -> List.of(
                new ConfigStatus.Entry("etc/org.jlvs.service-web.cfg", "org.jlvs.service~web", "TCP 10.0.0.1:80",
                        ConfigStatus.State.APPLIED, null),
                new ConfigStatus.Entry("etc/org.jlvs.service-bad.cfg", "org.jlvs.service~bad", null,
                        ConfigStatus.State.REJECTED, reason));
        c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        c.table = new FakeVirtualServerTable();
        return c;
    }

    @Test
    void configStatusListsAsATable() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConfigStatusCommand c = configStatus("key service: bad", out);
        c.execute();
        assertEquals("File                         | State    | Service         | Reason\n"
                + "-----------------------------+----------+-----------------+-----------------\n"
                + "etc/org.jlvs.service-web.cfg | applied  | TCP 10.0.0.1:80 |\n"
                + "etc/org.jlvs.service-bad.cfg | REJECTED | -               | key service: bad\n", out.toString(StandardCharsets.UTF_8));
        out.reset();
        c.noFormat = true;
        c.execute();
        assertEquals("etc/org.jlvs.service-web.cfg\tapplied\tTCP 10.0.0.1:80\t\n"
                + "etc/org.jlvs.service-bad.cfg\tREJECTED\t-\tkey service: bad\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void configStatusListsAsJson() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConfigStatusCommand c = configStatus("key service: \"x\"", out);
        c.json = true;
        c.execute();
        assertEquals("{\"format\":\"jlvs-config-status\",\"version\":1,\"configurations\":["
                + "{\"source\":\"etc/org.jlvs.service-web.cfg\",\"pid\":\"org.jlvs.service~web\",\"service\":\"TCP 10.0.0.1:80\","
                + "\"state\":\"APPLIED\",\"reason\":null},"
                + "{\"source\":\"etc/org.jlvs.service-bad.cfg\",\"pid\":\"org.jlvs.service~bad\",\"service\":null,"
                + "\"state\":\"REJECTED\",\"reason\":\"key service: \\\"x\\\"\"}]}\n", out.toString(StandardCharsets.UTF_8));
    }
}
