package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** setup_elfcorehdr() (kernel/crash_dump.c) rules. */
class ElfCoreHdrParamTest {

    @Test
    @DisplayName("elfcorehdr=offset: memparse rules, the kexec_file form 0x<hex>")
    void hexOffset() throws Exception {
        assertEquals(new ElfCoreHdrParam(0x6000000L, 0), ElfCoreHdrParam.parse("0x6000000"));
    }

    @Test
    @DisplayName("elfcorehdr=offset: the kexec-tools form <addr/1024>K")
    void kibOffset() throws Exception {
        assertEquals(new ElfCoreHdrParam(507252L * 1024, 0), ElfCoreHdrParam.parse("507252K"));
    }

    @Test
    @DisplayName("elfcorehdr=size@offset: the number before '@' is the size")
    void sizeAtOffset() throws Exception {
        assertEquals(new ElfCoreHdrParam(1L << 20, 4096), ElfCoreHdrParam.parse("4K@1M"));
    }

    @Test
    @DisplayName("setup_elfcorehdr: only 'nothing consumed' is an error: 5@ is size 5 at 0, @5 is address 5")
    void emptyPartsAroundAt() throws Exception {
        assertEquals(new ElfCoreHdrParam(0, 5), ElfCoreHdrParam.parse("5@"));
        assertEquals(new ElfCoreHdrParam(5, 0), ElfCoreHdrParam.parse("@5"));
    }

    @Test
    @DisplayName("setup_elfcorehdr: trailing junk is ignored")
    void trailingJunkIgnored() throws Exception {
        assertEquals(new ElfCoreHdrParam(0x1000, 0), ElfCoreHdrParam.parse("0x1000xyz"));
    }

    @Test
    @DisplayName("setup_elfcorehdr: no digits at all is -EINVAL")
    void noDigitsIsRejected() {
        BootParseException e = assertThrows(BootParseException.class, () -> ElfCoreHdrParam.parse("foo"));
        assertEquals(0, e.position());
        assertEquals("elfcorehdr=foo: memory value expected, found 'f' at position 1", e.getMessage());
        assertThrows(BootParseException.class, () -> ElfCoreHdrParam.parse(""));
    }

    @Test
    @DisplayName("early_param: every occurrence overwrites the address, the size persists, bare names and init args are ignored")
    void commandLineStateMachine() {
        KernelCommandLine line = KernelCommandLine.parse("elfcorehdr=4K@1M elfcorehdr elfcorehdr=2M -- elfcorehdr=3M");
        assertEquals(Optional.of(new ElfCoreHdrParam(2L << 20, 4096)), ElfCoreHdrParam.fromCommandLine(line));
    }

    @Test
    @DisplayName("setup_elfcorehdr quirk: elfcorehdr=foo stores address 0 before failing")
    void rejectedValueStillStoresZero() {
        assertEquals(Optional.of(new ElfCoreHdrParam(0, 0)),
                ElfCoreHdrParam.fromCommandLine(KernelCommandLine.parse("elfcorehdr=1M elfcorehdr=foo")));
        assertEquals(Optional.empty(), ElfCoreHdrParam.fromCommandLine(KernelCommandLine.parse("quiet")));
    }

    @Test
    @DisplayName("format re-parses to the same value")
    void formatRoundTrips() throws Exception {
        for (ElfCoreHdrParam p : new ElfCoreHdrParam[] {new ElfCoreHdrParam(0x6000000L, 0), new ElfCoreHdrParam(0, 0),
                new ElfCoreHdrParam(-1L, 4096), new ElfCoreHdrParam(1L << 20, 3)}) {
            String text = p.format();
            assertEquals(p, ElfCoreHdrParam.parse(text.substring("elfcorehdr=".length())), text);
        }
    }
}
