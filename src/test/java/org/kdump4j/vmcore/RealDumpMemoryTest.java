package org.kdump4j.vmcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kdump4j.elf.ProgramHeader;
import org.kdump4j.io.AccessMode;
import org.kdump4j.io.SourceOptions;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.testing.TestData;

/** Physical memory of the committed real dumps: against the file's own bytes and across formats. */
class RealDumpMemoryTest {
    private static final String KEXEC_C = "x86_64-6.1-kexec-c";

    static List<String> dumps() {
        return TestData.elfDumps();
    }

    private static byte[] fileBytes(FileChannel ch, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                throw new IOException("EOF");
            }
        }
        return b.array();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    void readsAgreeWithBytesTakenStraightFromTheFile(String stem) throws IOException {
        Path path = TestData.dump(stem);
        Random rnd = new Random(stem.hashCode());
        try (Vmcore v = Vmcore.open(path, VmcoreOptions.defaults().withSource(new SourceOptions(AccessMode.MAPPED, 24)));
                FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            List<ProgramHeader> loads = v.elf().orElseThrow().loads();
            int checked = 0;
            for (ProgramHeader ph : loads) {
                for (int k = 0; k < 40 && ph.fileSize() > 0; k++) {
                    long delta = k == 0 ? 0 : k == 1 ? ph.fileSize() - 1 : Math.floorMod(rnd.nextLong(), ph.fileSize());
                    long paddr = ph.physicalAddress() + delta;
                    ProgramHeader winner = loads.stream().filter(o -> Long.compareUnsigned(paddr - o.physicalAddress(),
                            o.fileSize()) < 0).findFirst().orElseThrow();
                    int len = (int) Math.min(512, winner.physicalAddress() + winner.fileSize() - paddr);
                    byte[] expected = fileBytes(ch, winner.offset() + (paddr - winner.physicalAddress()), len);
                    byte[] got = new byte[len];
                    v.memory().read(paddr, got, 0, len);
                    assertArrayEquals(expected, got, stem + " paddr 0x" + Long.toHexString(paddr));
                    checked++;
                }
            }
            assertTrue(checked >= 40, "checked " + checked);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    void mappedTinyChunksAndPositionalReadsGiveTheSameDigest(String stem) throws IOException {
        Path path = TestData.dump(stem);
        MemoryDigest reference;
        try (Vmcore v = Vmcore.open(path)) {
            reference = MemoryDigest.of(v.memory());
            assertTrue(reference.pages() > 1000, "a real dump has data: " + reference);
        }
        for (SourceOptions o : new SourceOptions[] {new SourceOptions(AccessMode.MAPPED, 13),
            new SourceOptions(AccessMode.POSITIONAL, 30)}) {
            try (Vmcore v = Vmcore.open(path, VmcoreOptions.defaults().withSource(o))) {
                assertEquals(reference, MemoryDigest.of(v.memory()), o.toString());
            }
        }
    }

    @Test
    void theOldmemImageAndTheElfItCameFromGiveTheSameDigest() throws IOException {
        Path elf = TestData.dump(KEXEC_C + ".d31.elf");
        Path image = TestData.dump(KEXEC_C + ".oldmem");
        List<MemoryRange> ram = org.kdump4j.testing.Iomem.systemRam(TestData.file(KEXEC_C + ".oldmem.iomem"));
        assertFalse(ram.isEmpty());
        MemoryDigest fromElf;
        try (Vmcore v = Vmcore.open(elf)) {
            fromElf = MemoryDigest.of(v.memory());
        }
        try (Vmcore v = Vmcore.open(image, VmcoreOptions.defaults().withRaw(ram))) {
            assertEquals(DumpFormat.RAW, v.format());
            assertEquals(fromElf, MemoryDigest.of(v.memory()));
        }
    }

    @Test
    void everyNonZeroPageOfTheFilteredDumpEqualsTheFullVmcore() throws IOException {
        for (String run : List.of(KEXEC_C)) {
            try (Vmcore full = Vmcore.open(TestData.dump(run + ".vmcore"));
                    Vmcore filtered = Vmcore.open(TestData.dump(run + ".d31.elf"))) {
                MemorySegment zero = MemorySegment.ofArray(new byte[filtered.pageSize()]);
                long[] compared = {0};
                filtered.memory().forEachPage((pfn, page) -> {
                    if (page.mismatch(zero) == -1) {
                        return;
                    }
                    assertTrue(full.memory().isPagePresent(pfn), "pfn 0x" + Long.toHexString(pfn));
                    assertArrayEquals(full.memory().page(pfn).toArray(ValueLayout.JAVA_BYTE),
                            page.toArray(ValueLayout.JAVA_BYTE), run + " pfn 0x" + Long.toHexString(pfn));
                    compared[0]++;
                });
                assertTrue(compared[0] > 1000, run + ": compared " + compared[0]);
            }
        }
    }

    @Test
    void kernelTextReadThroughVirtualAddressesEqualsPhysicalReads() throws IOException {
        try (Vmcore v = Vmcore.open(TestData.dump(KEXEC_C + ".vmcore"))) {
            VmcoreInfo info = v.vmcoreInfo().orElseThrow();
            long initUts = info.symbol("init_uts_ns").orElseThrow();
            long nameOffset = info.offset("uts_namespace.name").orElseThrow();
            // struct new_utsname: 6 fields of 65 bytes: sysname, nodename, release, ...
            byte[] release = new byte[65];
            v.readVirtual(initUts + nameOffset + 2 * 65, release, 0, 65);
            String rel = new String(release, java.nio.charset.StandardCharsets.US_ASCII).split("\0")[0];
            assertEquals(info.osRelease().orElseThrow(), rel);
            byte[] sysname = new byte[65];
            v.readVirtual(initUts + nameOffset, sysname, 0, 65);
            assertEquals("Linux", new String(sysname, java.nio.charset.StandardCharsets.US_ASCII).split("\0")[0]);
        }
    }
}
