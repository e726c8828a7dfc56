package org.jlvs.check.support;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line as keepalived does for scripts: words separated by blanks, single or double quotes
 * keep blanks inside a word, a backslash escapes the next character. No shell is involved. Used for
 * MISC_CHECK's misc_path and for notify_up/notify_down.
 */
public final class CommandLine {
    private CommandLine() {}

    /** @param what names the setting in error messages ("misc_path", "command") */
    public static List<String> split(String line, String what) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\\' && i + 1 < line.length() && quote != '\'') {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (quote != 0) {
                if (ch == quote) quote = 0;
                else word.append(ch);
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
            } else {
                word.append(ch);
                inWord = true;
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unbalanced quote in " + what + ": " + line);
        if (inWord) words.add(word.toString());
        if (words.isEmpty()) throw new IllegalArgumentException("empty " + what);
        return words;
    }
}
