package org.kdump4j.kernel;

/**
 * How {@link KernelLog} prints records.
 *
 * <p>Every record is {@code [%5lu.%06lu] } (seconds and microseconds of its time stamp), optionally the
 * caller as makedumpfile prints it ({@code [%8s] }, e.g. {@code [    T123] }; only when the dump records
 * callers), then the text with each byte that is neither printable nor white space (C locale) written as
 * {@code \xHH}, then a newline. The plain pre-3.5 buffer is always written as stored.
 *
 * @param callerIds print the caller ({@code T<pid>} / {@code C<cpu>}) after the time stamp
 * @param indentContinuationLines after a newline inside a record's text, indent by the prefix width
 *     (makedumpfile; vmcore-dmesg starts the next line at column 0)
 * @param skipDataLess leave out records without text (makedumpfile; vmcore-dmesg prints the prefix and
 *     an empty line)
 */
public record DmesgFormat(boolean callerIds, boolean indentContinuationLines, boolean skipDataLess) {
    /** Exactly what kexec-tools' {@code vmcore-dmesg} prints. */
    public static final DmesgFormat VMCORE_DMESG = new DmesgFormat(false, false, false);
    /**
     * What {@code makedumpfile --dump-dmesg} 1.7.2 prints (continuation lines indented, data-less records
     * left out, no callers); {@code withCallerIds(true)} gives what later makedumpfile versions print.
     */
    public static final DmesgFormat MAKEDUMPFILE = new DmesgFormat(false, true, true);

    /** This format with callers on or off. */
    public DmesgFormat withCallerIds(boolean on) {
        return new DmesgFormat(on, indentContinuationLines, skipDataLess);
    }
}
