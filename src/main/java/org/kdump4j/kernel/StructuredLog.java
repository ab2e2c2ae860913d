package org.kdump4j.kernel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Walks the structured log buffer of Linux 3.5 to 5.9: {@code log_buf} holds variable-length records
 * ({@code struct printk_log}, called {@code struct log} until 3.10: time stamp, record length, text and
 * dictionary lengths, facility, flags and level, then the text), from {@code log_first_idx} to
 * {@code log_next_idx}; a record length of 0 marks the wrap back to the start of the buffer.
 *
 * <p>The buffer is read once. The walk stops at the first record that would overrun it, after a second
 * wrap marker, or after as many records as could fit, so a corrupt buffer cannot loop.
 */
final class StructuredLog {
    /** The largest log buffer believed (the kernel's {@code log_buf_len} limit is 2^31). */
    static final long MAX_BUFFER = 1L << 31;

    private StructuredLog() {
    }

    static List<LogRecord> read(AddressSpace space, LogLayout k, org.kdump4j.vmcore.VmcoreInfo info,
            List<String> problems) throws IOException {
        String struct = info.size("printk_log").isPresent() ? "printk_log" : "log";
        int hdr = k.size(struct);
        int tsOff = k.offset(struct + ".ts_nsec");
        int lenOff = k.offset(struct + ".len");
        int textLenOff = k.offset(struct + ".text_len");
        int dictLenOff = k.optionalOffset(struct + ".dict_len");
        k.checkField(struct + ".ts_nsec", tsOff, 8, hdr);
        k.checkField(struct + ".len", lenOff, 2, hdr);
        k.checkField(struct + ".text_len", textLenOff, 2, hdr);
        if (hdr < 4) {
            throw k.error("implausible SIZE(" + struct + ")=" + hdr);
        }
        long bufAddr;
        long bufLen;
        long first;
        long next;
        try {
            bufAddr = space.readWord(k.symbol("log_buf"));
            bufLen = space.readU32(k.symbol("log_buf_len"));
            first = space.readU32(k.symbol("log_first_idx"));
            next = space.readU32(k.symbol("log_next_idx"));
        } catch (TranslationException e) {
            throw new KernelLogException(space.name(), "cannot read the log buffer variables: " + e.getMessage(), e);
        }
        if (bufLen == 0 || bufLen > MAX_BUFFER - 8 || bufLen < hdr) {
            throw k.error("implausible log_buf_len " + bufLen);
        }
        byte[] buf = LogBuffers.read(space, bufAddr, (int) bufLen, "log_buf");
        // facility and flags/level follow dict_len in the standard layout; caller_id (CONFIG_PRINTK_CALLER,
        // 5.1+) follows them when the header is longer than 16 bytes
        boolean standard = tsOff == 0 && lenOff == 8 && textLenOff == 10 && dictLenOff == 12;
        boolean hasLevel = standard && hdr >= 16;
        boolean hasCaller = standard && hdr >= 20;

        List<LogRecord> records = new ArrayList<>();
        long idx = first;
        boolean wrapped = false;
        long maxRecords = bufLen / hdr + 2;
        long seq = 0;
        while (idx != next) {
            if (seq > maxRecords) {
                problems.add("more records than fit in the buffer: stopped");
                break;
            }
            if (idx + hdr > bufLen) {
                problems.add("record index " + idx + " lies outside the " + bufLen + "-byte buffer: stopped");
                break;
            }
            int at = (int) idx;
            int len = k.u16(buf, at + lenOff);
            if (len == 0) {
                if (wrapped) {
                    problems.add("second wrap marker at index " + idx + ": stopped");
                    break;
                }
                wrapped = true;
                idx = 0;
                continue;
            }
            int textLen = k.u16(buf, at + textLenOff);
            int textStart = at + hdr;
            int n = (int) Math.max(0, Math.min(Math.min(textLen, (long) len - hdr), bufLen - textStart));
            OptionalInt level = OptionalInt.empty();
            OptionalInt facility = OptionalInt.empty();
            OptionalInt flags = OptionalInt.empty();
            if (hasLevel) {
                facility = OptionalInt.of(buf[at + 14] & 0xff);
                int[] lf = k.levelAndFlags(buf[at + 15] & 0xff);
                level = OptionalInt.of(lf[0]);
                flags = OptionalInt.of(lf[1]);
            }
            OptionalLong caller = hasCaller ? OptionalLong.of(k.u32(buf, at + 16)) : OptionalLong.empty();
            records.add(new LogRecord(seq++, k.u64(buf, at + tsOff), level, facility, flags, caller, Optional.empty(),
                    Optional.empty(), Arrays.copyOfRange(buf, textStart, textStart + n), false));
            idx += len;
        }
        return records;
    }
}
