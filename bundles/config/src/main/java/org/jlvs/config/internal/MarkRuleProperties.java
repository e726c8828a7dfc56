package org.jlvs.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jlvs.api.MarkRule;
import org.jlvs.ipvsadm.ConfigException;

/**
 * The mark classifier's rules as the properties of the Config Admin configuration {@value #PID}
 * (etc/org.jlvs.marks.cfg): one key per rule, in the rule's text form, numbered in order:
 * <pre>
 * rule.1 = 1 tcp 10.0.0.100 80
 * rule.2 = 1 tcp 10.0.0.100 443
 * rule.3 = 2 any 10.0.0.10-20
 * </pre>
 * One configuration holds every rule because the rules are checked together (two rules of different marks
 * must not overlap) and replaced together.
 */
public final class MarkRuleProperties {
    private MarkRuleProperties() {}

    public static final String PID = "org.jlvs.marks";
    static final String RULE = "rule.";

    public static Map<String, String> toProperties(List<MarkRule> rules) {
        Map<String, String> props = new LinkedHashMap<>();
        int n = 1;
        for (MarkRule r : rules) props.put(RULE + n++, r.toString());
        return props;
    }

    /** The rules in the order of their numbers; ConfigException names a bad key or rule. */
    public static List<MarkRule> parse(Map<String, ?> props) {
        TreeMap<Long, MarkRule> rules = new TreeMap<>();
        for (Map.Entry<String, ?> e : props.entrySet()) {
            String key = e.getKey();
            if (ServiceProperties.ignored(key)) continue;
            String number = key.startsWith(RULE) ? key.substring(RULE.length()) : "";
            if (number.isEmpty() || number.length() > 9 || !number.chars().allMatch(Character::isDigit)) {
                throw new ConfigException("key " + key, "unknown key: the mark rules' file holds 'rule.N' (N a"
                        + " number) only");
            }
            try {
                rules.put(Long.parseLong(number), MarkRule.parse(String.valueOf(e.getValue())));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException("key " + key, ex.getMessage());
            }
        }
        return new ArrayList<>(rules.values());
    }
}
