package org.jlvs.keepalived.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jlvs.ipvsadm.ConfigException;

/**
 * The text of a keepalived.conf as keepalived reads it: bytes, lines, and its {@code include} lines replaced by
 * the files they name, with the origin (file and line) of every line kept, so that whatever is said about a
 * statement names the file and line the operator wrote it in.
 *
 * <p>As keepalived: a file is bytes, not text of one encoding. A line that is valid UTF-8 is read as UTF-8, any
 * other as ISO-8859-1 (lossless: a Latin-1 comment is just a comment). {@code include FILE} (and its variants
 * includer, includem, includew, includeb, includea) is the first word of a line; FILE is relative to the directory
 * of the file that includes it and may hold wildcards and brace lists ({@code conf.d/*.conf},
 * {@code {a,b}.conf}), matched in sorted order as glob() does. A pattern that matches nothing is a warning, as in
 * keepalived ("Config files missing"); an include loop or nesting deeper than {@value #MAX_DEPTH} is refused.
 *
 * <p>Lines are numbered 1.. through the whole expanded text; {@link #where(int)} turns such a number back into
 * "FILE:LINE" (or "line N" for a text that came from no file).
 */
public final class KeepalivedSource {
    /** keepalived has no documented bound; this one stops runaway nesting well beyond any real layout. */
    static final int MAX_DEPTH = 8;
    private static final Set<String> INCLUDES = Set.of("include", "includer", "includem", "includew", "includeb",
            "includea");
    private static final Pattern LINE_REF = Pattern.compile("^line (\\d+)");

    private final List<String> lines = new ArrayList<>();
    /** For each line (index = number - 1): the file it came from (null: no file) and its line there. */
    private final List<String> files = new ArrayList<>();
    private final List<Integer> fileLines = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Path base;

    private KeepalivedSource(Path base) {
        this.base = base;
    }

    /** A text given as such (a test, a paste): no includes are followed, lines are "line N". */
    public static KeepalivedSource of(String text) {
        KeepalivedSource s = new KeepalivedSource(null);
        String[] split = text.split("\r?\n", -1);
        int n = split.length > 0 && split[split.length - 1].isEmpty() ? split.length - 1 : split.length;
        for (int i = 0; i < n; i++) s.add(split[i], null, i + 1);
        return s;
    }

    /** A file and what it includes; throws ConfigException (FILE:LINE: ...) for what keepalived cannot read. */
    public static KeepalivedSource read(Path file) throws IOException {
        Path main = file.toAbsolutePath().normalize();
        KeepalivedSource s = new KeepalivedSource(main.getParent());
        s.readFile(main, new ArrayList<>());
        return s;
    }

    private void readFile(Path file, List<Path> stack) throws IOException {
        stack.add(file.toRealPath());
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        int number = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i < bytes.length && bytes[i] != '\n') continue;
            if (i == bytes.length && start == i) break; // no line after the last newline
            int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
            String line = decode(bytes, start, end - start);
            number++;
            start = i + 1;
            String[] words = line.strip().split("\\s+", 3);
            if (INCLUDES.contains(words[0]) && words.length >= 2) {
                include(file, number, words[1], stack);
            } else {
                add(line, file, number);
            }
        }
        stack.remove(stack.size() - 1);
    }

    private void include(Path from, int line, String pattern, List<Path> stack) throws IOException {
        String where = name(from) + ":" + line;
        if (pattern.length() > 1 && pattern.startsWith("\"") && pattern.endsWith("\"")) {
            pattern = pattern.substring(1, pattern.length() - 1);
        }
        if (stack.size() >= MAX_DEPTH) {
            throw new ConfigException(where, "include " + pattern + ": includes nested deeper than " + MAX_DEPTH);
        }
        List<Path> matches = glob(from.getParent(), pattern);
        if (matches.isEmpty()) {
            // keepalived: "Config files missing" and it goes on; the line keeps its place for the warning
            add("", from, line);
            warnings.add("line " + lines.size() + ": include " + pattern + ": no file matches (keepalived goes on"
                    + " without it)");
            return;
        }
        for (Path p : matches) {
            if (stack.contains(p.toRealPath())) {
                throw new ConfigException(where, "include " + pattern + ": " + name(p) + " is already being read (an"
                        + " include loop)");
            }
            readFile(p, stack);
        }
    }

    /** The regular files a glob pattern names, relative to {@code dir}, in sorted order. */
    static List<Path> glob(Path dir, String pattern) throws IOException {
        Path p = Path.of(pattern);
        List<Path> at = new ArrayList<>(List.of(p.isAbsolute() ? p.getRoot() : dir));
        for (Path part : p) {
            String name = part.toString();
            List<Path> next = new ArrayList<>();
            boolean wild = name.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
            for (Path d : at) {
                if (!wild) {
                    Path q = d.resolve(name);
                    if (Files.exists(q)) next.add(q);
                    continue;
                }
                if (!Files.isDirectory(d)) continue;
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, name)) {
                    List<Path> found = new ArrayList<>();
                    for (Path q : ds) {
                        if (!q.getFileName().toString().startsWith(".") || name.startsWith(".")) found.add(q);
                    }
                    found.sort(null);
                    next.addAll(found);
                }
            }
            at = next;
        }
        at.removeIf(q -> !Files.isRegularFile(q));
        return at;
    }

    private static String decode(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(Arrays.copyOfRange(bytes, offset, offset + length), StandardCharsets.ISO_8859_1);
        }
    }

    private void add(String line, Path file, int number) {
        lines.add(line);
        files.add(file == null ? null : name(file));
        fileLines.add(number);
    }

    /** A file as the operator knows it: relative to the main file's directory when inside it. */
    private String name(Path file) {
        if (base != null && file.startsWith(base)) return base.relativize(file).toString();
        return file.toString();
    }

    /** The lines of the whole text, includes expanded. */
    public List<String> lines() {
        return lines;
    }

    /** "line N: ..." warnings of reading (includes that match nothing). */
    public List<String> warnings() {
        return warnings;
    }

    /** Line N (1..) of the expanded text as "FILE:LINE", or "line N" for a text of no file. */
    public String where(int line) {
        if (line < 1 || line > lines.size()) return "line " + line;
        String file = files.get(line - 1);
        return file == null ? "line " + fileLines.get(line - 1) : file + ":" + fileLines.get(line - 1);
    }

    /** A message "line N: ..." (N of the expanded text) with its place named as the operator wrote it. */
    public String place(String message) {
        Matcher m = LINE_REF.matcher(message);
        return m.find() ? where(Integer.parseInt(m.group(1))) + message.substring(m.end()) : message;
    }

    /** The same for an error whose place is "line N". */
    public ConfigException place(ConfigException e) {
        String where = e.where();
        if (where == null || !LINE_REF.matcher(where).matches()) return e;
        return new ConfigException(place(where), e.reason());
    }
}
