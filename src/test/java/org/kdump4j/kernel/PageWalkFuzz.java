package org.kdump4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.kdump4j.elf.Machine;

/**
 * Fuzzes the page-table walkers over arbitrary memory. Input: byte 0 picks the paging mode (x86_64 4- or
 * 5-level, with or without an encryption mask; aarch64 granules and widths), bytes 1..16 are two virtual
 * addresses, the rest is physical memory from address 0, where the root table lives. Setting up the
 * address space and every walk must end and fail only with {@link TranslationException}; a walk is
 * deterministic (the table cache never changes an answer) and yields an address below 2^52.
 */
class PageWalkFuzz {
    static final String[] MODES = {"x86-4", "x86-5", "x86-4-sme", "arm-4k-48", "arm-4k-39", "arm-16k-47",
        "arm-64k-52", "arm-4k-52", "arm-64k-42", "arm-16k-36"};

    static SyntheticMemory setUp(int mode, byte[] memory) {
        SyntheticMemory mem = new SyntheticMemory(Math.max(memory.length, 8), ByteOrder.LITTLE_ENDIAN);
        System.arraycopy(memory, 0, mem.bytes, 0, memory.length);
        String m = MODES[mode];
        if (m.startsWith("x86")) {
            mem.info("SYMBOL(init_top_pgt)", SyntheticMemory.hex(AddressSpace.X86_64_START_KERNEL_MAP))
                    .info("NUMBER(phys_base)", "0").info("NUMBER(pgtable_l5_enabled)", m.equals("x86-5") ? "1" : "0")
                    .info("PAGESIZE", "4096");
            if (m.endsWith("sme")) {
                mem.info("NUMBER(sme_mask)", Long.toString(1L << 47));
            }
        } else {
            String[] p = m.split("-");
            int granule = Integer.parseInt(p[1].replace("k", "")) * 1024;
            int vaBits = Integer.parseInt(p[2]);
            long swapper = 0xffff_ffc0_0800_0000L;
            mem.info("PAGESIZE", Integer.toString(granule)).info("NUMBER(VA_BITS)", Integer.toString(vaBits))
                    .info("NUMBER(TCR_EL1_T1SZ)", "0x" + Integer.toHexString(64 - vaBits))
                    .info("SYMBOL(swapper_pg_dir)", SyntheticMemory.hex(swapper))
                    .info("NUMBER(kimage_voffset)", "0x" + SyntheticMemory.hex(swapper));
        }
        return mem;
    }

    @FuzzTest(maxDuration = "60s")
    void fuzz(byte[] data) throws IOException {
        if (data.length < 17) {
            return;
        }
        int mode = (data[0] & 0xff) % MODES.length;
        ByteBuffer b = ByteBuffer.wrap(data, 1, 16).order(ByteOrder.LITTLE_ENDIAN);
        long[] vas = {b.getLong(), b.getLong(), 0};
        vas[2] = vas[0] | 0xffff_8000_0000_0000L;
        SyntheticMemory mem = setUp(mode, Arrays.copyOfRange(data, 17, data.length));
        Machine machine = MODES[mode].startsWith("x86") ? Machine.X86_64 : Machine.AARCH64;
        AddressSpace as;
        try {
            as = AddressSpace.of(mem.memory(4096), Optional.of(mem.vmcoreInfo()), machine, ByteOrder.LITTLE_ENDIAN,
                    List.of());
        } catch (TranslationException expected) {
            return;
        }
        for (long va : vas) {
            Long first = null;
            for (int round = 0; round < 2; round++) {
                try {
                    AddressSpace.Translation t = as.walk(va);
                    assertTrue(Long.compareUnsigned(t.physicalAddress(), 1L << 52) < 0,
                            Long.toHexString(t.physicalAddress()));
                    assertTrue(t.contiguousBytes() > 0);
                    if (first != null) {
                        assertEquals(first.longValue(), t.physicalAddress());
                    }
                    first = t.physicalAddress();
                } catch (TranslationException expected) {
                    assertEquals(null, first);
                }
            }
            try {
                as.readVirtual(va, 16);
            } catch (TranslationException expected) {
                // not mapped or not in the dump
            }
        }
    }
}
