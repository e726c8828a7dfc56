package org.jlvs.api.spi;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The one-line reason a PacketIo gives when a native library cannot be loaded, for the operator's listings:
 * "NAME cannot be loaded: the loader's reason - HINT". Shared so that every PacketIo says it the same way.
 */
public final class NativeLibraryMissing {
    private NativeLibraryMissing() {
    }

    /** @param e the LinkageError (or a throwable with one in its cause chain) the loader threw */
    public static String reason(String library, Throwable e, String hint) {
        Throwable reason = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnsatisfiedLinkError) {
                reason = t;
                break;
            }
        }
        String text = reason.getMessage() != null ? reason.getMessage().strip() : reason.toString();
        // JNA lists each place it tried, some twice, and then its whole class path: keep the places, once each
        Set<String> parts = new LinkedHashSet<>();
        for (String line : text.split("\\R")) {
            String part = line.strip();
            if (!part.isEmpty() && !part.startsWith("Native library (")) parts.add(part);
        }
        String oneLine = String.join("; ", parts).replace(":; ", ": ");
        return library + " cannot be loaded: " + oneLine + " - " + hint;
    }
}
