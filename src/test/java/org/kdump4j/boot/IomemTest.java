package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** /proc/iomem as kernel/resource.c r_show() prints it. */
class IomemTest {
    static final String SAMPLE = """
            00000000-00000fff : Reserved
            00001000-0009ffff : System RAM
            00100000-bffdffff : System RAM
              2a000000-2affffff : Kernel code
              2b000000-2b7fffff : Kernel rodata
              2b800000-2b9fffff : Kernel data
              2ba00000-2bbfffff : Kernel bss
              b0000000-bfffffff : Crash kernel
            c0000000-febfffff : PCI Bus 0000:00
              fe000000-fe003fff : 0000:00:04.0
                fe000000-fe003fff : virtio-pci-modern
            100000000-43fffffff : System RAM
            """;

    @Test
    @DisplayName("r_show: pre-order lines, two spaces per level, inclusive ends, names after ' : '")
    void parsesTheTree() throws Exception {
        Iomem io = Iomem.parse(SAMPLE);
        assertEquals(5, io.resources().size());
        IomemResource ram = io.resources().get(2);
        assertEquals(0x100000L, ram.start());
        assertEquals(0xbffdffffL, ram.end());
        assertEquals("System RAM", ram.name());
        assertEquals(5, ram.children().size());
        assertEquals("virtio-pci-modern", io.resources().get(3).children().getFirst().children().getFirst().name());
        assertEquals(12, io.all().size());
        assertEquals(0x100000000L, io.resources().get(4).start());
    }

    @Test
    @DisplayName("queries: System RAM ranges and their boot total (sizes are end - start + 1)")
    void systemRam() throws Exception {
        Iomem io = Iomem.parse(SAMPLE);
        assertEquals(3, io.systemRam().size());
        assertEquals(0x9f000L + 0xbfee0000L + 0x340000000L, io.bootSystemRamBytes());
    }

    @Test
    @DisplayName("queries: the Crash kernel region(s) and the kernel image parts")
    void crashKernelAndKernelImage() throws Exception {
        Iomem io = Iomem.parse(SAMPLE);
        assertEquals(List.of(new IomemResource(0xb0000000L, 0xbfffffffL, "Crash kernel", List.of())), io.crashKernel());
        assertEquals(256L << 20, io.crashKernel().getFirst().size());
        assertEquals(0x2a000000L, io.kernelCode().orElseThrow().start());
        assertEquals(0x2b000000L, io.kernelRodata().orElseThrow().start());
        assertEquals(0x2b800000L, io.kernelData().orElseThrow().start());
        assertEquals(0x2ba00000L, io.kernelBss().orElseThrow().start());
    }

    @Test
    @DisplayName("names: 'System RAM (kmem)' counts as RAM; a second Crash kernel line is crashk_low_res")
    void hotplugRamAndLowCrashRegion() throws Exception {
        Iomem io = Iomem.parse("""
                00100000-7fffffff : System RAM
                  70000000-7fffffff : Crash kernel
                100000000-13fffffff : System RAM
                  120000000-13fffffff : Crash kernel
                140000000-17fffffff : dax0.0
                  140000000-17fffffff : System RAM (kmem)
                """);
        assertEquals(3, io.systemRam().size());
        assertEquals(0x7ff00000L + 0x40000000L, io.bootSystemRamBytes());
        assertEquals(2, io.crashKernel().size());
    }

    @Test
    @DisplayName("since 4.15 non-root readers see 00000000-00000000 everywhere: detected, address queries refuse")
    void zeroedAddressesAreDetected() throws Exception {
        Iomem io = Iomem.parse("""
                00000000-00000000 : System RAM
                  00000000-00000000 : Crash kernel
                """);
        assertTrue(io.addressesHidden());
        IllegalStateException e = assertThrows(IllegalStateException.class, io::systemRam);
        assertTrue(e.getMessage().contains("CAP_SYS_ADMIN"), e.getMessage());
        assertThrows(IllegalStateException.class, io::crashKernel);
        assertEquals("Crash kernel", io.resources().getFirst().children().getFirst().name());
        assertFalse(Iomem.parse(SAMPLE).addressesHidden());
        assertFalse(Iomem.parse("").addressesHidden());
    }

    @Test
    @DisplayName("format: prints what r_show prints (8-digit padding), and re-parses to the same tree")
    void formatRoundTrips() throws Exception {
        Iomem io = Iomem.parse(SAMPLE);
        assertEquals(SAMPLE, io.format());
        assertEquals(io, Iomem.parse(io.format()));
        assertEquals("00001000-0009ffff : System RAM", io.resources().get(1).toString());
    }

    @Test
    @DisplayName("lenient where the kernel varies: uppercase hex, short numbers (ioports), empty name, no final newline")
    void acceptsKernelVariants() throws Exception {
        Iomem io = Iomem.parse("0cf8-0cff : PCI conf1\n  ABCD-ABCE : ");
        assertEquals(0xcf8, io.resources().getFirst().start());
        assertEquals("", io.resources().getFirst().children().getFirst().name());
        assertThrows(BootParseException.class, () -> Iomem.parse("0000-001f"));
        assertEquals(0, new IomemResource(0, -1L, "all", List.of()).size());
    }

    @Test
    @DisplayName("errors: odd indentation, a level skipped, deeper than MAX_IORES_LEVEL, bad separators, overflow")
    void rejectsWhatTheKernelCannotPrint() {
        BootParseException e = assertThrows(BootParseException.class, () -> Iomem.parse("00000000-00000fff : a\n   00000000-00000fff : b\n"));
        assertEquals("iomem line 2", e.subject());
        assertEquals(25, e.position());
        e = assertThrows(BootParseException.class, () -> Iomem.parse("00000000-00000fff : a\n    00000000-00000fff : b\n"));
        assertTrue(e.reason().contains("indented 2 levels"), e.reason());
        StringBuilder deep = new StringBuilder();
        for (int d = 0; d <= 6; d++) {
            deep.append("  ".repeat(d)).append("00000000-00000fff : x\n");
        }
        e = assertThrows(BootParseException.class, () -> Iomem.parse(deep.toString()));
        assertTrue(e.reason().contains("at most 5"), e.reason());
        e = assertThrows(BootParseException.class, () -> Iomem.parse("00000000 00000fff : a\n"));
        assertEquals(8, e.position());
        e = assertThrows(BootParseException.class, () -> Iomem.parse("00000000-00000fff: a\n"));
        assertEquals(17, e.position());
        e = assertThrows(BootParseException.class, () -> Iomem.parse("10000000000000000-1 : a\n"));
        assertTrue(e.reason().contains("64 bits"), e.reason());
        e = assertThrows(BootParseException.class, () -> Iomem.parse("00000000-00000fff : a\n\n"));
        assertEquals("iomem line 2", e.subject());
        assertThrows(BootParseException.class, () -> Iomem.parse("  00000000-00000fff : a\n"));
    }

    @Test
    @DisplayName("a full 64-bit address parses (16 hex digits)")
    void sixteenDigitAddress() throws Exception {
        IomemResource r = Iomem.parse("fffffffffffff000-ffffffffffffffff : top\n").resources().getFirst();
        assertEquals(-4096L, r.start());
        assertEquals(4096, r.size());
        assertTrue(r.contains(-1L));
        assertFalse(r.contains(0));
    }
}
