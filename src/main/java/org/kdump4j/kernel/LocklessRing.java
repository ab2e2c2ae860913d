package org.kdump4j.kernel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Walks the lockless printk ring buffer (Linux 5.10 and later): a ring of descriptors (state and the
 * logical position of the text block), a parallel ring of {@code printk_info} (sequence, time stamp,
 * length, caller, device), and a ring of text blocks, each starting with its descriptor id.
 *
 * <p>Descriptors are visited from {@code tail_id} to {@code head_id} inclusive, never more than the ring
 * holds, so a corrupt ring cannot loop. A text block wrapped iff its first and last byte lie in different
 * laps of the data ring; the last byte is {@code next - 1}, since since Linux 6.18 a block may end exactly
 * at the end of the ring (comparing {@code begin} and {@code next} positions modulo the ring size, as the
 * C tools do, misreads such a block as wrapped).
 */
final class LocklessRing {
    /** The most descriptor-count bits believed (2^30 records). */
    static final int MAX_COUNT_BITS = 30;
    /** The most data-ring size bits believed (the kernel caps {@code log_buf_len} at 2^31 bytes). */
    static final int MAX_SIZE_BITS = 31;
    /**
     * The most text read in all (valid blocks never overlap, so a ring holds at most its size in text;
     * this also caps what corrupt descriptors that all point at one block can make us copy).
     */
    static final long MAX_TEXT_BYTES = 1L << 28;

    /** Descriptors and infos read per window. */
    private static final int WINDOW_ENTRIES = 256;
    /** Text-ring bytes read per window, and the most any window holds. */
    private static final int TEXT_WINDOW = 1 << 16;

    private static final int STATE_COMMITTED = 1;
    private static final int STATE_FINALIZED = 2;

    private LocklessRing() {
    }

    static List<LogRecord> read(AddressSpace space, LogLayout k, List<String> problems) throws IOException {
        int w = k.wordSize();
        long wordMask = w == 4 ? 0xffff_ffffL : -1L;
        long prb = k.symbol("prb");
        int rbSize = k.size("printk_ringbuffer");
        int descRing = k.offset("printk_ringbuffer.desc_ring");
        int textRing = k.offset("printk_ringbuffer.text_data_ring");
        int countBitsOff = k.offset("prb_desc_ring.count_bits");
        int descsOff = k.offset("prb_desc_ring.descs");
        int infosOff = k.offset("prb_desc_ring.infos");
        int headOff = k.offset("prb_desc_ring.head_id");
        int tailOff = k.offset("prb_desc_ring.tail_id");
        int descSize = k.size("prb_desc");
        int stateOff = k.offset("prb_desc.state_var");
        int blkOff = k.offset("prb_desc.text_blk_lpos");
        int beginOff = k.offset("prb_data_blk_lpos.begin");
        int nextOff = k.offset("prb_data_blk_lpos.next");
        int sizeBitsOff = k.offset("prb_data_ring.size_bits");
        int dataOff = k.offset("prb_data_ring.data");
        int infoSize = k.size("printk_info");
        int tsOff = k.offset("printk_info.ts_nsec");
        int textLenOff = k.offset("printk_info.text_len");
        int seqOff = k.optionalOffset("printk_info.seq");
        int callerOff = k.optionalOffset("printk_info.caller_id");
        int devOff = k.optionalOffset("printk_info.dev_info");
        int subsysOff = k.optionalOffset("dev_printk_info.subsystem");
        int deviceOff = k.optionalOffset("dev_printk_info.device");
        int subsysLen = k.length("printk_info_subsystem", 16);
        int deviceLen = k.length("printk_info_device", 48);
        int counter = Math.max(k.optionalOffset("atomic_long_t.counter"), 0);

        k.checkField("prb_desc_ring.count_bits", descRing + countBitsOff, 4, rbSize);
        k.checkField("prb_desc_ring.descs", descRing + descsOff, w, rbSize);
        k.checkField("prb_desc_ring.infos", descRing + infosOff, w, rbSize);
        k.checkField("prb_desc_ring.head_id", descRing + headOff + counter, w, rbSize);
        k.checkField("prb_desc_ring.tail_id", descRing + tailOff + counter, w, rbSize);
        k.checkField("prb_data_ring.size_bits", textRing + sizeBitsOff, 4, rbSize);
        k.checkField("prb_data_ring.data", textRing + dataOff, w, rbSize);
        k.checkField("prb_desc.state_var", stateOff + counter, w, descSize);
        k.checkField("prb_data_blk_lpos.begin", blkOff + beginOff, w, descSize);
        k.checkField("prb_data_blk_lpos.next", blkOff + nextOff, w, descSize);
        k.checkField("printk_info.ts_nsec", tsOff, 8, infoSize);
        k.checkField("printk_info.text_len", textLenOff, 2, infoSize);
        if (seqOff >= 0 && seqOff + 8 > infoSize) {
            seqOff = -1;
        }
        if (callerOff >= 0 && callerOff + 4 > infoSize) {
            callerOff = -1;
        }
        boolean hasDev = devOff >= 0 && subsysOff >= 0 && deviceOff >= 0
                && devOff + Math.max(subsysOff + subsysLen, deviceOff + deviceLen) <= infoSize;
        // facility and the flags/level bit-fields are not exported; they sit in the two bytes between
        // text_len and caller_id in every version that has the lockless ring
        boolean hasLevel = callerOff >= 0 && callerOff == textLenOff + 4;

        long rb;
        byte[] ring;
        try {
            rb = space.readWord(prb);
            ring = space.readVirtual(rb, rbSize);
        } catch (TranslationException e) {
            throw new KernelLogException(space.name(), "cannot read the ring buffer structure: " + e.getMessage(), e);
        }
        long countBits = k.u32(ring, descRing + countBitsOff);
        long sizeBits = k.u32(ring, textRing + sizeBitsOff);
        if (countBits > MAX_COUNT_BITS || countBits >= 8L * w - 2) {
            throw k.error("implausible descriptor count 2^" + countBits);
        }
        if (sizeBits > MAX_SIZE_BITS || sizeBits >= 8L * w - 1 || sizeBits < 3) {
            throw k.error("implausible text ring size 2^" + sizeBits);
        }
        long count = 1L << countBits;
        long dsize = 1L << sizeBits;
        long descs = k.word(ring, descRing + descsOff);
        long infos = k.word(ring, descRing + infosOff);
        long data = k.word(ring, textRing + dataOff);
        long idMask = ~(3L << (8 * w - 2)) & wordMask;
        long head = k.word(ring, descRing + headOff + counter) & idMask;
        long tail = k.word(ring, descRing + tailOff + counter) & idMask;

        long span = ((head - tail) & idMask) + 1;
        if (Long.compareUnsigned(span, count) > 0) {
            problems.add("descriptor ids " + tail + ".." + head + " span more than the " + count
                    + " descriptors; reading the last " + count);
            tail = (head - count + 1) & idMask;
            span = count;
        }
        List<LogRecord> records = new ArrayList<>((int) Math.min(span, 1 << 16));
        // the walk reads the three rings in order: through windows of a few hundred entries each
        VirtualWindow descRead = new VirtualWindow(space, descs, count * descSize,
                (int) Math.min(TEXT_WINDOW, (long) WINDOW_ENTRIES * descSize));
        VirtualWindow infoRead = new VirtualWindow(space, infos, count * infoSize,
                (int) Math.min(TEXT_WINDOW, (long) WINDOW_ENTRIES * infoSize));
        VirtualWindow textRead = new VirtualWindow(space, data, dsize, TEXT_WINDOW);
        long skipped = 0;
        long budget = Math.min(dsize, MAX_TEXT_BYTES);
        for (long n = 0; n < span; n++) {
            long id = (tail + n) & idMask;
            long index = id & (count - 1);
            byte[] desc;
            byte[] info;
            try {
                desc = descRead.read(index * descSize, descSize);
            } catch (TranslationException e) {
                throw new KernelLogException(space.name(), "cannot read descriptor " + id + ": " + e.getMessage(), e);
            }
            long sv = k.word(desc, stateOff + counter);
            int state = (int) ((sv & wordMask) >>> (8 * w - 2)) & 3;
            if ((sv & idMask) != id) {
                skipped++; // overwritten while the ring was read, or damaged
                continue;
            }
            if (state != STATE_COMMITTED && state != STATE_FINALIZED) {
                continue; // reserved (being written at the crash) or reusable (the ring's initial dummy)
            }
            try {
                info = infoRead.read(index * infoSize, infoSize);
            } catch (TranslationException e) {
                throw new KernelLogException(space.name(), "cannot read printk_info " + id + ": " + e.getMessage(), e);
            }
            long begin = k.word(desc, blkOff + beginOff) & wordMask;
            long next = k.word(desc, blkOff + nextOff) & wordMask;
            int textLen = k.u16(info, textLenOff);
            byte[] text = new byte[0];
            boolean dataLess = (begin & 1) != 0 && (next & 1) != 0;
            if (!dataLess) {
                text = text(textRead, dsize, sizeBits, w, wordMask, begin, next, textLen, id, problems);
                budget -= text.length;
                if (budget < 0) {
                    problems.add("the records hold more text than the " + dsize + "-byte ring can: stopped at "
                            + "record " + id);
                    break;
                }
            }
            OptionalInt level = OptionalInt.empty();
            OptionalInt facility = OptionalInt.empty();
            OptionalInt flags = OptionalInt.empty();
            if (hasLevel) {
                facility = OptionalInt.of(info[textLenOff + 2] & 0xff);
                int[] lf = k.levelAndFlags(info[textLenOff + 3] & 0xff);
                level = OptionalInt.of(lf[0]);
                flags = OptionalInt.of(lf[1]);
            }
            OptionalLong caller = callerOff >= 0 ? OptionalLong.of(k.u32(info, callerOff)) : OptionalLong.empty();
            Optional<String> subsystem = hasDev ? LogLayout.cString(info, devOff + subsysOff, subsysLen)
                    : Optional.empty();
            Optional<String> device = hasDev ? LogLayout.cString(info, devOff + deviceOff, deviceLen)
                    : Optional.empty();
            long seq = seqOff >= 0 ? k.u64(info, seqOff) : id;
            records.add(new LogRecord(seq, k.u64(info, tsOff), level, facility, flags, caller, subsystem, device,
                    text, dataLess));
        }
        if (skipped > 0) {
            problems.add(skipped + " descriptor(s) between tail and head hold another id (skipped)");
        }
        return records;
    }

    /**
     * The text of a block {@code [begin, next)} (logical positions). Each block starts with the
     * descriptor id (one word); a wrapped block was stored again from the start of the ring.
     */
    private static byte[] text(VirtualWindow ring, long dsize, long sizeBits, int w, long wordMask,
            long begin, long next, int textLen, long id, List<String> problems) throws IOException {
        boolean wrapped = (begin >>> sizeBits) != (((next - 1) & wordMask) >>> sizeBits);
        long offset;
        long avail;
        if (!wrapped) {
            offset = (begin & (dsize - 1)) + w;
            avail = ((next - begin) & wordMask) - w;
        } else {
            offset = w;
            avail = (next & (dsize - 1)) - w;
        }
        if (avail < 0 || avail > dsize || offset > dsize) {
            problems.add("record " + id + ": text block [" + begin + ", " + next + ") is corrupt (text left out)");
            return new byte[0];
        }
        int len = (int) Math.min(Math.min(textLen, avail), dsize - offset);
        try {
            return ring.read(offset, len);
        } catch (TranslationException e) {
            problems.add("record " + id + ": text not readable: " + e.getMessage());
            return new byte[0];
        }
    }
}
