package org.kdump4j.kexec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The low-level {@code kexec_load} request, for callers who bring their own purgatory and boot
 * protocol set-up: an entry point and at most 16 page-aligned, non-overlapping segments.
 *
 * <p>The structural rules of the kernel's {@code sanity_check_segment_list()} are checked here, so a
 * bad list is an {@link IllegalArgumentException} before any call. That a crash load lies inside the
 * reserved region is checked by the loader against the live {@code /proc/iomem}
 * ({@link CrashRegionCheck#checkSegments}), because the kernel frees the crash kernel already loaded
 * <em>before</em> it finds that mistake.
 *
 * @param target the image slot
 * @param entry the physical entry point (of the purgatory)
 * @param segments the segments, 1 to 16
 * @param pageSize the page size the destinations must be aligned to
 */
public record SegmentLoad(KexecTarget target, long entry, List<KexecSegment> segments, long pageSize) {

    /** Checks the count, the alignment, overlaps and wrap-around. */
    public SegmentLoad {
        Objects.requireNonNull(target, "target");
        segments = List.copyOf(segments);
        if (pageSize <= 0 || Long.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two: " + pageSize);
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("no segments: kexec_load with zero segments unloads; use unloadCrash()");
        }
        if (segments.size() > KexecAbi.SEGMENT_MAX) {
            throw new IllegalArgumentException(segments.size() + " segments: kexec_load takes at most " + KexecAbi.SEGMENT_MAX);
        }
        for (KexecSegment s : segments) {
            if ((s.memory() & (pageSize - 1)) != 0 || (s.memorySize() & (pageSize - 1)) != 0) {
                throw new IllegalArgumentException("segment 0x" + Long.toHexString(s.memory()) + "+0x"
                        + Long.toHexString(s.memorySize()) + " is not aligned to the page size " + pageSize);
            }
        }
        List<KexecSegment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparing(KexecSegment::memory, Long::compareUnsigned));
        for (int i = 1; i < sorted.size(); i++) {
            if (Long.compareUnsigned(sorted.get(i).memory(), sorted.get(i - 1).end()) < 0) {
                throw new IllegalArgumentException("segments at 0x" + Long.toHexString(sorted.get(i - 1).memory())
                        + " and 0x" + Long.toHexString(sorted.get(i).memory()) + " overlap");
            }
        }
    }

    /** A crash-kernel segment load with 4 KiB pages. */
    public static SegmentLoad crash(long entry, List<KexecSegment> segments) {
        return new SegmentLoad(KexecTarget.CRASH, entry, segments, 4096);
    }

    /** The {@code kexec_load} flags for this request on {@code abi}: {@code KEXEC_ON_CRASH} and the architecture. */
    public long flags(KexecAbi abi) {
        return (target == KexecTarget.CRASH ? KexecAbi.KEXEC_ON_CRASH : 0) | abi.archFlag();
    }
}
