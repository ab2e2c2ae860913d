package org.kdump4j.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The parser behind {@link CrashKernelSpec#parse}, kept apart so it can run over any
 * {@link CharSequence} (tests count its work to prove it linear).
 */
final class CrashKernelSpecParser {
    private CrashKernelSpecParser() {
    }

    static CrashKernelSpec parse(CharSequence value) throws CrashKernelException {
        Objects.requireNonNull(value, "value");
        if (Chars.indexOf(value, ' ', 0) >= 0 || Chars.indexOf(value, '\0', 0) >= 0) {
            throw new IllegalArgumentException("a crashkernel= value cannot contain a space or NUL: " + MemorySize.quote(value.toString()));
        }
        for (CrashKernelSpec.Suffix s : CrashKernelSpec.Suffix.values()) {
            if (Chars.startsWith(value, s.text(), value.length() - s.text().length())) {
                ParsedNumber n = MemorySize.memparse(value, 0);
                if (!n.hasDigits()) {
                    throw fail(CrashKernelProblem.MEMORY_VALUE_EXPECTED, value, 0, "memory value expected");
                }
                if (n.end() != value.length() - s.text().length()) {
                    throw fail(CrashKernelProblem.UNRECOGNIZED_CHARACTER, value, n.end(), "unrecognized character "
                            + MemorySize.describe(value.charAt(n.end())) + " (expected " + s.text() + ")");
                }
                return new CrashKernelSpec.Suffixed(n.value(), s);
            }
        }
        return Chars.indexOf(value, ':', 0) >= 0 ? parseRanges(value) : parseSimple(value);
    }

    private static CrashKernelSpec.Simple parseSimple(CharSequence value) throws CrashKernelException {
        ParsedNumber size = MemorySize.memparse(value, 0);
        if (!size.hasDigits()) {
            throw fail(CrashKernelProblem.MEMORY_VALUE_EXPECTED, value, 0, "memory value expected");
        }
        int i = size.end();
        if (i == value.length()) {
            return new CrashKernelSpec.Simple(size.value(), 0);
        }
        if (value.charAt(i) != '@') {
            throw fail(CrashKernelProblem.UNRECOGNIZED_CHARACTER, value, i,
                    "unrecognized character " + MemorySize.describe(value.charAt(i)));
        }
        return new CrashKernelSpec.Simple(size.value(), MemorySize.memparse(value, i + 1).value());
    }

    private static CrashKernelSpec.Ranges parseRanges(CharSequence value) throws CrashKernelException {
        List<CrashKernelRange> ranges = new ArrayList<>();
        int cur = 0;
        long coveredBelow = 0; // every RAM size in [0, coveredBelow) matches an earlier entry
        boolean coversAll = false;
        while (true) {
            ParsedNumber start = MemorySize.memparse(value, cur);
            if (!start.hasDigits()) {
                throw fail(CrashKernelProblem.MEMORY_VALUE_EXPECTED, value, cur, "memory value expected");
            }
            cur = start.end();
            if (MemorySize.at(value, cur) != '-') {
                throw fail(CrashKernelProblem.DASH_EXPECTED, value, cur, "'-' expected after the range start");
            }
            cur++;
            OptionalLong end = OptionalLong.empty();
            if (MemorySize.at(value, cur) != ':') {
                ParsedNumber e = MemorySize.memparse(value, cur);
                if (!e.hasDigits()) {
                    throw fail(CrashKernelProblem.MEMORY_VALUE_EXPECTED, value, cur, "memory value expected");
                }
                if (Long.compareUnsigned(e.value(), start.value()) <= 0) {
                    throw fail(CrashKernelProblem.END_NOT_ABOVE_START, value, cur, "range end is not above its start");
                }
                cur = e.end();
                end = OptionalLong.of(e.value());
            }
            if (MemorySize.at(value, cur) != ':') {
                throw fail(CrashKernelProblem.COLON_EXPECTED, value, cur, "':' expected after the range end");
            }
            cur++;
            ParsedNumber size = MemorySize.memparse(value, cur);
            if (!size.hasDigits()) {
                throw fail(CrashKernelProblem.MEMORY_VALUE_EXPECTED, value, cur, "memory value expected");
            }
            cur = size.end();
            ranges.add(new CrashKernelRange(start.value(), end, size.value()));
            if (Long.compareUnsigned(start.value(), coveredBelow) <= 0) {
                if (end.isEmpty()) {
                    coversAll = true;
                } else if (Long.compareUnsigned(end.getAsLong(), coveredBelow) > 0) {
                    coveredBelow = end.getAsLong();
                }
            }
            if (coversAll || MemorySize.at(value, cur) != ',') {
                break; // the kernel never reads further entries
            }
            cur++;
        }
        int at = Chars.indexOf(value, '@', cur);
        long base = 0;
        if (at >= 0) {
            ParsedNumber b = MemorySize.memparse(value, at + 1);
            if (!b.hasDigits()) {
                throw fail(CrashKernelProblem.BASE_EXPECTED, value, at + 1, "memory value expected after '@'");
            }
            base = b.value();
        }
        return new CrashKernelSpec.Ranges(ranges, base);
    }

    private static CrashKernelException fail(CrashKernelProblem p, CharSequence value, int at, String reason) {
        if (at < value.length() && !reason.contains("character")) {
            reason += ", found " + MemorySize.describe(value.charAt(at));
        }
        return new CrashKernelException(p, MemorySize.quote(value.toString()), reason, at);
    }
}
