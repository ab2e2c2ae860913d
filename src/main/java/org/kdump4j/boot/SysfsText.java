package org.kdump4j.boot;

/**
 * A tiny strict reader for the one-value sysfs files of kexec ({@code kexec_loaded},
 * {@code kexec_crash_size}, {@code cpuN/crash_notes}, ...), so each of them is checked against the
 * kernel's exact {@code printf} format and errors carry the position.
 */
final class SysfsText {
    private final String file;
    private final String text;
    private final int limit;
    private int pos;

    SysfsText(String file, String text) {
        this.file = file;
        this.text = text;
        this.limit = text.endsWith("\n") ? text.length() - 1 : text.length();
    }

    /** Reads hex digits (at most 64 bits), after an optional {@code 0x} if {@code prefixAllowed}. */
    long hex(boolean prefixAllowed, String what) throws BootParseException {
        if (prefixAllowed && pos + 2 < limit && text.charAt(pos) == '0' && (text.charAt(pos + 1) | 0x20) == 'x') {
            pos += 2;
        }
        int begin = pos;
        long v = 0;
        while (pos < limit && text.charAt(pos) < 0x80 && Character.digit(text.charAt(pos), 16) >= 0) {
            if ((v >>> 60) != 0) {
                throw error(what + " does not fit in 64 bits");
            }
            v = v << 4 | Character.digit(text.charAt(pos), 16);
            pos++;
        }
        if (pos == begin) {
            throw error("hexadecimal " + what + " expected, found " + found());
        }
        return v;
    }

    /** Reads a non-negative decimal number that fits in a signed 64-bit value. */
    long decimal(String what) throws BootParseException {
        int begin = pos;
        long v = 0;
        while (pos < limit && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            int d = text.charAt(pos) - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                throw error(what + " is too large");
            }
            v = v * 10 + d;
            pos++;
        }
        if (pos == begin) {
            throw error("decimal " + what + " expected, found " + found());
        }
        return v;
    }

    void expect(char c, String what) throws BootParseException {
        if (pos >= limit || text.charAt(pos) != c) {
            throw error(what + " expected, found " + found());
        }
        pos++;
    }

    /** Checks that nothing but the optional final newline remains. */
    void end() throws BootParseException {
        if (pos != limit) {
            throw error("unexpected " + found() + " after the value");
        }
    }

    private String found() {
        if (pos >= limit) {
            return pos < text.length() ? "end of line" : "end of file";
        }
        return MemorySize.describe(text.charAt(pos));
    }

    private BootParseException error(String reason) {
        return new BootParseException(file, reason, pos);
    }

    // ---- the individual files ------------------------------------------------------------------

    /** {@code kexec_loaded}, {@code kexec_crash_loaded}: {@code "%d\n"} of 0 or 1. */
    static boolean flag(String file, String text) throws BootParseException {
        SysfsText t = new SysfsText(file, text);
        long v = t.decimal("0 or 1");
        if (v > 1 || t.pos != 1) {
            t.pos = 0;
            throw t.error("0 or 1 expected, found " + MemorySize.quote(text.strip()));
        }
        t.end();
        return v == 1;
    }

    /** {@code kexec_crash_size}, {@code crash_notes_size}: a decimal byte count. */
    static long bytes(String file, String text) throws BootParseException {
        SysfsText t = new SysfsText(file, text);
        long v = t.decimal("byte count");
        t.end();
        return v;
    }

    /** {@code cpuN/crash_notes}: {@code "%llx\n"}, hex without {@code 0x}. */
    static long hexAddress(String file, String text) throws BootParseException {
        SysfsText t = new SysfsText(file, text);
        long v = t.hex(false, "physical address");
        t.end();
        return v;
    }
}
