package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The other boot-side texts on arbitrary input: command-line tokenizing never fails and keeps token
 * bounds inside the text; elfcorehdr=, vmcoreinfo and the sysfs values give a value or a
 * {@link BootParseException}, and their format() re-parses.
 */
class BootTextFuzz {

    @FuzzTest
    void bootTextsParseOrFailTyped(byte[] data) {
        String text = FuzzSupport.latin1(data);
        KernelCommandLine line = KernelCommandLine.parse(text);
        int previousEnd = 0;
        for (KernelParameter p : line.parameters()) {
            assertTrue(p.start() >= previousEnd && p.end() <= text.length());
            previousEnd = p.end();
        }
        ElfCoreHdrParam.fromCommandLine(line);
        try {
            ElfCoreHdrParam p = ElfCoreHdrParam.parse(text);
            assertEquals(p, ElfCoreHdrParam.parse(p.format().substring(ElfCoreHdrParam.NAME.length() + 1)));
        } catch (BootParseException e) {
            assertEquals(0, e.position());
        }
        try {
            VmcoreInfoLocation v = VmcoreInfoLocation.parse(text);
            assertEquals(v, VmcoreInfoLocation.parse(v.format()));
        } catch (BootParseException e) {
            assertTrue(e.position() <= text.length());
        }
        try {
            SysfsKexecState.parseLoadedFlag(text);
        } catch (BootParseException e) {
            assertTrue(e.position() <= text.length());
        }
        try {
            assertTrue(SysfsKexecState.parseKexecCrashSize(text) >= 0);
        } catch (BootParseException e) {
            assertTrue(e.position() <= text.length());
        }
        try {
            SysfsKexecState.parseCrashNotes(text);
        } catch (BootParseException e) {
            assertTrue(e.position() <= text.length());
        }
        try {
            KernelVersion.parse(text);
        } catch (IllegalArgumentException expected) {
            // caller-supplied version strings: a usage error, not a parse result
        }
    }
}
