import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.kdump4j.boot.IomemResource;
import org.kdump4j.kexec.Errno;
import org.kdump4j.kexec.KexecException;
import org.kdump4j.kexec.KexecLoader;
import org.kdump4j.kexec.KexecSegment;
import org.kdump4j.kexec.KexecStatus;
import org.kdump4j.kexec.SegmentLoad;

/**
 * Guest-only check of the low-level kexec_load form through the public API, on the class path
 * (META-INF/services, --enable-native-access=ALL-UNNAMED). Run ONLY inside the QEMU guest of
 * kdump-e2e.sh: it loads a dummy one-page crash image and unloads it again.
 *
 * <p>1. a segment outside the crash region is refused before the call (EADDRNOTAVAIL), and a loaded
 * crash kernel stays loaded; 2. a one-page segment at the region's start is accepted by the kernel
 * (kexec_crash_loaded becomes 1: the segment array crossed the FFM boundary intact); 3. the crash slot
 * is unloaded again (kexec_crash_loaded 0).
 */
public final class SegmentLoadCheck {
    private SegmentLoadCheck() {
    }

    private static String crashLoaded() throws Exception {
        return Files.readString(Path.of("/sys/kernel/kexec_crash_loaded")).strip();
    }

    public static void main(String[] args) throws Exception {
        if (!Files.readString(Path.of("/proc/cmdline")).contains("kdump4j.e2e=main")) {
            System.err.println("SegmentLoadCheck loads a dummy crash image: it runs only in the kdump-e2e.sh guest");
            System.exit(2);
        }
        KexecLoader loader = KexecLoader.best();
        System.out.println("segments: loader " + loader.name() + ", available " + loader.isAvailable());
        IomemResource region = KexecStatus.read().crashRegions().orElseThrow().getFirst();
        long base = region.start();
        KexecSegment outside = new KexecSegment(ByteBuffer.allocate(4096), region.end() + 1, 4096);
        try {
            loader.load(SegmentLoad.crash(base, List.of(outside)));
            System.out.println("segments-refused: FAILED, the load outside the region was accepted");
            System.exit(1);
        } catch (KexecException e) {
            System.out.println("segments-refused: " + e.syscall() + " " + e.errnoName() + " beforeCall=" + e.beforeCall()
                    + ": " + e.getMessage());
            if (!e.beforeCall() || !e.errno().equals(Errno.EADDRNOTAVAIL)) {
                System.exit(1);
            }
        }
        byte[] page = new byte[4096];
        page[0] = (byte) 0xf4; // hlt: never executed, the slot is unloaded below
        loader.load(SegmentLoad.crash(base, List.of(KexecSegment.of(page, base))));
        System.out.println("segments-loaded: kexec_load of 1 segment at 0x" + Long.toHexString(base)
                + " returned 0, kexec_crash_loaded=" + crashLoaded());
        loader.unloadCrash();
        System.out.println("segments-unloaded: kexec_crash_loaded=" + crashLoaded());
    }
}
