package org.jlvs.ipvsadm;

/**
 * A configuration text that does not parse or does not validate, with where it went wrong ("line 3",
 * "key server.2 (-r 10.0.0.1:80 -m -w x)", "services[0].servers[1].weight (line 12)") and why. The message
 * reads "WHERE: REASON", so an operator sees both on one line.
 */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String where;
    private final String reason;

    public ConfigException(String where, String reason) {
        super(where == null || where.isEmpty() ? reason : where + ": " + reason);
        this.where = where;
        this.reason = reason;
    }

    /** The place in the text (line, key or JSON path); may be empty for a whole-text problem. */
    public String where() { return where; }

    public String reason() { return reason; }

    /** The same problem, placed inside a larger source ("etc/x.cfg", "rules.txt"). */
    public ConfigException in(String source) {
        return new ConfigException(where == null || where.isEmpty() ? source : source + ": " + where, reason);
    }
}
