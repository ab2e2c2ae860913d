package org.kdump4j.kernel;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.kdump4j.memory.MemoryNotPresentException;
import org.kdump4j.memory.PhysicalMemory;
import org.kdump4j.vmcore.DumpFormat;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreInfo;

/**
 * Finds the crashed kernel's VMCOREINFO in physical memory when the dump carries no notes (a raw
 * {@code /dev/oldmem}-style image): the kernel keeps the note itself in memory, a 12-byte ELF note
 * header ({@code n_namesz} 11, {@code n_type} 0) followed by {@code "VMCOREINFO\0"} and text starting
 * with {@code "OSRELEASE="}. Since Linux 4.15 the note starts a page of its own; earlier kernels kept it
 * in {@code .bss}, 4-byte aligned, which the scan also finds when the header and name share a page. When
 * several notes are found, the first one with {@code CRASHTIME} (written at the panic) wins, else the first.
 */
public final class VmcoreInfoScan {
    private static final byte[] NAME = "VMCOREINFO\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FIRST_KEY = "OSRELEASE=".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DESC = 1 << 20;
    private static final int VMCO = 'V' | 'M' << 8 | 'C' << 16 | 'O' << 24;
    private static final Map<Vmcore, Optional<VmcoreInfo>> SCANNED = Collections.synchronizedMap(new WeakHashMap<>());

    private VmcoreInfoScan() {
    }

    /**
     * The layout of the scan, in a holder class of its own: only a scan needs it, and initialising the
     * memory-segment layouts costs milliseconds right after JVM start, which a dump with notes should not pay.
     */
    private static final class Layouts {
        static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The dump's VMCOREINFO: from its notes when it has them, else (raw images only) found by scanning its
     * memory once (the result is remembered for the open dump).
     */
    public static Optional<VmcoreInfo> of(Vmcore vmcore) throws IOException {
        if (vmcore.vmcoreInfo().isPresent() || vmcore.format() != DumpFormat.RAW) {
            return vmcore.vmcoreInfo();
        }
        Optional<VmcoreInfo> known = SCANNED.get(vmcore);
        if (known != null) {
            return known;
        }
        Optional<VmcoreInfo> found = find(vmcore.memory());
        SCANNED.put(vmcore, found);
        return found;
    }

    /**
     * Scans every present page for a VMCOREINFO note (little-endian headers).
     *
     * @return the note's text, parsed; empty when none is found
     */
    public static Optional<VmcoreInfo> find(PhysicalMemory memory) throws IOException {
        List<VmcoreInfo> found = new ArrayList<>();
        int pageSize = memory.pageSize();
        ValueLayout.OfInt intLe = Layouts.INT_LE;
        memory.forEachStoredPage((pfn, page) -> {
            for (long off = 12; off + 12 + FIRST_KEY.length <= pageSize; off += 4) {
                if (page.get(intLe, off) != VMCO || !matches(page, off, NAME) || !matches(page, off + 12, FIRST_KEY)
                        || page.get(intLe, off - 12) != NAME.length || page.get(intLe, off - 4) != 0) {
                    continue;
                }
                int descSize = page.get(intLe, off - 8);
                if (descSize <= 0 || descSize > MAX_DESC) {
                    continue;
                }
                long descAddress = pfn * pageSize + off + 12;
                byte[] desc = readPresent(memory, descAddress, descSize);
                found.add(VmcoreInfo.parse(desc));
            }
        });
        return found.stream().filter(i -> i.crashTime().isPresent()).findFirst()
                .or(() -> found.stream().findFirst());
    }

    /** Reads up to {@code size} bytes, stopping at the first byte that is not present. */
    private static byte[] readPresent(PhysicalMemory memory, long address, int size) throws IOException {
        try {
            byte[] b = new byte[size];
            memory.read(address, b, 0, size);
            return b;
        } catch (MemoryNotPresentException e) {
            int n = (int) Math.max(0, Math.min(size, e.address() - address));
            byte[] b = new byte[n];
            memory.read(address, b, 0, n);
            return b;
        }
    }

    private static boolean matches(MemorySegment page, long off, byte[] what) {
        for (int i = 0; i < what.length; i++) {
            if (page.get(ValueLayout.JAVA_BYTE, off + i) != what[i]) {
                return false;
            }
        }
        return true;
    }
}
