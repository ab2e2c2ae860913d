package org.kdump4j.kexec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.kdump4j.boot.Iomem;
import org.kdump4j.boot.IomemResource;
import org.kdump4j.boot.MemorySize;

/**
 * Whether the crash kernel region reserved at boot ({@code crashkernel=}, shown as {@code Crash kernel}
 * in {@code /proc/iomem}) exists and is big enough for a kernel and initrd, checked before a load,
 * because a failed crash load first frees the crash kernel that was loaded.
 *
 * <p>Sizes: {@link #minimumBytes()} is what the segments need: the kernel's in-memory size (for an
 * x86 bzImage its {@code init_size} header field, otherwise the file size), the initrd, and 1 MiB for
 * boot parameters, purgatory and the ELF core header. Below it the kernel answers
 * {@code EADDRNOTAVAIL}. {@link #recommendedBytes()} adds 64 MiB in which the capture kernel and its
 * initramfs can run; below it the load works but the capture kernel may run out of memory.
 *
 * @param regions the {@code Crash kernel} regions (the main one and, with {@code ,high}, the low one)
 * @param kernelBytes the kernel's in-memory size
 * @param initrdBytes the initrd size (0 without one)
 * @param verdict the outcome
 */
public record CrashRegionCheck(List<IomemResource> regions, long kernelBytes, long initrdBytes, Verdict verdict) {

    /** Headroom for boot parameters, command line, purgatory, ELF core header and alignment. */
    public static final long OVERHEAD = MemorySize.MIB;
    /** Memory the capture kernel needs to run beyond its own image and initrd. */
    public static final long RUNTIME = 64 * MemorySize.MIB;

    /** The outcome of a check. */
    public enum Verdict {
        /** A region is reserved and has room for the kernel, the initrd and the capture kernel's run. */
        OK,
        /** The region can hold the images, but leaves less than {@link #RUNTIME} for the capture kernel. */
        TIGHT,
        /** The region cannot hold the images: the kernel would return {@code EADDRNOTAVAIL}. */
        TOO_SMALL,
        /** No region is reserved (the kernel was booted without {@code crashkernel=}, or it failed). */
        NONE_RESERVED
    }

    /** Copies the list. */
    public CrashRegionCheck {
        regions = List.copyOf(regions);
        Objects.requireNonNull(verdict, "verdict");
    }

    /**
     * Checks a parsed {@code /proc/iomem} for room for {@code kernelBytes} and {@code initrdBytes}.
     *
     * @throws IllegalStateException if the iomem addresses are hidden (read without root)
     */
    public static CrashRegionCheck check(Iomem iomem, long kernelBytes, long initrdBytes) {
        List<IomemResource> regions = iomem.crashKernel();
        long largest = largest(regions).map(IomemResource::size).orElse(0L);
        long min = kernelBytes + initrdBytes + OVERHEAD;
        Verdict v;
        if (regions.isEmpty() || largest == 0) {
            v = Verdict.NONE_RESERVED;
        } else if (Long.compareUnsigned(largest, min) < 0) {
            v = Verdict.TOO_SMALL;
        } else if (Long.compareUnsigned(largest, min + RUNTIME) < 0) {
            v = Verdict.TIGHT;
        } else {
            v = Verdict.OK;
        }
        return new CrashRegionCheck(regions, kernelBytes, initrdBytes, v);
    }

    /**
     * Checks a {@code kexec_file_load} request's files against a parsed {@code /proc/iomem}.
     *
     * @throws IOException if a file cannot be read
     */
    public static CrashRegionCheck forRequest(Iomem iomem, KexecRequest request) throws IOException {
        long kernel = kernelMemorySize(request.kernel());
        long initrd = request.initrd().isPresent() ? Files.size(request.initrd().get()) : 0;
        return check(iomem, kernel, initrd);
    }

    /**
     * Checks that a crash {@link SegmentLoad}'s entry point and every segment lie inside one reserved
     * region, as the kernel does; a reboot load passes.
     *
     * @throws KexecException ({@code EADDRNOTAVAIL}, before the call) when one does not
     */
    public static void checkSegments(Iomem iomem, SegmentLoad load) throws KexecException {
        if (load.target() != KexecTarget.CRASH) {
            return;
        }
        List<IomemResource> regions = iomem.crashKernel();
        if (regions.isEmpty()) {
            throw new KexecException("kexec_load", Errno.EADDRNOTAVAIL, "no Crash kernel region in /proc/iomem", true);
        }
        if (regions.stream().noneMatch(r -> r.contains(load.entry()))) {
            throw new KexecException("kexec_load", Errno.EADDRNOTAVAIL, "entry 0x" + Long.toHexString(load.entry())
                    + " is outside the crash kernel region " + regions, true);
        }
        for (KexecSegment s : load.segments()) {
            boolean inside = regions.stream().anyMatch(r -> r.contains(s.memory())
                    && (s.memorySize() == 0 || r.contains(s.end() - 1)));
            if (!inside) {
                throw new KexecException("kexec_load", Errno.EADDRNOTAVAIL, "segment 0x" + Long.toHexString(s.memory())
                        + "-0x" + Long.toHexString(s.end() - 1) + " is outside the crash kernel region " + regions, true);
            }
        }
    }

    /**
     * The memory a kernel image occupies once loaded: an x86 bzImage's {@code init_size} (boot protocol
     * 2.10+, the size the kernel needs to decompress and run in place), else the file size.
     */
    public static long kernelMemorySize(Path kernel) throws IOException {
        long size = Files.size(kernel);
        byte[] head;
        try (InputStream in = Files.newInputStream(kernel)) {
            head = in.readNBytes(0x264);
        }
        if (head.length == 0x264) {
            ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            boolean hdrS = b.getInt(0x202) == 0x53726448; // "HdrS"
            int version = Short.toUnsignedInt(b.getShort(0x206));
            if (hdrS && version >= 0x020a) {
                long initSize = Integer.toUnsignedLong(b.getInt(0x260));
                return Math.max(size, initSize);
            }
        }
        return size;
    }

    /** The largest region, where {@code kexec_file_load} places the images. */
    public Optional<IomemResource> largestRegion() {
        return largest(regions);
    }

    private static Optional<IomemResource> largest(List<IomemResource> regions) {
        return regions.stream().max(Comparator.comparing(IomemResource::size, Long::compareUnsigned));
    }

    /** What the images need at least. */
    public long minimumBytes() {
        return kernelBytes + initrdBytes + OVERHEAD;
    }

    /** What the images and the capture kernel's run should have. */
    public long recommendedBytes() {
        return minimumBytes() + RUNTIME;
    }

    /** Whether the kernel can place the images ({@link Verdict#OK} or {@link Verdict#TIGHT}). */
    public boolean loadable() {
        return verdict == Verdict.OK || verdict == Verdict.TIGHT;
    }

    /** One sentence for a person. */
    public String describe() {
        String need = "kernel " + MemorySize.human(kernelBytes) + " + initrd " + MemorySize.human(initrdBytes)
                + " need at least " + MemorySize.human(minimumBytes()) + ", " + MemorySize.human(recommendedBytes())
                + " recommended";
        return switch (verdict) {
            case NONE_RESERVED -> "no crash kernel memory is reserved (no 'Crash kernel' in /proc/iomem): boot with "
                    + "crashkernel=SIZE (e.g. crashkernel=256M)";
            case TOO_SMALL -> "the crash kernel region (" + MemorySize.human(largestRegion().orElseThrow().size())
                    + ") is too small: " + need;
            case TIGHT -> "the crash kernel region (" + MemorySize.human(largestRegion().orElseThrow().size())
                    + ") holds the images but leaves the capture kernel little memory: " + need;
            case OK -> "the crash kernel region (" + MemorySize.human(largestRegion().orElseThrow().size())
                    + ") is big enough: " + need;
        };
    }
}
