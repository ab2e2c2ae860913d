package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kexec sysfs files (kernel/ksysfs.c, drivers/base/cpu.c) and their exact printf formats. */
class SysfsKexecStateTest {

    @Test
    @DisplayName("vmcoreinfo: current \"%pa %x\" form (0x + 16 digits, size hex without 0x)")
    void vmcoreinfoCurrentForm() throws Exception {
        assertEquals(new VmcoreInfoLocation(0x1370000L, 0x1024), VmcoreInfoLocation.parse("0x0000000001370000 1024\n"));
    }

    @Test
    @DisplayName("vmcoreinfo: old \"%lx %x\" form (2.6.24+, no 0x, early size 0x1000)")
    void vmcoreinfoOldForm() throws Exception {
        assertEquals(new VmcoreInfoLocation(0x1370000L, 0x1000), VmcoreInfoLocation.parse("1370000 1000\n"));
        assertEquals(new VmcoreInfoLocation(0x1370000L, 0x1000), VmcoreInfoLocation.parse("1370000 0x1000"));
    }

    @Test
    @DisplayName("vmcoreinfo: format() writes the current form and re-parses")
    void vmcoreinfoFormat() throws Exception {
        VmcoreInfoLocation v = new VmcoreInfoLocation(0x138fe000L, 0x1024);
        assertEquals("0x00000000138fe000 1024\n", v.format());
        assertEquals(v, VmcoreInfoLocation.parse(v.format()));
    }

    @Test
    @DisplayName("vmcoreinfo: errors carry the position")
    void vmcoreinfoErrors() {
        BootParseException e = assertThrows(BootParseException.class, () -> VmcoreInfoLocation.parse("0x1370000  1024\n"));
        assertEquals(10, e.position());
        e = assertThrows(BootParseException.class, () -> VmcoreInfoLocation.parse("0x1370000\n"));
        assertEquals(9, e.position());
        e = assertThrows(BootParseException.class, () -> VmcoreInfoLocation.parse("0x1370000 1024 x\n"));
        assertEquals(14, e.position());
        assertThrows(BootParseException.class, () -> VmcoreInfoLocation.parse("0x10000000000000000 1024"));
        assertThrows(BootParseException.class, () -> VmcoreInfoLocation.parse(""));
    }

    @Test
    @DisplayName("kexec_loaded / kexec_crash_loaded: \"%d\\n\" of 0 or 1 only")
    void loadedFlags() throws Exception {
        assertTrue(SysfsKexecState.parseLoadedFlag("1\n"));
        assertFalse(SysfsKexecState.parseLoadedFlag("0\n"));
        assertFalse(SysfsKexecState.parseLoadedFlag("0"));
        for (String bad : new String[] {"2\n", "01\n", "\n", "", "1\n\n", " 1"}) {
            assertThrows(BootParseException.class, () -> SysfsKexecState.parseLoadedFlag(bad), bad);
        }
    }

    @Test
    @DisplayName("kexec_crash_size / crash_notes_size: decimal bytes, no suffix")
    void decimalSizes() throws Exception {
        assertEquals(201326592L, SysfsKexecState.parseKexecCrashSize("201326592\n"));
        assertEquals(0, SysfsKexecState.parseKexecCrashSize("0\n"));
        assertEquals(368, SysfsKexecState.parseCrashNotesSize("368\n"));
        BootParseException e = assertThrows(BootParseException.class, () -> SysfsKexecState.parseKexecCrashSize("192M\n"));
        assertEquals(3, e.position());
        assertThrows(BootParseException.class, () -> SysfsKexecState.parseKexecCrashSize("-1\n"));
        assertThrows(BootParseException.class, () -> SysfsKexecState.parseKexecCrashSize("99999999999999999999\n"));
    }

    @Test
    @DisplayName("cpuN/crash_notes: \"%llx\\n\", hex without 0x")
    void crashNotes() throws Exception {
        assertEquals(0x1f03a400L, SysfsKexecState.parseCrashNotes("1f03a400\n"));
        BootParseException e = assertThrows(BootParseException.class, () -> SysfsKexecState.parseCrashNotes("0x1f03a400\n"));
        assertEquals(1, e.position());
    }

    @Test
    @DisplayName("read(root): every file from a captured tree; absent files give empty fields")
    void readsCapturedTree(@TempDir Path root) throws Exception {
        Path kernel = Files.createDirectories(root.resolve("sys/kernel"));
        Files.writeString(kernel.resolve("kexec_loaded"), "0\n");
        Files.writeString(kernel.resolve("kexec_crash_loaded"), "1\n");
        Files.writeString(kernel.resolve("kexec_crash_size"), "201326592\n");
        Files.writeString(kernel.resolve("vmcoreinfo"), "0x0000000001370000 1024\n");
        for (int cpu : new int[] {0, 1, 10}) {
            Path dir = Files.createDirectories(root.resolve("sys/devices/system/cpu/cpu" + cpu));
            Files.writeString(dir.resolve("crash_notes"), Long.toHexString(0x1f03a400L + cpu * 0x1000L) + "\n");
            if (cpu != 10) {
                Files.writeString(dir.resolve("crash_notes_size"), "368\n");
            }
        }
        Files.createDirectories(root.resolve("sys/devices/system/cpu/cpu2"));
        Files.createDirectories(root.resolve("sys/devices/system/cpu/cpufreq"));
        SysfsKexecState s = SysfsKexecState.read(root);
        assertEquals(Optional.of(false), s.kexecLoaded());
        assertEquals(Optional.of(true), s.kexecCrashLoaded());
        assertEquals(OptionalLong.of(201326592L), s.kexecCrashSize());
        assertEquals(Optional.of(new VmcoreInfoLocation(0x1370000L, 0x1024)), s.vmcoreinfo());
        assertEquals(List.of(new CpuCrashNotes(0, 0x1f03a400L, OptionalLong.of(368)),
                new CpuCrashNotes(1, 0x1f03b400L, OptionalLong.of(368)),
                new CpuCrashNotes(10, 0x1f044400L, OptionalLong.empty())), s.crashNotes());
        assertFalse(s.crashNotesDenied());
    }

    @Test
    @DisplayName("read(root): an empty root reads as 'nothing configured'; a malformed file is a parse error naming it")
    void emptyAndBrokenRoots(@TempDir Path root) throws Exception {
        SysfsKexecState s = SysfsKexecState.read(root);
        assertEquals(Optional.empty(), s.kexecLoaded());
        assertTrue(s.crashNotes().isEmpty());
        Files.createDirectories(root.resolve("sys/kernel"));
        Files.writeString(root.resolve("sys/kernel/kexec_crash_loaded"), "yes\n");
        BootParseException e = assertThrows(BootParseException.class, () -> SysfsKexecState.read(root));
        assertEquals("kexec_crash_loaded", e.subject());
    }
}
