package org.jlvs.api.config;

import java.io.PrintStream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The table written as a document and made what a document says (lvs:save, lvs:restore). Offered by
 * jlvs-config, which reads and writes jlvs's JSON format; ipvsadm's rules text (ipvsadm-save) is the other format.
 */
@ProviderType
public interface ConfigArchive {
    /** The two formats of a saved configuration. */
    enum Format {
        /** jlvs's versioned JSON document, every setting. */
        JSON,
        /** ipvsadm-save's rules (ipvsadm -S -n): no thresholds. */
        IPVSADM;

        /** "json" or "ipvsadm" (as --format takes it); IllegalArgumentException names anything else. */
        public static Format parse(String name) {
            if ("json".equals(name)) return JSON;
            if ("ipvsadm".equals(name)) return IPVSADM;
            throw new IllegalArgumentException("bad format '" + name + "': must be json or ipvsadm");
        }

        /** JSON when the text starts with '{', ipvsadm rules otherwise. */
        public static Format of(String text) {
            return text.stripLeading().startsWith("{") ? JSON : IPVSADM;
        }
    }

    /** The virtual services and real servers of the table in this format. */
    String save(Format format);

    /** How many services {@link #save} writes now. */
    int size();

    /**
     * Makes the table what {@code text} says, checked first and applied all or nothing; services that already
     * match are not touched. Without {@code merge}, services absent from the text are deleted. Prints the plan
     * (with {@code dryRun}, without applying it) and a summary naming {@code source} on {@code out}. A refused
     * text throws IllegalArgumentException with the reason, naming {@code source}, and changes nothing.
     */
    void restore(String text, Format format, String source, boolean merge, boolean dryRun, PrintStream out);
}
