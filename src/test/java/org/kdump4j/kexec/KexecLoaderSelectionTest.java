package org.kdump4j.kexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provider discovery and selection; never a null loader. No test here loads or unloads anything for real. */
class KexecLoaderSelectionTest {
    @TempDir
    Path dir;

    @Test
    void serviceLoaderFindsTheNativeAndTheDryRunLoaders() {
        List<String> names = KexecLoader.providers().stream().map(KexecLoader::name).toList();
        assertTrue(names.contains("linux"), names.toString());
        assertTrue(names.contains("dry-run"), names.toString());
        assertEquals("linux", names.getFirst(), "highest priority first");
        assertEquals("dry-run", KexecLoader.named("dry-run").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KexecLoader.named("nope"));
        assertTrue(e.getMessage().contains("linux") && e.getMessage().contains("dry-run"), e.getMessage());
    }

    @Test
    void bestIsNeverNullNorTheDryRunLoader() {
        KexecLoader best = KexecLoader.best();
        assertNotNull(best);
        assertTrue(best.isNative() || best.name().equals("unavailable"), best.toString());
        assertEquals(best.isAvailable(), best.unavailableReason().isEmpty());
    }

    @Test
    void theUnavailableLoaderSaysWhyOnEveryOperation() throws Exception {
        KexecLoader u = KexecLoader.unavailable("not Linux (os.name is 'Mac OS X')");
        assertFalse(u.isAvailable());
        assertFalse(u.isNative());
        Path k = Files.createFile(dir.resolve("k"));
        KexecUnavailableException e = assertThrows(KexecUnavailableException.class, () -> u.load(KexecRequest.crash(k)));
        assertTrue(e.getMessage().contains("not Linux"), e.getMessage());
        assertEquals("kexec_file_load", e.syscall());
        assertThrows(KexecUnavailableException.class, u::unloadCrash);
        assertThrows(KexecUnavailableException.class, u::unloadReboot);
        assertEquals("kexec_load", assertThrows(KexecUnavailableException.class,
                () -> u.load(SegmentLoad.crash(0x1000, List.of(new KexecSegment(java.nio.ByteBuffer.allocate(8), 0x1000, 0x1000))))).syscall());
        assertTrue(u.probe().isEmpty());
    }
}
