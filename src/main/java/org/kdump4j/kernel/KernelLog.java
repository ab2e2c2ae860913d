package org.kdump4j.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreInfo;

/**
 * The crashed kernel's log (what {@code dmesg} showed), read from a dump with nothing but VMCOREINFO and
 * kernel virtual memory.
 *
 * <p>The format is chosen from VMCOREINFO as the kernel exports it: {@code SYMBOL(prb)} means the lockless
 * ring buffer (5.10+), {@code SYMBOL(log_first_idx)} the structured buffer (3.5-5.9), otherwise
 * {@code SYMBOL(log_buf)} the plain character buffer (before 3.5). Every size and count taken from memory
 * is checked before it is used, walks are bounded by the number of records the buffer can hold, and
 * damage to single records is collected in {@link #problems()} instead of failing the whole log.
 *
 * <p>{@link #formatVmcoreDmesg()} gives exactly what kexec-tools' {@code vmcore-dmesg} prints; see
 * {@link DmesgFormat} for makedumpfile's variant and caller ids.
 */
public final class KernelLog {
    /** The kernel's log format. */
    public enum Kind {
        /** The lockless ring buffer ({@code printk_ringbuffer}, Linux 5.10 and later). */
        LOCKLESS_RINGBUFFER,
        /** The structured buffer of {@code struct printk_log} records (Linux 3.5 to 5.9). */
        STRUCTURED_BUFFER,
        /** The plain character buffer (before Linux 3.5). */
        PLAIN_BUFFER
    }


    private final Kind kind;
    private final List<LogRecord> records;
    private final byte[] plainText;
    private final List<String> problems;

    private KernelLog(Kind kind, List<LogRecord> records, byte[] plainText, List<String> problems) {
        this.kind = kind;
        this.records = List.copyOf(records);
        this.plainText = plainText;
        this.problems = List.copyOf(problems);
    }

    /**
     * Reads the log of an open dump (for a raw memory image, with the VMCOREINFO found in its memory).
     *
     * @throws KernelLogException if the dump has no VMCOREINFO, lacks the keys the format needs, or the
     *     log's control structures are unreadable or implausible
     * @throws IOException if the dump cannot be read
     */
    public static KernelLog read(Vmcore vmcore) throws IOException {
        VmcoreInfo info = VmcoreInfoScan.of(vmcore).orElseThrow(() -> new KernelLogException(vmcore.name(),
                "the dump has no VMCOREINFO" + (vmcore.format() == org.kdump4j.vmcore.DumpFormat.RAW
                        ? " (none found in its memory either)" : ""), null));
        return read(AddressSpace.of(vmcore), info);
    }

    /**
     * Reads the log through an address space, with the layout VMCOREINFO describes.
     *
     * @throws KernelLogException if VMCOREINFO lacks the keys the format needs, or the log's control
     *     structures are unreadable or implausible
     * @throws IOException if memory cannot be read
     */
    public static KernelLog read(AddressSpace space, VmcoreInfo info) throws IOException {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(info, "info");
        LogLayout layout = new LogLayout(space.name(), info, space.byteOrder(), space.wordSize());
        List<String> problems = new ArrayList<>();
        if (info.symbol("prb").isPresent()) {
            return new KernelLog(Kind.LOCKLESS_RINGBUFFER, LocklessRing.read(space, layout, problems), null, problems);
        }
        if (info.symbol("log_first_idx").isPresent()) {
            return new KernelLog(Kind.STRUCTURED_BUFFER, StructuredLog.read(space, layout, info, problems), null,
                    problems);
        }
        if (info.symbol("log_buf").isPresent()) {
            byte[] text = PlainLog.read(space, layout, isBefore2625(info.osRelease().orElse("")));
            return new KernelLog(Kind.PLAIN_BUFFER, plainRecords(text), text, problems);
        }
        throw new KernelLogException(space.name(), "VMCOREINFO names no kernel log (no SYMBOL(prb), "
                + "SYMBOL(log_first_idx) or SYMBOL(log_buf))", null);
    }

    /** {@code log_end} was an {@code unsigned long} up to 2.6.24. */
    private static boolean isBefore2625(String release) {
        String[] numbers = ReleaseNumbers.leading(release, 3);
        if (numbers == null) {
            return false;
        }
        int a = Integer.parseInt(numbers[0]);
        int b = Integer.parseInt(numbers[1]);
        int c = Integer.parseInt(numbers[2]);
        return a < 2 || a == 2 && (b < 6 || b == 6 && c < 25);
    }

    /**
     * Splits a plain buffer into lines, taking a leading {@code <N>} (one to four digits) as the level and
     * facility. Parsed by hand, not with a pattern: this class is loaded by every log read, and compiling a
     * pattern at JVM start costs more than the whole prefix check.
     */
    private static List<LogRecord> plainRecords(byte[] text) {
        List<LogRecord> out = new ArrayList<>();
        int start = 0;
        long seq = 0;
        for (int i = 0; i <= text.length; i++) {
            if (i == text.length || text[i] == '\n') {
                if (i == text.length && start == i) {
                    break;
                }
                byte[] line = Arrays.copyOfRange(text, start, i);
                OptionalInt level = OptionalInt.empty();
                OptionalInt facility = OptionalInt.empty();
                int digits = 0;
                int v = 0;
                while (digits < 5 && digits + 1 < line.length && line[0] == '<' && line[digits + 1] >= '0'
                        && line[digits + 1] <= '9') {
                    v = v * 10 + (line[digits + 1] - '0');
                    digits++;
                }
                if (digits >= 1 && digits <= 4 && digits + 1 < line.length && line[digits + 1] == '>') {
                    level = OptionalInt.of(v & 7);
                    facility = OptionalInt.of(v >> 3);
                    line = Arrays.copyOfRange(line, digits + 2, line.length);
                }
                out.add(new LogRecord(seq++, 0, level, facility, OptionalInt.empty(), OptionalLong.empty(),
                        Optional.empty(), Optional.empty(), line, false));
                start = i + 1;
            }
        }
        return out;
    }

    /** The log format found. */
    public Kind kind() {
        return kind;
    }

    /** The records in log order (oldest first). */
    public List<LogRecord> records() {
        return records;
    }

    /** For the plain pre-3.5 buffer: its valid bytes in order, exactly as stored. */
    public Optional<byte[]> plainText() {
        return plainText == null ? Optional.empty() : Optional.of(plainText.clone());
    }

    /** Damage found and worked around (records skipped or cut), in the order found; empty for a clean log. */
    public List<String> problems() {
        return problems;
    }

    /** The log as {@code vmcore-dmesg} prints it (ASCII, except raw bytes of a plain buffer). */
    public String formatVmcoreDmesg() {
        return new String(format(DmesgFormat.VMCORE_DMESG), StandardCharsets.ISO_8859_1);
    }

    /** The log printed in {@code format}, as bytes. */
    public byte[] format(DmesgFormat format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, records.size() * 96));
        try {
            write(out, format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the log in {@code format} (buffered internally; {@code out} is not flushed or closed). */
    public void write(OutputStream out, DmesgFormat format) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(format, "format");
        if (plainText != null) {
            out.write(plainText);
            return;
        }
        LineBuffer line = new LineBuffer();
        boolean indent = format.indentContinuationLines();
        for (LogRecord r : records) {
            if (r.dataLess() && format.skipDataLess()) {
                continue;
            }
            append(line, r, format.callerIds(), indent);
            if (line.length >= FLUSH_AT) {
                out.write(line.bytes, 0, line.length);
                line.length = 0;
            }
        }
        out.write(line.bytes, 0, line.length);
    }

    // The per-record and per-run work are methods of their own: called once per record, they get
    // compiled after a few hundred records, while a loop inside one long call would run interpreted to
    // the end (a CLI run is over before on-stack replacement would kick in).

    /** Appends one record's line: prefix, escaped text, newline. */
    private static void append(LineBuffer line, LogRecord r, boolean callerIds, boolean indent) {
        int start = line.length;
        line.prefix(r, callerIds);
        int prefixWidth = line.length - start;
        byte[] text = r.textBytes();
        int i = 0;
        while (i < text.length) {
            // copy the longest run that needs no escaping (and no indenting) in one go
            int run = plainRun(text, i, indent);
            if (run > i) {
                line.reserve(run - i);
                System.arraycopy(text, i, line.bytes, line.length, run - i);
                line.length += run - i;
                i = run;
                continue;
            }
            int c = text[i++] & 0xff;
            if (c == '\n') {
                line.reserve(prefixWidth + 1);
                line.put('\n');
                for (int k = 0; k < prefixWidth; k++) {
                    line.put(' ');
                }
            } else {
                line.reserve(4);
                line.put('\\');
                line.put('x');
                line.put(HEX[c >> 4]);
                line.put(HEX[c & 15]);
            }
        }
        line.reserve(1);
        line.put('\n');
    }

    /**
     * The end of the run from {@code from} that prints as it is: printable ASCII or C-locale white space
     * (a newline to indent is not).
     */
    private static int plainRun(byte[] text, int from, boolean indent) {
        int run = from;
        while (run < text.length) {
            int c = text[run] & 0xff;
            if (c >= 0x20 && c <= 0x7e || c >= 0x09 && c <= 0x0d && (c != '\n' || !indent)) {
                run++;
            } else {
                break;
            }
        }
        return run;
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int FLUSH_AT = 1 << 16;

    /**
     * Output bytes under construction: plain array stores, so that printing a log right after JVM start
     * (interpreted code) costs little.
     */
    private static final class LineBuffer {
        byte[] bytes = new byte[FLUSH_AT + 4096];
        int length;

        void reserve(int more) {
            if (bytes.length - length < more) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        void put(int b) {
            bytes[length++] = (byte) b;
        }

        /** {@code [%5lu.%06lu] } and, when asked and known, {@code [%8s] } with the caller. */
        void prefix(LogRecord r, boolean callerIds) {
            reserve(64);
            long ts = r.timestampNanos();
            long sec = Long.divideUnsigned(ts, 1_000_000_000L);
            long usec = Long.remainderUnsigned(ts, 1_000_000_000L) / 1000;
            put('[');
            digits(sec, 5, ' ');
            put('.');
            digits(usec, 6, '0');
            put(']');
            put(' ');
            if (callerIds) {
                Optional<String> caller = r.caller();
                if (caller.isPresent()) {
                    String c = caller.get();
                    reserve(c.length() + 16);
                    put('[');
                    for (int i = c.length(); i < 8; i++) {
                        put(' ');
                    }
                    for (int i = 0; i < c.length(); i++) {
                        put(c.charAt(i));
                    }
                    put(']');
                    put(' ');
                }
            }
        }

        /** {@code v} (unsigned) in decimal, padded on the left with {@code pad} to {@code width}. */
        private void digits(long v, int width, char pad) {
            int n = 1;
            for (long rest = Long.divideUnsigned(v, 10); rest != 0; rest /= 10) {
                n++;
            }
            for (int i = n; i < width; i++) {
                put(pad);
            }
            int end = length + n;
            long rest = v;
            for (int i = end - 1; i >= length; i--) {
                bytes[i] = (byte) ('0' + Long.remainderUnsigned(rest, 10));
                rest = Long.divideUnsigned(rest, 10);
            }
            length = end;
        }
    }

    @Override
    public String toString() {
        return "KernelLog[" + kind + ", " + records.size() + " records" + (problems.isEmpty() ? "" : ", "
                + problems.size() + " problems") + "]";
    }
}
