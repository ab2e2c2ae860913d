package org.kdump4j.boot;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The syntax of one {@code crashkernel=} value as a value type with a canonical text form, so tools
 * can validate, normalise and generate settings ({@code 0x10000000} becomes {@code 256M}) without
 * changing what the kernel does with them.
 *
 * <p>{@link #parse} keeps exactly what the kernel reads for <em>every</em> RAM size and drops text the
 * kernel never reads: junk after {@code @offset}, an empty or non-numeric offset in the simple syntax
 * (both mean "kernel chooses"), text after the end of a range list, and entries after one that
 * already covers every RAM size. Text whose effect depends on the RAM size (a malformed entry the
 * kernel reaches only on some machines) is rejected with its position. Consequently, for every RAM
 * size and release, {@code CrashKernel.ofValue(spec.format())} evaluates to the same value as the
 * original text, and {@code parse(spec.format())} equals {@code spec}.
 */
public sealed interface CrashKernelSpec {

    /** The canonical text of the value (without {@code crashkernel=}). */
    String format();

    /** The same value evaluated for a machine, as {@link CrashKernel#parse} would. */
    default Optional<CrashKernelValue> evaluate(long systemRam, CrashKernelRules rules) throws CrashKernelException {
        return CrashKernel.ofValue(format()).parse(systemRam, rules);
    }

    /**
     * {@code size[@offset]}.
     *
     * @param size bytes (0 parses but the kernel then reserves nothing)
     * @param base start address, 0 = kernel chooses
     */
    record Simple(long size, long base) implements CrashKernelSpec {
        @Override
        public String format() {
            return MemorySize.format(size) + (base == 0 ? "" : "@" + MemorySize.format(base));
        }

        @Override
        public String toString() {
            return format();
        }
    }

    /**
     * {@code start-[end]:size[,...][@offset]}.
     *
     * @param ranges the entries the kernel may read, in order, at least one
     * @param base start address, 0 = kernel chooses
     */
    record Ranges(List<CrashKernelRange> ranges, long base) implements CrashKernelSpec {
        /** Copies the list and checks it is not empty. */
        public Ranges {
            ranges = List.copyOf(ranges);
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException("at least one range is needed");
            }
        }

        @Override
        public String format() {
            StringBuilder sb = new StringBuilder();
            for (CrashKernelRange r : ranges) {
                sb.append(sb.isEmpty() ? "" : ",").append(r);
            }
            return base == 0 ? sb.toString() : sb.append('@').append(MemorySize.format(base)).toString();
        }

        @Override
        public String toString() {
            return format();
        }
    }

    /**
     * {@code size,high}, {@code size,low} or {@code size,cma}.
     *
     * @param size bytes
     * @param suffix which form
     */
    record Suffixed(long size, Suffix suffix) implements CrashKernelSpec {
        /** Checks for null. */
        public Suffixed {
            Objects.requireNonNull(suffix, "suffix");
        }

        @Override
        public String format() {
            return MemorySize.format(size) + suffix.text();
        }

        @Override
        public String toString() {
            return format();
        }
    }

    /** The suffix forms. */
    enum Suffix {
        /** {@code ,high}: main region above the low limit. */
        HIGH(",high"),
        /** {@code ,low}: size of the extra low region. */
        LOW(",low"),
        /** {@code ,cma}: CMA reservation (Linux 6.17+). */
        CMA(",cma");

        private final String text;

        Suffix(String text) {
            this.text = text;
        }

        /** The suffix including its comma. */
        public String text() {
            return text;
        }
    }

    /**
     * Parses one value (the text after {@code crashkernel=}); linear in its length.
     *
     * @throws CrashKernelException (positions are indexes into {@code value}) when the kernel rejects
     *     the text for every RAM size, or for some RAM sizes only
     * @throws IllegalArgumentException if the value contains a space or a NUL
     */
    static CrashKernelSpec parse(String value) throws CrashKernelException {
        return CrashKernelSpecParser.parse(value);
    }
}
