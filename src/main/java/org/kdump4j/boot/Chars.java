package org.kdump4j.boot;

/**
 * The few {@link String} searches the boot parsers need, on any {@link CharSequence}, so the parsers
 * can run over an instrumented sequence in tests that prove their work is linear in the input.
 */
final class Chars {
    private Chars() {
    }

    static int indexOf(CharSequence s, char c, int from) {
        return indexOf(s, c, from, s.length());
    }

    /** The first {@code c} in {@code [from, to)}, or -1. */
    static int indexOf(CharSequence s, char c, int from, int to) {
        for (int i = Math.max(from, 0); i < Math.min(to, s.length()); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** Naive search: at most {@code needle.length()} comparisons per position. */
    static int indexOf(CharSequence s, String needle, int from) {
        int last = s.length() - needle.length();
        for (int i = Math.max(from, 0); i <= last; i++) {
            if (startsWith(s, needle, i)) {
                return i;
            }
        }
        return -1;
    }

    static boolean startsWith(CharSequence s, String prefix, int at) {
        if (at < 0 || at + prefix.length() > s.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (s.charAt(at + k) != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static String substring(CharSequence s, int from, int to) {
        return s.subSequence(from, to).toString();
    }
}
