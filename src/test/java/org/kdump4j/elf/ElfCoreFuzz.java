package org.kdump4j.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.kdump4j.io.ByteSource;
import org.kdump4j.io.DumpFormatException;
import org.kdump4j.io.TruncatedDumpException;
import org.kdump4j.memory.MemoryNotPresentException;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.memory.PhysicalMemory;
import org.kdump4j.vmcore.CpuState;
import org.kdump4j.vmcore.MemoryDigest;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreInfo;
import org.kdump4j.vmcore.VmcoreOptions;

/**
 * Fuzzes the ELF core reader and, for inputs that parse, the whole {@link Vmcore} facade: header, notes,
 * CPU states, VMCOREINFO, physical memory (checked against a naive model of the {@code PT_LOAD}s) and
 * virtual reads. Bad input must give a {@link DumpFormatException} naming the source and an offset, reads
 * of missing memory a {@link MemoryNotPresentException}; anything else is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the seeds in {@code ElfCoreFuzzInputs/fuzz} (real vmcore
 * headers and shrunk real dumps) as a regression test; {@code bin/fuzz} runs a fuzzing campaign.
 */
class ElfCoreFuzz {
    static final String NAME = "fuzz.vmcore";

    @FuzzTest(maxDuration = "60s")
    void fuzz(byte[] data) throws IOException {
        ElfCore core;
        try {
            core = ElfCore.read(ByteSource.of(NAME, data));
        } catch (DumpFormatException e) {
            checkFormatException(e, data.length);
            return;
        }
        checkCore(core, data);
        Vmcore vm;
        try {
            vm = Vmcore.open(ByteSource.of(NAME, data), VmcoreOptions.defaults());
        } catch (DumpFormatException e) {
            checkFormatException(e, data.length);
            return;
        }
        try (vm) {
            exercise(vm, core, data);
        }
    }

    /** The exception contract: the source, an offset, and for truncation an impossible read. */
    static void checkFormatException(DumpFormatException e, long size) {
        assertEquals(NAME, e.source());
        assertTrue(e.getMessage().startsWith(NAME + ": "), e::getMessage);
        assertTrue(e.getMessage().contains("offset 0x" + Long.toHexString(e.offset())), e::getMessage);
        if (e instanceof TruncatedDumpException t) {
            assertEquals(size, t.sourceSize());
            assertTrue(t.offset() < 0 || t.length() < 0 || Long.compareUnsigned(t.offset(), size) > 0
                    || t.length() > size - t.offset(), () -> "not truncated: " + e.getMessage());
        } else {
            assertTrue(Long.compareUnsigned(e.offset(), size) < 0 || size == 0,
                    () -> "offset outside the file: " + e.getMessage());
        }
    }

    private static void checkCore(ElfCore core, byte[] data) {
        ElfHeader h = core.header();
        assertEquals(h.programHeaderCount(), core.programHeaders().size());
        for (int i = 0; i < core.programHeaders().size(); i++) {
            assertEquals(i, core.programHeaders().get(i).index());
        }
        // notes come segment by segment in table order (two PT_NOTEs may even share bytes), each inside one
        for (Note n : core.notes()) {
            assertTrue(core.programHeaders().stream().anyMatch(p -> p.isNote()
                    && Long.compareUnsigned(n.offset() - p.offset(), p.fileSize()) < 0), "note inside a PT_NOTE");
            assertTrue(n.descriptorOffset() >= n.offset() + Elf.NHDR_SIZE);
            assertTrue(n.descriptorOffset() + n.descriptorSize() <= data.length);
            assertArrayEquals(Arrays.copyOfRange(data, (int) n.descriptorOffset(),
                    (int) n.descriptorOffset() + n.descriptorSize()), n.descriptor());
        }
    }

    private static void exercise(Vmcore vm, ElfCore core, byte[] data) throws IOException {
        assertEquals(core.notes(), vm.notes());
        for (CpuState c : vm.cpus()) {
            c.programCounter();
            c.registers().forEach((k, v) -> assertTrue(k != null && v != null));
        }
        vm.vmcoreInfo().ifPresent(ElfCoreFuzz::touch);
        PhysicalMemory mem = vm.memory();
        int ps = mem.pageSize();
        assertTrue(ps >= 512 && Integer.bitCount(ps) == 1);
        List<ProgramHeader> loads = core.loads().stream()
                .filter(p -> p.physicalAddress() != -1L && p.memorySize() != 0).toList();
        Model model = new Model(loads, data);

        // every range's edges, and one byte either side
        List<MemoryRange> ranges = mem.ranges();
        for (int i = 0; i < Math.min(ranges.size(), 16); i++) {
            MemoryRange r = ranges.get(i);
            for (long a : new long[] {r.start() - 1, r.start(), r.start() + 1, r.last() - 1, r.last(), r.last() + 1}) {
                checkRead(mem, model, a, 1);
                checkRead(mem, model, a, 8);
                assertEquals(model.present(a), mem.isPresent(a), () -> "isPresent 0x" + Long.toHexString(a));
            }
            checkRead(mem, model, r.last() - 2, 5); // crosses the end of the range
            long pfn = Long.divideUnsigned(r.start(), ps);
            assertTrue(mem.isPagePresent(pfn));
            MemorySegment page = mem.page(pfn);
            assertEquals(ps, page.byteSize());
            byte[] expected = model.page(pfn, ps);
            assertEquals(-1, MemorySegment.ofArray(expected).mismatch(page), "page 0x" + Long.toHexString(pfn));
        }
        // each PT_LOAD's first and last stored byte, and a read that spans the whole (small) segment
        for (ProgramHeader p : loads.subList(0, Math.min(loads.size(), 16))) {
            checkRead(mem, model, p.physicalAddress(), 1);
            checkRead(mem, model, p.physicalAddress() + p.memorySize() - 1, 1);
            if (Long.compareUnsigned(p.memorySize(), 4096) <= 0) {
                checkRead(mem, model, p.physicalAddress(), (int) p.memorySize());
            }
            if (p.virtualAddress() != 0 && p.virtualAddress() != -1L) {
                byte[] b = new byte[4];
                try {
                    vm.readVirtual(p.virtualAddress(), b, 0, b.length);
                } catch (MemoryNotPresentException e) {
                    assertTrue(e.getMessage().startsWith(NAME + ": "));
                }
            }
        }
        // small dumps: every page, in order, once, with the model's bytes
        if (Long.compareUnsigned(mem.presentPageCount(), 64) <= 0) {
            long[] last = {-1};
            long[] count = {0};
            mem.forEachPage((pfn, page) -> {
                assertTrue(count[0] == 0 || Long.compareUnsigned(pfn, last[0]) > 0, "ascending pfns");
                last[0] = pfn;
                count[0]++;
                assertEquals(-1, MemorySegment.ofArray(model.page(pfn, ps)).mismatch(page));
            });
            assertEquals(mem.presentPageCount(), count[0]);
            MemoryDigest.of(mem);
        }
    }

    private static void touch(VmcoreInfo info) {
        info.osRelease();
        info.pageSize();
        info.crashTime();
        info.kernelOffset();
        info.symbol("_stext");
        info.entries().forEach((k, v) -> info.get(k));
    }

    private static void checkRead(PhysicalMemory mem, Model model, long address, int length) throws IOException {
        byte[] got = new byte[length];
        Long missing = model.firstMissing(address, length);
        try {
            mem.read(address, got, 0, length);
        } catch (MemoryNotPresentException e) {
            if (missing == null) {
                fail("read 0x" + Long.toHexString(address) + "+" + length + " failed but the model has it: " + e);
            }
            assertEquals(missing.longValue(), e.address(), e::getMessage);
            assertTrue(e.getMessage().startsWith(NAME + ": "), e::getMessage);
            return;
        } catch (IllegalArgumentException e) {
            // only for a range that wraps past the top of the address space: a caller mistake
            assertTrue(Long.compareUnsigned(address + length - 1, address) < 0, e::toString);
            return;
        }
        assertEquals(null, missing, () -> "read 0x" + Long.toHexString(address) + " succeeded over a hole");
        assertTrue(Long.compareUnsigned(address + length - 1, address) >= 0, "read wrapped past 2^64");
        assertArrayEquals(model.bytes(address, length), got, () -> "bytes at 0x" + Long.toHexString(address));
    }

    /**
     * The naive model: for each address, the first PT_LOAD storing it wins, then any zero-filling it. (Bulk
     * answers are built by copying stored runs in reverse priority order, so the model stays cheap.)
     */
    record Model(List<ProgramHeader> loads, byte[] data) {
        boolean present(long a) {
            for (ProgramHeader p : loads) {
                if (Long.compareUnsigned(a - p.physicalAddress(), p.memorySize()) < 0) {
                    return true;
                }
            }
            return false;
        }

        /** The first absent address in [a, a+len), or null. */
        Long firstMissing(long a, int len) {
            long x = a;
            long remaining = len;
            outer:
            while (remaining > 0) {
                for (ProgramHeader p : loads) {
                    long d = x - p.physicalAddress();
                    if (Long.compareUnsigned(d, p.memorySize()) < 0) {
                        long run = p.memorySize() - d; // unsigned, >= 1
                        if (Long.compareUnsigned(run, remaining) >= 0) {
                            return null;
                        }
                        x += run;
                        remaining -= run;
                        continue outer;
                    }
                }
                return x;
            }
            return null;
        }

        /** The bytes of [first, first+len): stored bytes by priority, everything else zero. */
        byte[] bytes(long first, int len) {
            byte[] b = new byte[len];
            long last = first + len - 1;
            for (int k = loads.size() - 1; k >= 0; k--) {
                ProgramHeader p = loads.get(k);
                if (p.fileSize() == 0) {
                    continue;
                }
                long s = p.physicalAddress();
                long e = s + p.fileSize() - 1;
                if (Long.compareUnsigned(s, last) > 0 || Long.compareUnsigned(e, first) < 0) {
                    continue;
                }
                long from = Long.compareUnsigned(s, first) > 0 ? s : first;
                long to = Long.compareUnsigned(e, last) < 0 ? e : last;
                System.arraycopy(data, (int) (p.offset() + (from - s)), b, (int) (from - first), (int) (to - from + 1));
            }
            return b;
        }

        byte[] page(long pfn, int ps) {
            return bytes(pfn * ps, ps);
        }
    }
}
