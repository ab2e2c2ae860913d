package org.kdump4j.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.kdump4j.elf.ElfCore;
import org.kdump4j.elf.Machine;
import org.kdump4j.elf.ProgramHeader;
import org.kdump4j.memory.MemoryNotPresentException;
import org.kdump4j.memory.PhysicalMemory;
import org.kdump4j.vmcore.VmcoreInfo;
import org.kdump4j.vmcore.VirtualMap;
import org.kdump4j.vmcore.Vmcore;

/**
 * The crashed kernel's virtual address space: kernel virtual addresses to physical ones, and reads of
 * kernel virtual memory that cross pages.
 *
 * <p>Translation tries the cheap linear mappings first and walks the kernel page tables otherwise:
 * <ol>
 * <li>{@code PT_LOAD} virtual addresses ({@link Method#PT_LOAD}), kept only if the page tables do not
 * contradict them (old kexec-tools wrote wrong ones for randomized kernels);</li>
 * <li>x86_64 kernel image ({@link Method#KERNEL_IMAGE}): {@code PA = VA - 0xffffffff80000000 + phys_base}
 * for the image window above {@code __START_KERNEL_map};</li>
 * <li>the direct (linear) map ({@link Method#DIRECT_MAP}): x86_64 {@code PA = VA - page_offset_base}
 * with the base derived from the RAM {@code PT_LOAD}s or, without them, from the page tables (the lowest
 * mapped 1 GiB slot of the direct-map window that maps physical 0); aarch64
 * {@code PA = VA - PAGE_OFFSET + PHYS_OFFSET} with {@code PAGE_OFFSET} for the layout before or after
 * Linux 5.4;</li>
 * <li>the page-table walk ({@link Method#PAGE_TABLES}): x86_64 4- and 5-level paging from
 * {@code init_top_pgt}; aarch64 4/16/64 KiB granules from {@code swapper_pg_dir}.</li>
 * </ol>
 * Everything needed comes from VMCOREINFO and the program headers; no vmlinux is read. Failures are
 * {@link TranslationException}s that say which level and entry stopped the walk. Safe for concurrent use.
 */
public final class AddressSpace {
    /** x86_64 {@code __START_KERNEL_map}: the kernel image's virtual base in every kernel version. */
    public static final long X86_64_START_KERNEL_MAP = 0xffff_ffff_8000_0000L;

    private static final long X86_64_DIRECT_MAP_SEARCH_L4 = 0xffff_8800_0000_0000L;
    private static final long X86_64_DIRECT_MAP_SEARCH_L5 = 0xff11_0000_0000_0000L;
    private static final long X86_64_KERNEL_HALF = 0xffff_8000_0000_0000L;
    private static final long DEFAULT_KERNEL_IMAGE_SIZE = 512L << 20;
    private static final int DIRECT_MAP_SEARCH_BUDGET = 1 << 16;

    /** How an address was translated. */
    public enum Method {
        /** A {@code PT_LOAD}'s {@code p_vaddr}/{@code p_paddr} pair. */
        PT_LOAD,
        /** The x86_64 kernel-image offset ({@code phys_base}). */
        KERNEL_IMAGE,
        /** The direct (linear) map of all physical memory. */
        DIRECT_MAP,
        /** A walk of the kernel page tables. */
        PAGE_TABLES
    }

    /**
     * One translation.
     *
     * @param virtualAddress the kernel virtual address
     * @param physicalAddress where it lives
     * @param contiguousBytes how many bytes from it on are known to be physically contiguous (to the end of
     *     the page or block, or of the linear mapping)
     * @param method how it was found
     */
    public record Translation(long virtualAddress, long physicalAddress, long contiguousBytes, Method method) {
    }

    private record Linear(long virtualStart, long size, long physicalStart, Method method, String origin) {
        boolean covers(long va) {
            return Long.compareUnsigned(va - virtualStart, size) < 0;
        }
    }

    private final String name;
    private final PhysicalMemory memory;
    private final Machine machine;
    private final ByteOrder order;
    private final int wordSize;
    private final PageTables tables;
    private final List<Linear> linears;
    private final OptionalLong directMapBase;
    private final List<String> diagnostics;

    private AddressSpace(String name, PhysicalMemory memory, Machine machine, ByteOrder order, int wordSize,
            PageTables tables, List<Linear> linears, OptionalLong directMapBase, List<String> diagnostics) {
        this.name = name;
        this.memory = memory;
        this.machine = machine;
        this.order = order;
        this.wordSize = wordSize;
        this.tables = tables;
        this.linears = List.copyOf(linears);
        this.directMapBase = directMapBase;
        this.diagnostics = List.copyOf(diagnostics);
    }

    /**
     * The address space of an open dump, chosen by its machine (x86_64 and aarch64 get page-table walks;
     * other machines, and dumps without VMCOREINFO, only the {@code PT_LOAD} virtual addresses). For a
     * raw memory image the VMCOREINFO is looked for in memory ({@link VmcoreInfoScan}).
     *
     * @throws IOException if the dump cannot be read while the translation is set up
     */
    public static AddressSpace of(Vmcore vmcore) throws IOException {
        return of(vmcore.memory(), VmcoreInfoScan.of(vmcore), vmcore.machine(), vmcore.byteOrder(),
                vmcore.elf().map(ElfCore::programHeaders).orElse(List.of()));
    }

    /**
     * The address space described by explicit parts (e.g. a raw memory image with VMCOREINFO found in it,
     * or constructed memory in tests).
     *
     * @param memory physical memory
     * @param info the kernel's VMCOREINFO (empty: only {@code PT_LOAD} virtual addresses are used)
     * @param machine the machine; {@code EM_NONE} (0) is resolved from VMCOREINFO when it names x86_64
     *     ({@code init_top_pgt}) or aarch64 ({@code kimage_voffset}) keys
     * @param order the byte order of the dumped machine
     * @param programHeaders program headers whose {@code PT_LOAD} virtual addresses may serve as fast path
     * @throws IOException if memory cannot be read while the translation is set up
     */
    public static AddressSpace of(PhysicalMemory memory, Optional<VmcoreInfo> info, Machine machine, ByteOrder order,
            List<ProgramHeader> programHeaders) throws IOException {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(programHeaders, "programHeaders");
        Machine m = resolveMachine(machine, info);
        List<Linear> loads = new ArrayList<>();
        for (ProgramHeader ph : VirtualMap.of(programHeaders).segments()) {
            if (Long.compareUnsigned(ph.virtualAddress() + ph.memorySize() - 1, ph.virtualAddress()) >= 0) {
                loads.add(new Linear(ph.virtualAddress(), ph.memorySize(), ph.physicalAddress(), Method.PT_LOAD,
                        "PT_LOAD[" + ph.index() + "]"));
            } // a virtual range wrapping past 2^64 is no linear mapping the walker can trust
        }
        Setup s = new Setup(memory, order, info.orElse(null), loads);
        if (info.isPresent() && m.equals(Machine.X86_64)) {
            s.x86_64();
        } else if (info.isPresent() && m.equals(Machine.AARCH64)) {
            s.aarch64();
        } else {
            s.linears.addAll(loads);
            s.diagnostics.add(info.isEmpty() ? "no VMCOREINFO: PT_LOAD virtual addresses only"
                    : "no page-table walker for " + m.architecture() + ": PT_LOAD virtual addresses only");
        }
        int wordSize = m.fixedWordSize().orElse(8);
        return new AddressSpace(memory.name(), memory, m, order, wordSize, s.tables, s.linears, s.directMapBase,
                s.diagnostics);
    }

    private static Machine resolveMachine(Machine machine, Optional<VmcoreInfo> info) {
        if (machine.value() != 0 || info.isEmpty()) {
            return machine;
        }
        VmcoreInfo i = info.get();
        if (i.symbol("init_top_pgt").isPresent() || i.symbol("init_level4_pgt").isPresent()) {
            return Machine.X86_64;
        }
        if (i.number("kimage_voffset").isPresent()) {
            return Machine.AARCH64;
        }
        return machine;
    }

    /** Builds the fast paths and the walker; one use. */
    private static final class Setup {
        final PhysicalMemory memory;
        final ByteOrder order;
        final VmcoreInfo info;
        final List<Linear> loads;
        final List<Linear> linears = new ArrayList<>();
        final List<String> diagnostics = new ArrayList<>();
        PageTables tables;
        OptionalLong directMapBase = OptionalLong.empty();

        Setup(PhysicalMemory memory, ByteOrder order, VmcoreInfo info, List<Linear> loads) {
            this.memory = memory;
            this.order = order;
            this.info = info;
            this.loads = loads;
        }

        void x86_64() throws IOException {
            OptionalLong rootSymbol = first(info.symbol("init_top_pgt"), info.symbol("init_level4_pgt"),
                    info.symbol("swapper_pg_dir"));
            OptionalLong physBase = info.number("phys_base");
            if (physBase.isEmpty()) {
                for (Linear l : loads) {
                    if (Long.compareUnsigned(l.virtualStart, X86_64_START_KERNEL_MAP) >= 0) {
                        physBase = OptionalLong.of(l.physicalStart - (l.virtualStart - X86_64_START_KERNEL_MAP));
                        diagnostics.add("phys_base from the kernel-text " + l.origin);
                        break;
                    }
                }
            }
            boolean fiveLevel = info.number("pgtable_l5_enabled").orElse(0) == 1;
            long sme = info.number("sme_mask").orElse(0);
            X86_64PageTables walker = null;
            if (rootSymbol.isPresent() && physBase.isPresent()) {
                long root = rootSymbol.getAsLong() - X86_64_START_KERNEL_MAP + physBase.getAsLong();
                walker = new X86_64PageTables(memory.name(), new TablePages(memory, order, 4096), root, fiveLevel,
                        sme);
                tables = walker;
            } else {
                diagnostics.add("no page-table walk: VMCOREINFO lacks "
                        + (rootSymbol.isEmpty() ? "SYMBOL(init_top_pgt)" : "NUMBER(phys_base)"));
            }
            addValidatedLoads();
            if (physBase.isPresent()) {
                long size = Math.min(Math.max(info.number("KERNEL_IMAGE_SIZE").orElse(DEFAULT_KERNEL_IMAGE_SIZE), 0),
                        1L << 30);
                linears.add(new Linear(X86_64_START_KERNEL_MAP, size, physBase.getAsLong(), Method.KERNEL_IMAGE,
                        "kernel image"));
            }
            // the direct map spans all of physical memory, but with randomized memory (4.8+) vmalloc may
            // start only ~10 TiB above the end of RAM: cover no more than the memory the dump holds
            long maxPhysBits = info.number("MAX_PHYSMEM_BITS").orElse(fiveLevel ? 52 : 46);
            long directSize = 1L << Math.clamp(maxPhysBits, 30, 56);
            List<org.kdump4j.memory.MemoryRange> ranges = memory.ranges();
            long top = ranges.isEmpty() ? 0 : ranges.getLast().last();
            long held = ((top | ((1L << 30) - 1)) + 1);
            if (held > 0 && held < directSize) {
                directSize = held;
            }
            OptionalLong base = OptionalLong.empty();
            for (Linear l : linears) {
                if (l.method == Method.PT_LOAD && Long.compareUnsigned(l.virtualStart, X86_64_KERNEL_HALF) >= 0
                        && Long.compareUnsigned(l.virtualStart, X86_64_START_KERNEL_MAP) < 0) {
                    base = OptionalLong.of(l.virtualStart - l.physicalStart);
                    diagnostics.add("direct map base from " + l.origin);
                    break;
                }
            }
            if (base.isEmpty() && walker != null) {
                base = searchDirectMap(walker, fiveLevel);
            }
            if (base.isPresent()) {
                directMapBase = base;
                linears.add(new Linear(base.getAsLong(), directSize, 0, Method.DIRECT_MAP, "direct map"));
            }
        }

        private OptionalLong searchDirectMap(X86_64PageTables walker, boolean fiveLevel) throws IOException {
            long from = fiveLevel ? X86_64_DIRECT_MAP_SEARCH_L5 : X86_64_DIRECT_MAP_SEARCH_L4;
            long candidate = walker.lowestMappedGigabyte(from, DIRECT_MAP_SEARCH_BUDGET);
            if (candidate == -1) {
                diagnostics.add("direct map base not found in the page tables");
                return OptionalLong.empty();
            }
            try {
                if (walker.walk(candidate).physicalAddress() == 0) {
                    diagnostics.add("direct map base from the page tables");
                    return OptionalLong.of(candidate);
                }
            } catch (TranslationException e) {
                // fall through
            }
            diagnostics.add("lowest mapped slot 0x" + Long.toHexString(candidate) + " does not map physical 0: "
                    + "no direct-map shortcut");
            return OptionalLong.empty();
        }

        void aarch64() throws IOException {
            OptionalLong pageSize = info.pageSize();
            int shift = pageSize.isPresent() && Long.bitCount(pageSize.getAsLong()) == 1
                    ? Long.numberOfTrailingZeros(pageSize.getAsLong()) : -1;
            OptionalLong vaBits = info.number("VA_BITS");
            OptionalLong t1sz = info.number("TCR_EL1_T1SZ");
            OptionalLong actual = t1sz.isPresent() && t1sz.getAsLong() >= 12 && t1sz.getAsLong() <= 39
                    ? OptionalLong.of(64 - t1sz.getAsLong()) : vaBits;
            OptionalLong voffset = info.number("kimage_voffset");
            OptionalLong swapper = info.symbol("swapper_pg_dir");
            if ((shift == 12 || shift == 14 || shift == 16) && vaBits.isPresent() && actual.isPresent()
                    && voffset.isPresent() && swapper.isPresent()) {
                long walkBits = shift == 16 ? vaBits.getAsLong() : actual.getAsLong();
                if (walkBits >= 25 && walkBits <= 52) {
                    tables = new Aarch64PageTables(memory.name(), new TablePages(memory, order, 1 << shift),
                            swapper.getAsLong() - voffset.getAsLong(), shift, (int) walkBits);
                } else {
                    diagnostics.add("no page-table walk: virtual-address width " + walkBits + " out of range");
                }
            } else {
                diagnostics.add("no page-table walk: VMCOREINFO lacks PAGESIZE, NUMBER(VA_BITS), "
                        + "NUMBER(kimage_voffset) or SYMBOL(swapper_pg_dir)");
            }
            addValidatedLoads();
            OptionalLong physOffset = info.number("PHYS_OFFSET");
            if (physOffset.isPresent() && vaBits.isPresent() && actual.isPresent() && vaBits.getAsLong() >= 25
                    && vaBits.getAsLong() <= 52 && actual.getAsLong() >= 25 && actual.getAsLong() <= 52) {
                boolean flipped = linearMapLow(vaBits.getAsLong());
                long start;
                long size;
                long pageOffset;
                if (flipped) {
                    // PAGE_OFFSET is -(1 << VA_BITS) as built; a 52-bit kernel on 48-bit hardware uses only
                    // the top 1 << 47 bytes of it and shifts PHYS_OFFSET ("negative") to match
                    pageOffset = -(1L << vaBits.getAsLong());
                    start = -(1L << actual.getAsLong());
                    size = 1L << (actual.getAsLong() - 1);
                } else {
                    pageOffset = -(1L << (vaBits.getAsLong() - 1));
                    start = pageOffset;
                    size = 1L << (vaBits.getAsLong() - 1);
                }
                long physicalStart = start - pageOffset + physOffset.getAsLong();
                directMapBase = OptionalLong.of(start - physicalStart);
                linears.add(new Linear(start, size, physicalStart, Method.DIRECT_MAP,
                        flipped ? "linear map (5.4+ layout)" : "linear map (pre-5.4 layout)"));
            }
        }

        /** Whether the linear map is in the lower half of the kernel range (Linux 5.4 and later). */
        private boolean linearMapLow(long vaBits) {
            OptionalLong stext = info.symbol("_stext");
            if (stext.isPresent()) {
                long pageEnd = -(1L << (Math.min(vaBits, 48) - 1));
                return Long.compareUnsigned(stext.getAsLong(), pageEnd) >= 0;
            }
            String release = info.osRelease().orElse("");
            String[] numbers = ReleaseNumbers.leading(release, 2);
            if (numbers != null) {
                int major = Integer.parseInt(numbers[0]);
                int minor = Integer.parseInt(numbers[1]);
                return major > 5 || major == 5 && minor >= 4;
            }
            return true;
        }

        /**
         * Adds the {@code PT_LOAD} mappings the page tables do not contradict. Each is checked at its
         * first, middle and last page: a different physical address drops it, and so does finding none of
         * the checked pages mapped; pages whose tables are not in the dump do not count either way.
         */
        private void addValidatedLoads() throws IOException {
            for (Linear l : loads) {
                if (tables == null) {
                    linears.add(l);
                    continue;
                }
                int agree = 0;
                int unmapped = 0;
                int unknown = 0;
                boolean contradicted = false;
                long[] offsets = {0, (l.size / 2) & ~0xfffL, (l.size - 1) & ~0xfffL};
                for (long off : offsets) {
                    long va = l.virtualStart + off;
                    try {
                        long pa = tables.walk(va).physicalAddress();
                        if (pa == l.physicalStart + off) {
                            agree++;
                        } else {
                            contradicted = true;
                        }
                    } catch (TranslationException e) {
                        if (e.kind() == TranslationException.Kind.TABLE_NOT_IN_DUMP) {
                            unknown++;
                        } else {
                            unmapped++;
                        }
                    }
                }
                if (contradicted || agree == 0 && unknown == 0) {
                    diagnostics.add(l.origin + " p_vaddr 0x" + Long.toHexString(l.virtualStart)
                            + (contradicted ? " disagrees with" : " is not mapped by") + " the page tables: ignored");
                } else {
                    linears.add(l);
                }
            }
        }

        private static OptionalLong first(OptionalLong... options) {
            for (OptionalLong o : options) {
                if (o.isPresent()) {
                    return o;
                }
            }
            return OptionalLong.empty();
        }
    }

    /**
     * Translates a kernel virtual address, by the cheapest method that applies.
     *
     * @throws TranslationException if it cannot be translated
     * @throws IOException if the dump cannot be read
     */
    public Translation translate(long va) throws IOException {
        for (Linear l : linears) {
            if (l.covers(va)) {
                return new Translation(va, l.physicalStart + (va - l.virtualStart), l.size - (va - l.virtualStart),
                        l.method);
            }
        }
        return walk(va);
    }

    /**
     * Translates through the page tables only (no fast path); for checking the fast paths.
     *
     * @throws TranslationException if it cannot be translated (kind {@code NO_TRANSLATION} when there is
     *     no page-table walker)
     */
    public Translation walk(long va) throws IOException {
        if (tables == null) {
            throw new TranslationException(name, TranslationException.Kind.NO_TRANSLATION, va, "none", 0, -1, null);
        }
        PageTables.Walk w = tables.walk(va);
        return new Translation(va, w.physicalAddress(), w.mappingSize() - (va & (w.mappingSize() - 1)),
                Method.PAGE_TABLES);
    }

    /**
     * The fast-path translation of {@code va}, without walking page tables; empty when no linear mapping
     * covers it.
     */
    public Optional<Translation> fastPath(long va) {
        for (Linear l : linears) {
            if (l.covers(va)) {
                return Optional.of(new Translation(va, l.physicalStart + (va - l.virtualStart),
                        l.size - (va - l.virtualStart), l.method));
            }
        }
        return Optional.empty();
    }

    /** The physical address of {@code va}. */
    public long toPhysical(long va) throws IOException {
        return translate(va).physicalAddress();
    }

    /**
     * Reads kernel virtual memory into {@code dst}, crossing pages and mappings as needed.
     *
     * @throws TranslationException if some page is not mapped or not in the dump
     * @throws IOException if the dump cannot be read
     */
    public void readVirtual(long va, byte[] dst, int dstOffset, int length) throws IOException {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        int done = 0;
        while (done < length) {
            long at = va + done;
            Translation t = translate(at);
            int n = (int) Math.min(length - done, Long.compareUnsigned(t.contiguousBytes(), Integer.MAX_VALUE) > 0
                    ? Integer.MAX_VALUE : t.contiguousBytes());
            if (n <= 0) {
                n = 1;
            }
            try {
                memory.read(t.physicalAddress(), dst, dstOffset + done, n);
            } catch (MemoryNotPresentException e) {
                throw new TranslationException(name, TranslationException.Kind.PAGE_NOT_IN_DUMP, at, t.method().name(),
                        0, e.address(), e);
            } catch (IllegalArgumentException e) {
                throw new TranslationException(name, TranslationException.Kind.PAGE_NOT_IN_DUMP, at, t.method().name(),
                        0, t.physicalAddress(), e);
            }
            done += n;
        }
    }

    /**
     * Reads {@code length} bytes of kernel virtual memory.
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public byte[] readVirtual(long va, int length) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("negative length: " + length);
        }
        byte[] b = new byte[length];
        readVirtual(va, b, 0, length);
        return b;
    }

    /** Reads an unsigned 8-bit value. */
    public int readU8(long va) throws IOException {
        return readVirtual(va, 1)[0] & 0xff;
    }

    /** Reads an unsigned 16-bit value in the dump's byte order. */
    public int readU16(long va) throws IOException {
        return ByteBuffer.wrap(readVirtual(va, 2)).order(order).getShort() & 0xffff;
    }

    /** Reads an unsigned 32-bit value in the dump's byte order. */
    public long readU32(long va) throws IOException {
        return ByteBuffer.wrap(readVirtual(va, 4)).order(order).getInt() & 0xffff_ffffL;
    }

    /** Reads a 64-bit value in the dump's byte order. */
    public long readU64(long va) throws IOException {
        return ByteBuffer.wrap(readVirtual(va, 8)).order(order).getLong();
    }

    /** Reads a word ({@code unsigned long}, a pointer) of the dumped machine, zero-extended. */
    public long readWord(long va) throws IOException {
        return wordSize == 4 ? readU32(va) : readU64(va);
    }

    /**
     * Reads a NUL-terminated string of at most {@code maxLength} bytes (the NUL not included); stops early
     * at the NUL, so bytes after it need not be in the dump.
     */
    public byte[] readCString(long va, int maxLength) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[64];
        long at = va;
        while (out.size() < maxLength) {
            int n = Math.min(chunk.length, maxLength - out.size());
            long toPage = 4096 - (at & 4095);
            n = (int) Math.min(n, toPage);
            readVirtual(at, chunk, 0, n);
            for (int i = 0; i < n; i++) {
                if (chunk[i] == 0) {
                    out.write(chunk, 0, i);
                    return out.toByteArray();
                }
            }
            out.write(chunk, 0, n);
            at += n;
        }
        return out.toByteArray();
    }

    /** The walker, or null; for scans in this package. */
    PageTables tables() {
        return tables;
    }

    /** Whether a page-table walker is available. */
    public boolean hasPageTables() {
        return tables != null;
    }

    /** The physical address of the root page table, when there is a walker. */
    public OptionalLong pageTableRoot() {
        return tables == null ? OptionalLong.empty() : OptionalLong.of(tables.root());
    }

    /** What the walker does, e.g. {@code "x86_64 4-level paging"}; empty without one. */
    public Optional<String> paging() {
        return tables == null ? Optional.empty() : Optional.of(tables.describe());
    }

    /**
     * The virtual address that physical 0 has in the direct (linear) map, when known (modulo 2^64; physical
     * 0 itself need not be RAM): x86_64 {@code page_offset_base}; aarch64
     * {@code PAGE_OFFSET - PHYS_OFFSET}.
     */
    public OptionalLong directMapBase() {
        return directMapBase;
    }

    /** How the translation was set up (sources of bases, ignored {@code PT_LOAD}s), for diagnostics. */
    public List<String> diagnostics() {
        return diagnostics;
    }

    /** The physical memory read through. */
    public PhysicalMemory memory() {
        return memory;
    }

    /** The machine whose rules are used. */
    public Machine machine() {
        return machine;
    }

    /** The dumped machine's byte order. */
    public ByteOrder byteOrder() {
        return order;
    }

    /** The dumped machine's word size in bytes. */
    public int wordSize() {
        return wordSize;
    }

    /** The dump's name, for messages. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "AddressSpace[" + name + ", " + paging().orElse("PT_LOAD only") + "]";
    }
}
