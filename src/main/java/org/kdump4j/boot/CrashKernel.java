package org.kdump4j.boot;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code crashkernel=} settings of a kernel command line, evaluated exactly as the kernel's
 * {@code parse_crashkernel()} does for a given RAM size, so a tool can tell in advance what a machine
 * will reserve, or precisely why it will reserve nothing.
 *
 * <p>How the kernel finds the setting (modelled faithfully, including its surprises):
 * <ul>
 *   <li>The raw line is searched for the <em>substring</em> {@code crashkernel=}; the search is not
 *       token-aware, so {@code xcrashkernel=}, a quoted value containing it, and init arguments after
 *       {@code --} all count. {@link KernelCommandLine} is deliberately not used here.</li>
 *   <li>A token ends at the next space (only a space: a tab is part of the value) or at the end.</li>
 *   <li>Tokens are put in classes by how they end: {@code ,high}, {@code ,low}, {@code ,cma}
 *       (6.17+), and plain (all others); in each class the <em>last</em> token wins.</li>
 *   <li>A plain token wins over {@code ,high}/{@code ,low}, which are then ignored entirely;
 *       {@code ,low} alone is an error; {@code ,cma} needs a plain or {@code ,high} reservation and a
 *       malformed {@code ,cma} value is silently read as far as its number goes.</li>
 *   <li>A plain value with a {@code :} is the range syntax {@code start-[end]:size[,...][@offset]},
 *       otherwise the simple syntax {@code size[@offset]}; see the rules on {@link CrashKernelProblem}.</li>
 * </ul>
 * The release and architecture ({@link CrashKernelRules}) select the 128 MiB rounding (5.17+), the
 * {@code ,cma} class (6.17+), whether {@code ,high}/{@code ,low} are read at all, and on x86 before
 * the generic code (6.6) the older fallbacks: a failing or zero plain setting falls back to
 * {@code ,high}, a malformed {@code ,low} means the default, and the "size below RAM" check is left
 * to the allocation ({@link CrashKernelPlan} reports it).
 *
 * <p>Work is linear in the length of the text. Instances are immutable and thread-safe.
 */
public final class CrashKernel {
    /** The parameter prefix the kernel searches for. */
    public static final String PARAMETER = "crashkernel=";

    private static final long ROUNDING = 128 * MemorySize.MIB;
    private static final String HIGH = ",high";
    private static final String LOW = ",low";
    private static final String CMA = ",cma";

    private final CharSequence text;
    private final int shift;

    private CrashKernel(CharSequence text, int shift) {
        int nul = Chars.indexOf(text, '\0', 0);
        this.text = nul < 0 ? text : text.subSequence(0, nul);
        this.shift = shift;
    }

    /** For tests that count the work done: any character sequence as a command line. */
    static CrashKernel ofChars(CharSequence line) {
        return new CrashKernel(line, 0);
    }

    /**
     * Takes a whole command line (as in {@code /proc/cmdline}); a NUL ends it, as for the kernel.
     * Error positions are indexes into {@code line}.
     */
    public static CrashKernel ofCommandLine(String line) {
        return new CrashKernel(Objects.requireNonNull(line, "line"), 0);
    }

    /**
     * Takes one value, the text after {@code crashkernel=} (e.g. {@code 512M-2G:64M,2G-:128M} or
     * {@code 512M,high}). Error positions are indexes into {@code value}.
     *
     * @throws IllegalArgumentException if the value contains a space or a NUL (it would not be one token)
     */
    public static CrashKernel ofValue(String value) {
        Objects.requireNonNull(value, "value");
        if (value.indexOf(' ') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a crashkernel= value cannot contain a space or NUL: " + MemorySize.quote(value));
        }
        return new CrashKernel(PARAMETER + value, PARAMETER.length());
    }

    /** Takes a value if {@code text} does not contain {@code crashkernel=}, otherwise a command line. */
    public static CrashKernel of(String text) {
        return Objects.requireNonNull(text, "text").contains(PARAMETER) ? ofCommandLine(text) : ofValue(text);
    }

    /** Whether the text contains {@code crashkernel=} at all (a NUL ends the text). */
    public boolean isPresent() {
        return Chars.indexOf(text, PARAMETER, 0) >= 0;
    }

    /**
     * Evaluates the settings for a machine, as {@code parse_crashkernel()} would.
     *
     * @param systemRam the RAM size the architecture passes ({@code memblock_phys_mem_size()} on x86,
     *     arm64, riscv: the sum of {@code System RAM} ranges; on powerpc {@code mem=} if given)
     * @param rules the architecture and release
     * @return what is handed to the reservation code, or empty when the line has no {@code crashkernel=}
     * @throws CrashKernelException when the kernel would refuse the setting and reserve nothing
     */
    public Optional<CrashKernelValue> parse(long systemRam, CrashKernelRules rules) throws CrashKernelException {
        if (systemRam < 0) {
            throw new IllegalArgumentException("systemRam must be >= 0: " + systemRam);
        }
        Objects.requireNonNull(rules, "rules");
        Tokens t = locate(rules);
        if (t.none()) {
            return Optional.empty();
        }
        if (rules.legacyX86Reservation()) {
            return Optional.of(parseLegacyX86(t, systemRam, rules));
        }
        long size;
        long base = 0;
        long low = 0;
        boolean high = false;
        int sizeAt;
        Token sizeToken;
        if (t.plain != null) {
            sizeToken = t.plain;
            long[] sizeBaseAt = parsePlain(t.plain, systemRam, rules);
            size = sizeBaseAt[0];
            base = sizeBaseAt[1];
            sizeAt = (int) sizeBaseAt[2];
        } else if (rules.readsHighLow() && t.high != null) {
            sizeToken = t.high;
            sizeAt = t.high.valueStart;
            size = parseSuffix(t.high, HIGH);
            if (size == 0) {
                throw error(CrashKernelProblem.ZERO_SIZE, t.high, sizeAt,
                        "size is 0" + wrapNote(sizeAt) + "; the ,high form needs a non-zero size");
            }
            low = t.low == null ? rules.arch().defaultLowSize() : parseSuffix(t.low, LOW);
            high = true;
        } else if (rules.readsHighLow() && t.low != null) {
            throw error(CrashKernelProblem.LOW_WITHOUT_HIGH, t.low, t.low.start,
                    "crashkernel=Y,low is only read together with crashkernel=X,high");
        } else if (rules.readsCma() && t.cma != null) {
            throw error(CrashKernelProblem.CMA_WITHOUT_RESERVATION, t.cma, t.cma.start,
                    "crashkernel=Z,cma needs a plain or ,high crashkernel= reservation as well");
        } else {
            Token unread = t.lastSuffixToken();
            throw error(CrashKernelProblem.SUFFIX_NOT_READ, unread, unread.start,
                    "this form is not read on " + rules.arch() + " with Linux " + rules.version()
                            + " (only crashkernel=size[@offset] and range lists are)");
        }
        long cma = rules.readsCma() && t.cma != null ? MemorySize.memparse(text, t.cma.valueStart).value() : 0;
        if (size == 0) {
            throw error(CrashKernelProblem.ZERO_SIZE, sizeToken, sizeAt,
                    "size is 0" + wrapNote(sizeAt));
        }
        if (Long.compareUnsigned(size, systemRam) >= 0) {
            throw error(CrashKernelProblem.SIZE_NOT_BELOW_RAM, sizeToken, sizeAt, "size "
                    + MemorySize.format(size) + " is not below the RAM size " + MemorySize.format(systemRam));
        }
        return Optional.of(new CrashKernelValue(size, base, low, high, cma));
    }

    /**
     * x86 before the generic code (Linux 6.6): any failure of the plain form (absent, malformed, no
     * matching range, size 0) falls back to {@code ,high}; an absent or malformed {@code ,low} means
     * the default low size; there is no "size below RAM" check outside range entries.
     */
    private CrashKernelValue parseLegacyX86(Tokens t, long systemRam, CrashKernelRules rules) throws CrashKernelException {
        CrashKernelException plainError = null;
        if (t.plain != null) {
            try {
                long[] sizeBaseAt = parsePlain(t.plain, systemRam, rules);
                if (sizeBaseAt[0] != 0) {
                    return new CrashKernelValue(sizeBaseAt[0], sizeBaseAt[1], 0, false, 0);
                }
                plainError = error(CrashKernelProblem.ZERO_SIZE, t.plain, (int) sizeBaseAt[2],
                        "size is 0" + wrapNote((int) sizeBaseAt[2]));
            } catch (CrashKernelException e) {
                plainError = e;
            }
        }
        if (t.high != null && rules.readsHighLow()) {
            try {
                long size = parseSuffix(t.high, HIGH);
                if (size != 0) {
                    long low = rules.arch().defaultLowSize();
                    if (t.low != null) {
                        try {
                            low = parseSuffix(t.low, LOW);
                        } catch (CrashKernelException e) {
                            low = rules.arch().defaultLowSize(); // a malformed ,low silently means the default here
                        }
                    }
                    return new CrashKernelValue(size, 0, low, true, 0);
                }
                if (plainError == null) {
                    plainError = error(CrashKernelProblem.ZERO_SIZE, t.high, t.high.valueStart, "size is 0");
                }
            } catch (CrashKernelException e) {
                if (plainError == null) {
                    plainError = e;
                }
            }
        }
        if (plainError != null) {
            throw plainError;
        }
        if (t.low != null && rules.readsHighLow()) {
            throw error(CrashKernelProblem.LOW_WITHOUT_HIGH, t.low, t.low.start,
                    "crashkernel=Y,low is only read together with crashkernel=X,high");
        }
        Token unread = t.lastSuffixToken();
        throw error(CrashKernelProblem.SUFFIX_NOT_READ, unread, unread.start,
                "this form is not read on " + rules.arch() + " with Linux " + rules.version());
    }

    /**
     * Evaluates the settings and what the reservation code then does with them on {@code rules.arch()}.
     *
     * @return the plan, or empty when the line has no {@code crashkernel=}
     * @throws CrashKernelException when the kernel would refuse the setting
     */
    public Optional<CrashKernelPlan> plan(long systemRam, CrashKernelRules rules) throws CrashKernelException {
        Optional<CrashKernelValue> v = parse(systemRam, rules);
        return v.isEmpty() ? Optional.empty() : Optional.of(CrashKernelPlan.of(v.get(), systemRam, rules));
    }

    /** The text searched (the command line, or {@code crashkernel=} and the value). */
    @Override
    public String toString() {
        return Chars.substring(text, shift, text.length());
    }

    // ---- locating tokens -------------------------------------------------------------------

    private record Token(int start, int valueStart, int end) {
    }

    private static final class Tokens {
        Token plain;
        Token high;
        Token low;
        Token cma;

        boolean none() {
            return plain == null && high == null && low == null && cma == null;
        }

        Token lastSuffixToken() {
            Token best = null;
            for (Token t : new Token[] {high, low, cma}) {
                if (t != null && (best == null || t.start > best.start)) {
                    best = t;
                }
            }
            return best;
        }
    }

    private Tokens locate(CrashKernelRules rules) {
        Tokens t = new Tokens();
        int space = -1;
        for (int p = Chars.indexOf(text, PARAMETER, 0); p >= 0; p = Chars.indexOf(text, PARAMETER, p + 1)) {
            if (space < p) { // amortized: each character is scanned for a space at most once
                space = Chars.indexOf(text, ' ', p);
                if (space < 0) {
                    space = text.length();
                }
            }
            Token tok = new Token(p, p + PARAMETER.length(), space);
            boolean high = endsWith(tok, HIGH);
            boolean low = endsWith(tok, LOW);
            boolean cma = endsWith(tok, CMA);
            if (high) {
                t.high = tok;
            }
            if (low) {
                t.low = tok;
            }
            if (cma) {
                t.cma = tok;
            }
            boolean skip = rules.plainSkipsHighLow() && (high || low) || rules.plainSkipsCma() && cma;
            if (!skip) {
                t.plain = tok;
            }
        }
        return t;
    }

    private boolean endsWith(Token t, String suffix) {
        int from = t.end - suffix.length();
        return from >= t.start && Chars.startsWith(text, suffix, from);
    }

    // ---- the three syntaxes --------------------------------------------------------------------

    /** Returns {size, base, index of the size}. */
    private long[] parsePlain(Token t, long systemRam, CrashKernelRules rules) throws CrashKernelException {
        int colon = Chars.indexOf(text, ':', t.valueStart, t.end);
        if (colon >= 0) {
            return parseRanges(t, systemRam, rules);
        }
        ParsedNumber size = MemorySize.memparse(text, t.valueStart);
        if (!size.hasDigits()) {
            throw expected(t, t.valueStart);
        }
        int i = size.end();
        long base = 0;
        if (at(i) == '@') {
            base = MemorySize.memparse(text, i + 1).value(); // the simple syntax checks nothing after '@'
        } else if (!atTokenEnd(i)) {
            throw error(CrashKernelProblem.UNRECOGNIZED_CHARACTER, t, i,
                    "unrecognized character " + MemorySize.describe(at(i)));
        }
        return new long[] {size.value(), base, size.start()};
    }

    private long[] parseRanges(Token t, long systemRam, CrashKernelRules rules) throws CrashKernelException {
        long total = rules.roundsRamTo128MiB()
                ? Long.divideUnsigned(systemRam + ROUNDING - 1, ROUNDING) * ROUNDING
                : systemRam;
        int cur = t.valueStart;
        boolean matched = false;
        long size = 0;
        int sizeAt = t.valueStart;
        while (true) {
            ParsedNumber start = MemorySize.memparse(text, cur);
            if (!start.hasDigits()) {
                throw expected(t, cur);
            }
            cur = start.end();
            if (at(cur) != '-') {
                throw error(CrashKernelProblem.DASH_EXPECTED, t, cur,
                        "'-' expected after the range start, found " + MemorySize.describe(at(cur)));
            }
            cur++;
            long end = -1L; // open end: ULLONG_MAX
            if (at(cur) != ':') {
                ParsedNumber e = MemorySize.memparse(text, cur);
                if (!e.hasDigits()) {
                    throw expected(t, cur);
                }
                cur = e.end();
                if (Long.compareUnsigned(e.value(), start.value()) <= 0) {
                    throw error(CrashKernelProblem.END_NOT_ABOVE_START, t, e.start(), "range end "
                            + MemorySize.format(e.value()) + " is not above its start " + MemorySize.format(start.value()));
                }
                end = e.value();
            }
            if (at(cur) != ':') {
                throw error(CrashKernelProblem.COLON_EXPECTED, t, cur,
                        "':' expected after the range end, found " + MemorySize.describe(at(cur)));
            }
            cur++;
            ParsedNumber s = MemorySize.memparse(text, cur);
            if (!s.hasDigits()) {
                throw expected(t, cur);
            }
            cur = s.end();
            if (Long.compareUnsigned(s.value(), total) >= 0) {
                throw error(CrashKernelProblem.RANGE_SIZE_NOT_BELOW_RAM, t, s.start(), "range size "
                        + MemorySize.format(s.value()) + " is not below the RAM size " + ramNote(systemRam, total, rules));
            }
            if (Long.compareUnsigned(total, start.value()) >= 0 && Long.compareUnsigned(total, end) < 0) {
                matched = true;
                size = s.value();
                sizeAt = s.start();
                break;
            }
            if (at(cur++) != ',') {
                break;
            }
        }
        if (!matched) {
            throw error(CrashKernelProblem.NO_RANGE_MATCHES, t, t.valueStart,
                    "no range contains the RAM size " + ramNote(systemRam, total, rules));
        }
        long base = 0;
        if (size != 0) { // text after the matching entry is skipped unchecked, up to '@'
            while (!atTokenEnd(cur) && at(cur) != '@') {
                cur++;
            }
            if (at(cur) == '@') {
                ParsedNumber b = MemorySize.memparse(text, ++cur);
                if (!b.hasDigits()) {
                    throw error(CrashKernelProblem.BASE_EXPECTED, t, cur,
                            "memory value expected after '@', found " + MemorySize.describe(at(cur)));
                }
                base = b.value();
            }
        }
        return new long[] {size, base, sizeAt};
    }

    private long parseSuffix(Token t, String suffix) throws CrashKernelException {
        ParsedNumber n = MemorySize.memparse(text, t.valueStart);
        if (!n.hasDigits()) {
            throw expected(t, t.valueStart);
        }
        int i = n.end();
        if (!Chars.startsWith(text, suffix, i)) {
            throw error(CrashKernelProblem.UNRECOGNIZED_CHARACTER, t, i,
                    "unrecognized character " + MemorySize.describe(at(i)) + " (expected " + suffix + ")");
        }
        i += suffix.length();
        if (!atTokenEnd(i)) {
            throw error(CrashKernelProblem.UNRECOGNIZED_CHARACTER, t, i,
                    "unrecognized character " + MemorySize.describe(at(i)) + " after " + suffix);
        }
        return n.value();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private char at(int i) {
        return MemorySize.at(text, i);
    }

    private boolean atTokenEnd(int i) {
        return i >= text.length() || text.charAt(i) == ' ';
    }

    private static String ramNote(long ram, long total, CrashKernelRules rules) {
        return total == ram ? MemorySize.format(ram)
                : MemorySize.format(ram) + " (rounded up to " + MemorySize.format(total) + ")";
    }

    private String wrapNote(int sizeAt) {
        return MemorySize.memparse(text, sizeAt).hasDigits() && at(sizeAt) != '0'
                ? " (the number wraps around 2^64 to 0)" : "";
    }

    private CrashKernelException expected(Token t, int at) {
        return error(CrashKernelProblem.MEMORY_VALUE_EXPECTED, t, at,
                "memory value expected, found " + MemorySize.describe(at(at)));
    }

    private CrashKernelException error(CrashKernelProblem p, Token t, int at, String reason) {
        String subject = Chars.substring(text, Math.max(t.start, shift), Math.min(t.end, Math.max(t.start, shift) + 81));
        if (subject.length() > 80) {
            subject = subject.substring(0, 77) + "...";
        }
        return new CrashKernelException(p, subject, reason, Math.max(0, at - shift));
    }
}
