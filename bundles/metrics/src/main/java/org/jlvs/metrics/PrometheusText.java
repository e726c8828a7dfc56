package org.jlvs.metrics;

/**
 * The Prometheus text exposition format (version 0.0.4), written by hand: a metric family is a HELP and a TYPE
 * line followed by its samples. One small class instead of the Prometheus Java client, because that client is not
 * an OSGi bundle (it would have to be embedded, with its protobuf dependency) and jlvs needs only this writer.
 */
public final class PrometheusText {
    private final StringBuilder out;

    public PrometheusText(StringBuilder out) { this.out = out; }

    /** Starts a family: {@code type} is counter, gauge or untyped. */
    public PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ');
        escape(help, false);
        out.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** A sample without labels. */
    public PrometheusText sample(String name, double value) {
        out.append(name).append(' ');
        number(value);
        out.append('\n');
        return this;
    }

    /** A sample; {@code labels} alternates names and values. */
    public PrometheusText sample(String name, double value, String... labels) {
        if (labels.length % 2 != 0) throw new IllegalArgumentException("labels come in name/value pairs");
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) out.append(',');
                out.append(labels[i]).append("=\"");
                escape(labels[i + 1], true);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ');
        number(value);
        out.append('\n');
        return this;
    }

    private void number(double v) {
        if (Double.isNaN(v)) out.append("NaN");
        else if (Double.isInfinite(v)) out.append(v > 0 ? "+Inf" : "-Inf");
        else if (v == Math.rint(v) && Math.abs(v) < 1e15) out.append((long) v);
        else out.append(v);
    }

    // HELP escapes backslash and newline; label values also escape the double quote.
    private void escape(String s, boolean quote) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') out.append("\\\\");
            else if (c == '\n') out.append("\\n");
            else if (c == '"' && quote) out.append("\\\"");
            else out.append(c);
        }
    }
}
