package org.jlvs.ha.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a refused setting came from: the etc/*.cfg file that Karaf's file install read the configuration from
 * ({@code felix.fileinstall.filename}) and the line of the key, so that the operator sees "file:line: key:
 * reason". Nothing when the configuration did not come from a file (Config Admin set directly).
 */
final class ConfigOrigin {
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private ConfigOrigin() {}

    /** "path:line: " of {@code key} in the configuration's file, "path: " without the line, or "" without a file. */
    static String of(Map<String, ?> properties, String key) {
        Object name = properties.get(FILE_PROPERTY);
        if (name == null) return "";
        Path file;
        try {
            String text = name.toString();
            file = text.startsWith("file:") ? Path.of(URI.create(text)) : Path.of(text);
        } catch (RuntimeException e) {
            return name + ": ";
        }
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (line.startsWith(key) && line.substring(key.length()).trim().matches("[=:].*")) {
                    return file + ":" + (i + 1) + ": ";
                }
            }
        } catch (IOException | RuntimeException e) {
            // the file went away or is unreadable: the name alone
        }
        return file + ": ";
    }

    /** The key a ConfigReader message starts with ("key: reason"). */
    static String keyOf(String message) {
        int colon = message == null ? -1 : message.indexOf(": ");
        return colon < 0 ? "" : message.substring(0, colon);
    }
}
