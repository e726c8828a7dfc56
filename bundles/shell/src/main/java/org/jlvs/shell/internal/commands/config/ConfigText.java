package org.jlvs.shell.internal.commands.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Where lvs:save, lvs:restore and lvs:import-keepalived read and write. */
final class ConfigText {
    private ConfigText() {}

    /** A file named relative to the Karaf base (the distribution's folder), or absolute. */
    static Path path(String file) {
        Path p = Path.of(file);
        String base = System.getProperty("karaf.base");
        return p.isAbsolute() || base == null ? p : Path.of(base).resolve(p);
    }

    static String read(String file, InputStream in) throws IOException {
        return file == null ? new String(in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(path(file), StandardCharsets.UTF_8);
    }

    /** Written beside the target, then moved over it: a reader never sees half a file. */
    static Path write(String file, String text) throws IOException {
        Path target = path(file).toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}
