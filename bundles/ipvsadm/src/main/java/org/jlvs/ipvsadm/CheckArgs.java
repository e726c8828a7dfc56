package org.jlvs.ipvsadm;

import java.util.Map;

import org.jlvs.api.CheckSpec;

/**
 * A health check as lvs:check-add's options, in the words {@link IpvsadmRules#words} reads back: how the
 * check persistence stores a check and how the keepalived import prints one.
 */
public final class CheckArgs {
    private CheckArgs() {}

    /** A check as lvs:check-add's options: "-r 10.0.1.1:80 --type http --path /health --alpha". */
    public static String of(CheckSpec spec) {
        StringBuilder sb = new StringBuilder("-r ").append(spec.server())
                .append(" --type ").append(spec.type());
        for (Map.Entry<String, String> e : spec.options().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            sb.append(" --").append(e.getKey().replace('_', '-'));
            String v = e.getValue();
            if (!v.isEmpty()) sb.append(' ').append(quoted(v));
        }
        return sb.toString();
    }

    /** A value as one word for IpvsadmRules.words (which has quotes but no escapes). */
    static String quoted(String v) {
        if (v.isEmpty()) return "\"\"";
        if (v.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'')) return v;
        return v.indexOf('"') < 0 ? '"' + v + '"' : '\'' + v + '\'';
    }
}
