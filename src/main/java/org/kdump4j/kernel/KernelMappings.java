package org.kdump4j.kernel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.kdump4j.elf.Machine;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.vmcore.VmcoreInfo;
import org.kdump4j.vmcore.Vmcore;

/**
 * Where the crashed kernel maps physical memory, as far as the dump itself tells: the direct (linear) map
 * of all physical memory, and the kernel image's own mapping. These are the virtual addresses a
 * {@code /proc/vmcore} gives its {@code PT_LOAD}s (RAM at its direct-map address, plus one kernel-text
 * segment at the image's address) and that a dump without program headers (kdump-compressed, flattened, a
 * raw memory image) lacks.
 *
 * <p><b>Direct map</b>: {@link AddressSpace#directMapBase()} (x86_64 {@code page_offset_base}, found in the
 * page tables; aarch64 {@code PAGE_OFFSET - PHYS_OFFSET} from VMCOREINFO), checked against the page tables
 * at the first page of stored physical ranges: one that the page tables map to another physical address
 * rejects the base. Physical address {@code p} is at {@code base + p} (the kernel's {@code __va()}), whether
 * or not the kernel mapped that page (x86_64 documents the region as a mapping of all physical memory).
 *
 * <p><b>Kernel image</b> (x86_64, aarch64): from {@code SYMBOL(_stext)} rounded down to 2 MiB (the image's
 * load alignment on both, so this is {@code _text}), upward for as long as the kernel's page tables map it
 * linearly, i.e. every mapped page at the same virtual-to-physical offset as the start, which must be the
 * one VMCOREINFO gives ({@code phys_base} / {@code kimage_voffset}). Unmapped stretches inside are
 * stepped over a whole table entry at a time (kernels with page-table isolation unmap freed init and gap
 * pages from the image mapping, aarch64 unmaps the init section), but one of {@value #MAX_HOLE_MIB} MiB
 * ends the scan, and so does a page mapped elsewhere or a page-table page missing from the dump. x86_64
 * only looks inside the image window {@code [__START_KERNEL_map, +KERNEL_IMAGE_SIZE)}, where the kernel's
 * {@code cleanup_highmap} leaves nothing but the image mapped. The mapping ends with the last linearly
 * mapped page. On x86_64 that is the 2 MiB boundary after the kernel's brk area, so it may run up to 2 MiB
 * past {@code _end} (which VMCOREINFO does not give), where {@code /proc/vmcore} stops; those pages are
 * mapped there all the same.
 *
 * <p>What cannot be found is not guessed: {@link #directMapBase()} or {@link #kernelImage()} is empty and
 * {@link #warnings()} says why.
 */
public final class KernelMappings {
    /** An unmapped stretch this long ends the kernel image scan. */
    public static final int MAX_HOLE_MIB = 64;

    private static final long TWO_MIB = 2L << 20;
    private static final long MAX_HOLE = (long) MAX_HOLE_MIB << 20;
    private static final long MAX_IMAGE = 1L << 30;
    private static final long DEFAULT_X86_64_IMAGE_WINDOW = 512L << 20;
    private static final int DIRECT_MAP_CHECKS = 256;

    /**
     * The kernel image's mapping: {@code [virtualStart, virtualStart + size)} maps linearly to
     * {@code [physicalStart, physicalStart + size)}.
     *
     * @param virtualStart the first virtual address ({@code _text})
     * @param physicalStart where it lives
     * @param size bytes mapped, a multiple of the page size
     */
    public record ImageMapping(long virtualStart, long physicalStart, long size) {
        /** The physical end (exclusive). */
        public long physicalEnd() {
            return physicalStart + size;
        }

        /** The virtual address of a physical address inside the mapping. */
        public long virtualAddress(long physicalAddress) {
            if (Long.compareUnsigned(physicalAddress - physicalStart, size) >= 0) {
                throw new IllegalArgumentException("physical 0x" + Long.toHexString(physicalAddress)
                        + " is outside the kernel image mapping " + this);
            }
            return virtualStart + (physicalAddress - physicalStart);
        }

        @Override
        public String toString() {
            return "0x" + Long.toHexString(virtualStart) + "-0x" + Long.toHexString(virtualStart + size)
                    + " -> physical 0x" + Long.toHexString(physicalStart);
        }
    }

    private final AddressSpace space;
    private final OptionalLong directMapBase;
    private final Optional<ImageMapping> kernelImage;
    private final List<String> warnings;
    private final List<String> diagnostics;

    private KernelMappings(AddressSpace space, OptionalLong directMapBase, Optional<ImageMapping> kernelImage,
            List<String> warnings, List<String> diagnostics) {
        this.space = space;
        this.directMapBase = directMapBase;
        this.kernelImage = kernelImage;
        this.warnings = List.copyOf(warnings);
        this.diagnostics = List.copyOf(diagnostics);
    }

    /**
     * The mappings of an open dump (its VMCOREINFO, machine and page tables; a raw image's VMCOREINFO is
     * looked for in memory).
     *
     * @throws IOException if the dump cannot be read
     */
    public static KernelMappings of(Vmcore vmcore) throws IOException {
        Optional<VmcoreInfo> info = VmcoreInfoScan.of(vmcore);
        AddressSpace space = AddressSpace.of(vmcore.memory(), info, vmcore.machine(), vmcore.byteOrder(),
                vmcore.elf().map(org.kdump4j.elf.ElfCore::programHeaders).orElse(List.of()));
        return of(space, info);
    }

    /**
     * The mappings of an address space.
     *
     * @param space the crashed kernel's address space
     * @param info its VMCOREINFO (empty: nothing can be found)
     * @throws IOException if the dump cannot be read
     */
    public static KernelMappings of(AddressSpace space, Optional<VmcoreInfo> info) throws IOException {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(info, "info");
        List<String> warnings = new ArrayList<>();
        List<String> diagnostics = new ArrayList<>();
        if (info.isEmpty()) {
            String why = "the dump has no VMCOREINFO";
            warnings.add("direct map unknown: " + why);
            warnings.add("kernel image mapping unknown: " + why);
            return new KernelMappings(space, OptionalLong.empty(), Optional.empty(), warnings, diagnostics);
        }
        OptionalLong base = directMap(space, warnings, diagnostics);
        Optional<ImageMapping> image = image(space, info.get(), warnings, diagnostics);
        return new KernelMappings(space, base, image, warnings, diagnostics);
    }

    private static OptionalLong directMap(AddressSpace space, List<String> warnings, List<String> diagnostics)
            throws IOException {
        OptionalLong base = space.directMapBase();
        if (base.isEmpty()) {
            warnings.add("direct map unknown: " + (space.machine().equals(Machine.X86_64)
                    || space.machine().equals(Machine.AARCH64) ? String.join("; ", space.diagnostics())
                    : "no rule for " + space.machine().architecture()));
            return base;
        }
        long b = base.getAsLong();
        if (!space.hasPageTables()) {
            diagnostics.add("direct map base 0x" + Long.toHexString(b) + " (not checked: no page tables)");
            return base;
        }
        List<MemoryRange> ranges = space.memory().ranges();
        int step = Math.max(1, ranges.size() / DIRECT_MAP_CHECKS);
        int agree = 0;
        int checked = 0;
        for (int i = 0; i < ranges.size(); i += step) {
            long pa = ranges.get(i).start();
            long va = b + pa;
            checked++;
            long mapped;
            try {
                mapped = space.walk(va).physicalAddress();
            } catch (TranslationException e) {
                continue; // not mapped (a hole in RAM, MMIO) or tables not in the dump: no evidence either way
            }
            if (mapped != pa) {
                warnings.add("direct map unknown: base 0x" + Long.toHexString(b) + " rejected, the page tables map 0x"
                        + Long.toHexString(va) + " to physical 0x" + Long.toHexString(mapped) + ", not 0x"
                        + Long.toHexString(pa));
                return OptionalLong.empty();
            }
            agree++;
        }
        diagnostics.add("direct map base 0x" + Long.toHexString(b) + ": the page tables agree at " + agree + " of "
                + checked + " stored ranges checked (the others are not mapped)");
        return base;
    }

    private static Optional<ImageMapping> image(AddressSpace space, VmcoreInfo info, List<String> warnings,
            List<String> diagnostics) throws IOException {
        Machine m = space.machine();
        boolean x86 = m.equals(Machine.X86_64);
        if (!x86 && !m.equals(Machine.AARCH64)) {
            warnings.add("kernel image mapping unknown: no rule for " + m.architecture());
            return Optional.empty();
        }
        PageTables tables = space.tables();
        if (tables == null) {
            warnings.add("kernel image mapping unknown: no page tables to walk (" + String.join("; ",
                    space.diagnostics()) + ")");
            return Optional.empty();
        }
        OptionalLong stext = info.symbol("_stext");
        if (stext.isEmpty()) {
            warnings.add("kernel image mapping unknown: VMCOREINFO has no SYMBOL(_stext)");
            return Optional.empty();
        }
        long start = stext.getAsLong() & -TWO_MIB;
        long limit;
        OptionalLong expectedOffset; // physical minus virtual
        if (x86) {
            long window = Math.clamp(info.number("KERNEL_IMAGE_SIZE").orElse(DEFAULT_X86_64_IMAGE_WINDOW), TWO_MIB,
                    MAX_IMAGE);
            limit = AddressSpace.X86_64_START_KERNEL_MAP + window;
            if (Long.compareUnsigned(start, AddressSpace.X86_64_START_KERNEL_MAP) < 0
                    || Long.compareUnsigned(start, limit) >= 0) {
                warnings.add("kernel image mapping unknown: SYMBOL(_stext)=0x" + Long.toHexString(stext.getAsLong())
                        + " is outside the kernel image window");
                return Optional.empty();
            }
            OptionalLong physBase = info.number("phys_base");
            expectedOffset = physBase.isPresent()
                    ? OptionalLong.of(physBase.getAsLong() - AddressSpace.X86_64_START_KERNEL_MAP)
                    : OptionalLong.empty();
        } else {
            limit = Long.compareUnsigned(start, -MAX_IMAGE) >= 0 ? 0 : start + MAX_IMAGE;
            OptionalLong voffset = info.number("kimage_voffset");
            expectedOffset = voffset.isPresent() ? OptionalLong.of(-voffset.getAsLong()) : OptionalLong.empty();
        }
        long offset;
        try {
            PageTables.Walk w = tables.walk(start);
            offset = w.physicalAddress() - start;
        } catch (TranslationException e) {
            warnings.add("kernel image mapping unknown: its start 0x" + Long.toHexString(start)
                    + " (SYMBOL(_stext) rounded down to 2 MiB) does not translate: " + e.getMessage());
            return Optional.empty();
        }
        if (expectedOffset.isPresent() && expectedOffset.getAsLong() != offset) {
            warnings.add("kernel image mapping unknown: the page tables map 0x" + Long.toHexString(start)
                    + " to physical 0x" + Long.toHexString(start + offset) + ", VMCOREINFO says 0x"
                    + Long.toHexString(start + expectedOffset.getAsLong()));
            return Optional.empty();
        }
        long end = scan(tables, start, limit, offset, diagnostics);
        ImageMapping image = new ImageMapping(start, start + offset, end - start);
        diagnostics.add("kernel image " + image + " from SYMBOL(_stext) and the page tables");
        return Optional.of(image);
    }

    /** The end of the linear mapping from {@code start} (which is mapped); {@code limit} 0 means 2^64. */
    private static long scan(PageTables tables, long start, long limit, long offset, List<String> diagnostics)
            throws IOException {
        long va = start;
        long mappedEnd = start;
        while (limit == 0 || Long.compareUnsigned(va, limit) < 0) {
            long next;
            try {
                PageTables.Walk w = tables.walk(va);
                if (w.physicalAddress() - va != offset) {
                    diagnostics.add("kernel image scan: 0x" + Long.toHexString(va) + " maps to physical 0x"
                            + Long.toHexString(w.physicalAddress()) + ", not linearly: the image ends before it");
                    break;
                }
                next = (va | (w.mappingSize() - 1)) + 1;
                mappedEnd = limit != 0 && Long.compareUnsigned(next, limit) > 0 ? limit : next;
            } catch (TranslationException e) {
                if (e.kind() != TranslationException.Kind.NOT_MAPPED) {
                    diagnostics.add("kernel image scan stopped: " + e.getMessage());
                    break;
                }
                next = (va | (tables.entrySpan(e.level()) - 1)) + 1;
                if (Long.compareUnsigned(next - mappedEnd, MAX_HOLE) >= 0) {
                    break;
                }
            }
            if (next == 0) {
                break; // the top of the address space
            }
            va = next;
        }
        return mappedEnd;
    }

    /**
     * The virtual address of physical 0 in the direct map ({@code page_offset_base} on x86_64), when known
     * and not contradicted by the page tables.
     */
    public OptionalLong directMapBase() {
        return directMapBase;
    }

    /** The direct-map address of a physical address, when the direct map is known. */
    public OptionalLong directMapAddress(long physicalAddress) {
        return directMapBase.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(directMapBase.getAsLong() + physicalAddress);
    }

    /**
     * The direct-map address of a stored physical range, when the direct map is known and the kernel's
     * direct map holds the range: its page tables map the range's first or last page there (without page
     * tables to ask, the rule alone decides). Memory the kernel never mapped there (device memory a
     * hypervisor dump includes, firmware areas), or whose page-table pages cannot be read, gets none.
     *
     * @throws IOException if the dump cannot be read
     */
    public OptionalLong directMapAddress(long physicalStart, long size) throws IOException {
        OptionalLong va = directMapAddress(physicalStart);
        if (va.isEmpty() || !space.hasPageTables() || size <= 0) {
            return va;
        }
        long granule = space.tables().granule();
        long first = physicalStart & -granule;
        long last = (physicalStart + size - 1) & -granule;
        for (long pa : first == last ? new long[] {first} : new long[] {first, last}) {
            try {
                if (space.walk(directMapBase.getAsLong() + pa).physicalAddress() == pa) {
                    return va;
                }
            } catch (IOException e) {
                // not mapped there, or its page-table page cannot be read: try the other end
            }
        }
        return OptionalLong.empty();
    }

    /** The kernel image's mapping, when found. */
    public Optional<ImageMapping> kernelImage() {
        return kernelImage;
    }

    /** Why the direct map or the kernel image is unknown; empty when both were found. */
    public List<String> warnings() {
        return warnings;
    }

    /** How what was found was found, for diagnostics. */
    public List<String> diagnostics() {
        return diagnostics;
    }

    @Override
    public String toString() {
        return "KernelMappings[direct map " + (directMapBase.isPresent()
                ? "0x" + Long.toHexString(directMapBase.getAsLong()) : "unknown") + ", kernel image "
                + kernelImage.map(ImageMapping::toString).orElse("unknown") + "]";
    }
}
