package org.jlvs.check.http.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Reads an HTTP/1.x response as it arrives: the status line and headers, then (only when a digest or regex
 * needs it) the body, de-chunked, into an MD5 and a bounded text buffer. {@link #feed} says when enough has
 * been read; {@link #verdict} judges it against the options.
 */
final class ResponseParser {
    static final int MAX_HEAD = 64 * 1024;
    static final int MAX_REGEX_BODY = 1024 * 1024;

    private enum Chunk { SIZE, DATA, DATA_END, TRAILER }

    private final HttpOptions options;
    private final MessageDigest md5;
    private final ByteArrayOutputStream text;
    private final byte[] head = new byte[MAX_HEAD];
    private int headLength;
    private boolean headDone;
    private boolean complete;
    private String error;
    int status = -1;
    private long contentLength = -1;
    private boolean chunked;
    private long bodyRead;
    private Chunk chunk = Chunk.SIZE;
    private long chunkLeft;
    private final StringBuilder line = new StringBuilder();

    ResponseParser(HttpOptions options) {
        this.options = options;
        try {
            md5 = options.digest() != null ? MessageDigest.getInstance("MD5") : null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no MD5 in this JVM", e);
        }
        text = options.regex() != null ? new ByteArrayOutputStream() : null;
    }

    /** Consumes bytes; true once the response is complete (or broken: see {@link #verdict}). */
    boolean feed(ByteBuffer in) {
        while (in.hasRemaining() && !complete) {
            if (!headDone) {
                byte b = in.get();
                if (headLength == MAX_HEAD) return broken("response headers longer than " + MAX_HEAD + " bytes");
                head[headLength++] = b;
                if (b == '\n' && endsHead()) {
                    parseHead();
                    if (complete) return true;
                }
            } else {
                body(in);
            }
        }
        return complete;
    }

    /** The server closed the connection. */
    void end() {
        if (complete) return;
        if (!headDone) {
            broken(headLength == 0 ? "connection closed without a response" : "connection closed inside the response headers");
        } else if (chunked || (contentLength >= 0 && bodyRead < contentLength)) {
            broken("connection closed before the end of the body");
        } else {
            complete = true;
        }
    }

    /** null when the response passes, else the reason it does not. */
    String verdict() {
        if (error != null) return error;
        if (!complete) return "incomplete response";
        if (!options.statusAccepted(status)) return "HTTP status " + status;
        if (md5 != null) {
            byte[] got = md5.digest();
            if (!MessageDigest.isEqual(got, options.digest())) {
                return "digest mismatch: body MD5 is " + HexFormat.of().formatHex(got);
            }
        }
        if (text != null) {
            boolean found = options.regex().matcher(new String(text.toByteArray(), StandardCharsets.ISO_8859_1)).find();
            if (found == options.regexNoMatch()) return found ? "regex matched the body" : "regex did not match the body";
        }
        return null;
    }

    private boolean endsHead() {
        int n = headLength;
        return (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r')
                || (n >= 2 && head[n - 2] == '\n'); // bare LF line endings, tolerated
    }

    private void parseHead() {
        headDone = true;
        String[] lines = new String(head, 0, headLength, StandardCharsets.ISO_8859_1).split("\r?\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            broken("not an HTTP response: " + abbreviate(lines[0]));
            return;
        }
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            broken("bad status line: " + abbreviate(lines[0]));
            return;
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) continue;
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    broken("bad Content-Length: " + abbreviate(value));
                    return;
                }
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        // the status line decides unless the body is to be judged too; a body-less status has no body
        if (!options.needsBody() || status == 204 || status == 304 || (!chunked && contentLength == 0)) complete = true;
    }

    private void body(ByteBuffer in) {
        if (!chunked) {
            int n = in.remaining();
            if (contentLength >= 0) n = (int) Math.min(n, contentLength - bodyRead);
            take(in, n);
            if (contentLength >= 0 && bodyRead == contentLength) complete = true;
            return;
        }
        while (in.hasRemaining() && !complete) {
            switch (chunk) {
                case SIZE, TRAILER -> {
                    char c = (char) (in.get() & 0xff);
                    if (c != '\n') {
                        if (line.length() > 1024) {
                            broken("bad chunked encoding");
                            return;
                        }
                        line.append(c);
                        continue;
                    }
                    String l = line.toString().trim();
                    line.setLength(0);
                    if (chunk == Chunk.TRAILER) {
                        if (l.isEmpty()) complete = true;
                        continue;
                    }
                    int semi = l.indexOf(';');
                    try {
                        chunkLeft = Long.parseLong(semi < 0 ? l : l.substring(0, semi).trim(), 16);
                    } catch (NumberFormatException e) {
                        broken("bad chunk size: " + abbreviate(l));
                        return;
                    }
                    chunk = chunkLeft == 0 ? Chunk.TRAILER : Chunk.DATA;
                }
                case DATA -> {
                    int n = (int) Math.min(in.remaining(), chunkLeft);
                    take(in, n);
                    chunkLeft -= n;
                    if (chunkLeft == 0) chunk = Chunk.DATA_END;
                }
                case DATA_END -> {
                    if (in.get() == '\n') chunk = Chunk.SIZE;
                }
            }
        }
    }

    private void take(ByteBuffer in, int n) {
        ByteBuffer slice = in.slice(in.position(), n);
        if (md5 != null) md5.update(slice.duplicate());
        if (text != null && text.size() < MAX_REGEX_BODY) {
            byte[] b = new byte[Math.min(n, MAX_REGEX_BODY - text.size())];
            slice.duplicate().get(b);
            text.write(b, 0, b.length);
        }
        in.position(in.position() + n);
        bodyRead += n;
    }

    private boolean broken(String why) {
        if (error == null) error = why;
        complete = true;
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
