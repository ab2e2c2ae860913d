package org.kdump4j.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Fuzzes the three log walkers over arbitrary memory: the first input byte picks the format (the
 * VMCOREINFO of {@link LogBuilders}), the rest is physical memory from address 0, so every pointer, size,
 * count, id and text position comes from the fuzzer. Reading must end (bounded walks), copy no more text
 * than a ring can hold, and fail only with {@link KernelLogException} or {@link TranslationException};
 * the vmcore-dmesg output of the record formats must be pure ASCII.
 */
class KernelLogFuzz {

    static SyntheticMemory memory(byte[] data) {
        int kind = data.length == 0 ? 0 : (data[0] & 0xff) % 3;
        byte[] bytes = data.length <= 1 ? new byte[0] : Arrays.copyOfRange(data, 1, data.length);
        SyntheticMemory mem = new SyntheticMemory(Math.max(bytes.length, 1), java.nio.ByteOrder.LITTLE_ENDIAN);
        // the builders write their layout's VMCOREINFO; the memory they wrote is replaced by the input
        SyntheticMemory layout = LogBuilders.kernel(1 << 17);
        switch (kind) {
            case 0 -> new LogBuilders.Lockless(layout, 4, 10);
            case 1 -> new LogBuilders.Structured(layout, 256, "printk_log");
            default -> new LogBuilders.Plain(layout, 64);
        }
        mem.info.clear();
        mem.info.putAll(layout.info);
        System.arraycopy(bytes, 0, mem.bytes, 0, bytes.length);
        return mem;
    }

    @FuzzTest(maxDuration = "60s")
    void fuzz(byte[] data) throws IOException {
        SyntheticMemory mem = memory(data);
        KernelLog log;
        try {
            log = KernelLog.read(LogBuilders.space(mem), mem.vmcoreInfo());
        } catch (KernelLogException | TranslationException expected) {
            return;
        }
        long total = 0;
        for (LogRecord r : log.records()) {
            total += r.textLength();
            assertTrue(r.textLength() <= 0xffff);
        }
        assertTrue(total <= LocklessRing.MAX_TEXT_BYTES + 0xffff, "more text than any ring holds");
        byte[] out = log.format(DmesgFormat.VMCORE_DMESG);
        if (log.kind() != KernelLog.Kind.PLAIN_BUFFER) {
            for (byte b : out) {
                assertTrue(b >= 0x09 && b <= 0x7e, "non-ASCII output byte " + (b & 0xff));
            }
        }
        log.write(OutputStream.nullOutputStream(), DmesgFormat.MAKEDUMPFILE.withCallerIds(true));
    }
}
