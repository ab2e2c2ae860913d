package org.kdump4j.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One record of the crashed kernel's log.
 *
 * @param sequence the record's sequence number ({@code printk_info.seq} in the lockless ring buffer; the
 *     position in the buffer for the older formats)
 * @param timestampNanos {@code ts_nsec}: nanoseconds since boot on the printk clock (0 for lines of the
 *     plain pre-3.5 buffer, which carry any time stamp inside their text)
 * @param level the syslog level (0 emergency ... 7 debug), when known
 * @param facility the syslog facility (0 kernel, 1 user, ...), when known
 * @param flags the kernel's internal record flags ({@code LOG_NEWLINE}, {@code LOG_CONT}, ...), when known
 * @param callerId {@code caller_id}: bit 31 set means a CPU number (printk from interrupt context), clear a
 *     thread id, when known
 * @param subsystem {@code dev_info.subsystem} (e.g. {@code "pci"}), when set
 * @param device {@code dev_info.device} (e.g. {@code "+pci:0000:00:01.0"}), when set
 * @param text the message bytes as stored (not escaped; may hold newlines and any byte)
 * @param dataLess whether the record has no text block (text lost to an overrun, or an empty line)
 */
public record LogRecord(long sequence, long timestampNanos, OptionalInt level, OptionalInt facility,
        OptionalInt flags, OptionalLong callerId, Optional<String> subsystem, Optional<String> device, byte[] text,
        boolean dataLess) {

    /** Copies the text in. */
    public LogRecord {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(facility, "facility");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(callerId, "callerId");
        Objects.requireNonNull(subsystem, "subsystem");
        Objects.requireNonNull(device, "device");
        text = text.clone();
    }

    /** A copy of the message bytes. */
    @Override
    public byte[] text() {
        return text.clone();
    }

    /** The stored array itself, for this package's formatters (never handed out). */
    byte[] textBytes() {
        return text;
    }

    /** The message length in bytes. */
    public int textLength() {
        return text.length;
    }

    /** The message decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String textString() {
        return new String(text, StandardCharsets.UTF_8);
    }

    /** The caller as the kernel prints it: {@code T<pid>} for a thread, {@code C<cpu>} for a CPU. */
    public Optional<String> caller() {
        if (callerId.isEmpty()) {
            return Optional.empty();
        }
        long id = callerId.getAsLong();
        return Optional.of(((id & 0x8000_0000L) != 0 ? "C" : "T") + (id & 0x7fff_ffffL));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord r && r.sequence == sequence && r.timestampNanos == timestampNanos
                && r.level.equals(level) && r.facility.equals(facility) && r.flags.equals(flags)
                && r.callerId.equals(callerId) && r.subsystem.equals(subsystem) && r.device.equals(device)
                && Arrays.equals(r.text, text) && r.dataLess == dataLess;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, timestampNanos, level, facility, callerId, Arrays.hashCode(text), dataLess);
    }

    @Override
    public String toString() {
        return "LogRecord[" + sequence + " @" + timestampNanos + "ns " + caller().orElse("") + " "
                + textString() + "]";
    }
}
