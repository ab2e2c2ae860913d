package org.kdump4j.kexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kdump4j.kexec.KexecFixtures.MIB;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Status from sysfs and /proc/iomem copies, and a dry-run simulation of such a system. */
class KexecStatusTest {
    @TempDir
    Path root;

    static void fakeSystem(Path root, String crashLoaded, long crashSize, String iomem) throws Exception {
        Path k = Files.createDirectories(root.resolve("sys/kernel"));
        Files.writeString(k.resolve("kexec_crash_loaded"), crashLoaded + "\n");
        Files.writeString(k.resolve("kexec_loaded"), "0\n");
        Files.writeString(k.resolve("kexec_crash_size"), crashSize + "\n");
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/iomem"), iomem);
    }

    @Test
    void readsTheLoadedFlagsSizeAndRegions() throws Exception {
        fakeSystem(root, "1", 256 * MIB, KexecFixtures.iomem(256 * MIB));
        KexecStatus s = KexecStatus.read(root);
        assertTrue(s.armed());
        assertEquals(Optional.of(false), s.loaded());
        assertEquals(256 * MIB, s.crashSize().getAsLong());
        assertEquals(0x2000_0000L, s.crashRegions().orElseThrow().getFirst().start());
    }

    @Test
    void aKernelWithoutKexecAndHiddenAddressesGiveEmptyFields() throws Exception {
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/iomem"), "00000000-00000000 : System RAM\n  00000000-00000000 : Crash kernel\n");
        KexecStatus s = KexecStatus.read(root);
        assertFalse(s.armed());
        assertTrue(s.crashLoaded().isEmpty() && s.crashSize().isEmpty() && s.crashRegions().isEmpty());
    }

    @Test
    void dryRunOfASystemStartsFromItsState() throws Exception {
        fakeSystem(root, "1", 128 * MIB, KexecFixtures.iomem(128 * MIB));
        DryRunKexecLoader d = DryRunKexecLoader.ofSystem(root);
        assertTrue(d.status().armed());
        d.unloadCrash();
        assertFalse(d.status().armed());
        assertTrue(KexecStatus.read(root).armed(), "the files are untouched");
    }
}
