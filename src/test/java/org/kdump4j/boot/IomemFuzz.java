package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** /proc/iomem on arbitrary text: a tree or a positioned parse error, linear work, format() round-trips. */
class IomemFuzz {

    @FuzzTest
    void parsesOrFailsTypedAndRoundTrips(byte[] data) {
        String text = FuzzSupport.latin1(data);
        CountingChars counted = new CountingChars(text);
        Iomem io;
        try {
            io = Iomem.parse(counted);
        } catch (BootParseException e) {
            assertTrue(e.position() <= text.length(), e::getMessage);
            return;
        } finally {
            FuzzSupport.assertLinear(counted, 8, 100);
        }
        String formatted = io.format();
        try {
            assertEquals(io, Iomem.parse(formatted));
        } catch (BootParseException e) {
            throw new AssertionError("format() output does not parse: " + formatted, e);
        }
        if (io.addressesHidden()) {
            return;
        }
        long ram = io.bootSystemRamBytes();
        io.systemRam();
        io.crashKernel();
        io.kernelCode();
        assertTrue(ram == 0 || !io.systemRam().isEmpty());
    }
}
