package org.kdump4j.vmcore;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kdump4j.diskdump.KdumpFile;
import org.kdump4j.elf.ElfCore;
import org.kdump4j.elf.Elf;
import org.kdump4j.elf.Machine;
import org.kdump4j.elf.Note;
import org.kdump4j.elf.ProgramHeader;
import org.kdump4j.io.ByteSource;
import org.kdump4j.io.DumpFormatException;
import org.kdump4j.memory.MemoryExtent;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.memory.PhysicalMemory;

/**
 * An open crash dump, whatever its format: the facade users start from.
 *
 * <p>{@code Vmcore.open(path)} detects the format (a gzip-wrapped dump is unpacked into a temporary file,
 * removed on close) and gives the header facts, the notes, the crashed
 * kernel's {@link VmcoreInfo}, the CPUs' saved registers and the page-ordered {@link PhysicalMemory}.
 * Closing it unmaps the file; later reads throw {@link org.kdump4j.io.SourceClosedException}. Safe for
 * concurrent readers.
 */
public final class Vmcore implements AutoCloseable {
    private static final byte[] KDUMP_SIGNATURE = "KDUMP   ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FLAT_SIGNATURE = "makedumpfile".getBytes(StandardCharsets.US_ASCII);

    private final ByteSource source;
    private final DumpFormat format;
    private final Optional<ElfCore> elf;
    private final Machine machine;
    private final ByteOrder byteOrder;
    private final int wordSize;
    private final List<Note> notes;
    private final Optional<VmcoreInfo> vmcoreInfo;
    private final List<CpuState> cpus;
    private final PhysicalMemory memory;
    private volatile Path temporaryFile;
    private volatile List<String> warnings = List.of();
    /** Closes what {@link #source} does not cover (the other parts of a split dump). */
    private volatile AutoCloseable parts;

    private Vmcore(ByteSource source, DumpFormat format, Optional<ElfCore> elf, Machine machine, ByteOrder byteOrder,
            int wordSize, List<Note> notes, Optional<VmcoreInfo> vmcoreInfo, List<CpuState> cpus,
            PhysicalMemory memory) {
        this.source = source;
        this.format = format;
        this.elf = elf;
        this.machine = machine;
        this.byteOrder = byteOrder;
        this.wordSize = wordSize;
        this.notes = notes;
        this.vmcoreInfo = vmcoreInfo;
        this.cpus = cpus;
        this.memory = memory;
    }

    /** Opens a dump with default options. */
    public static Vmcore open(Path path) throws IOException {
        return open(path, VmcoreOptions.defaults());
    }

    /**
     * Opens a dump.
     *
     * @param path the dump file ({@code /proc/vmcore}, a copy, a makedumpfile or QEMU output, a raw image)
     * @param options how to open it
     * @return the open dump; the caller closes it
     * @throws DumpFormatException if the file is malformed or of an unsupported format
     * @throws IOException if it cannot be read
     */
    public static Vmcore open(Path path, VmcoreOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        // one open serves both the gzip check and the dump (two opens cost a measurable part of a CLI run)
        ByteSource source = ByteSource.open(path, options.source());
        boolean gzip;
        try {
            gzip = GzipUnwrap.hasGzipMagic(source) && Files.isRegularFile(path);
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
        if (gzip) {
            source.close();
            Path unpacked = GzipUnwrap.unpack(path, Path.of(System.getProperty("java.io.tmpdir")));
            try {
                Vmcore v = openOwning(ByteSource.open(unpacked, options.source(), path + " (unpacked)"), options);
                v.temporaryFile = unpacked;
                return v;
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(unpacked);
                throw e;
            }
        }
        return openOwning(source, options);
    }

    /** Opens from a source and closes the source if opening fails. */
    private static Vmcore openOwning(ByteSource source, VmcoreOptions options) throws IOException {
        try {
            return open(source, options);
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /**
     * Opens a dump given as one file, or as the parts of a makedumpfile {@code --split} set (in any
     * order) read as one dump. The parts must belong together (same header and bitmaps, disjoint page
     * ranges); pages of a part that is missing read as lost.
     *
     * @param paths one dump file, or every part of a split dump
     * @param options how to open them (raw and lenient apply to single files only)
     * @throws DumpFormatException if a file is malformed or the parts do not belong together
     */
    public static Vmcore open(List<Path> paths, VmcoreOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        if (paths.size() == 1) {
            return open(paths.getFirst(), options);
        }
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no dump file given");
        }
        if (options.raw()) {
            throw new IllegalArgumentException("raw images cannot be split into parts");
        }
        List<ByteSource> sources = new ArrayList<>();
        try {
            for (Path p : paths) {
                ByteSource s = ByteSource.open(p, options.source());
                sources.add(s);
                DumpFormat f = detect(s);
                if (f != DumpFormat.KDUMP_COMPRESSED && f != DumpFormat.FLATTENED) {
                    throw new DumpFormatException(s.name(), 0, "only kdump-compressed dumps come in split parts; "
                            + "this file is " + f);
                }
            }
            KdumpFile dump = KdumpFile.openSources(sources);
            Vmcore v = fromParts(sources.getFirst(), DumpFormat.KDUMP_COMPRESSED, dump);
            v.parts = dump;
            return v;
        } catch (IOException | RuntimeException e) {
            sources.forEach(ByteSource::close);
            throw e;
        }
    }

    /**
     * Opens a dump from a byte source, which the returned {@code Vmcore} owns and closes.
     *
     * @throws DumpFormatException if the bytes are malformed or of an unsupported format
     */
    public static Vmcore open(ByteSource source, VmcoreOptions options) throws IOException {
        if (options.raw()) {
            return openRaw(source, options);
        }
        DumpFormat format = detect(source);
        return switch (format) {
            case ELF -> openElf(source, options);
            case KDUMP_COMPRESSED, FLATTENED -> fromParts(source, format, KdumpFile.openSources(List.of(source)));
            case RAW -> throw new DumpFormatException(source.name(), 0, "not a recognised dump format (no ELF, "
                    + "kdump-compressed or flattened signature); to read it as a raw physical-memory image, "
                    + "open it as raw (VmcoreOptions.withRaw; CLI: --oldmem [--iomem FILE])");
        };
    }

    /** Detects the format from the file's first bytes ({@link DumpFormat#RAW} when nothing matches). */
    public static DumpFormat detect(ByteSource source) throws IOException {
        if (ElfCore.hasMagic(source)) {
            return DumpFormat.ELF;
        }
        if (startsWith(source, KDUMP_SIGNATURE)) {
            return DumpFormat.KDUMP_COMPRESSED;
        }
        if (startsWith(source, FLAT_SIGNATURE)) {
            return DumpFormat.FLATTENED;
        }
        return DumpFormat.RAW;
    }

    private static boolean startsWith(ByteSource s, byte[] sig) throws IOException {
        return s.size() >= sig.length && java.util.Arrays.equals(s.readBytes(0, sig.length), sig);
    }

    private static Vmcore openElf(ByteSource source, VmcoreOptions options) throws IOException {
        ElfCore core = ElfCore.read(source, options.lenient());
        List<String> warnings = new ArrayList<>(core.problems());
        if (core.header().type() != Elf.ET_CORE) {
            throw new DumpFormatException(source.name(), 16, "ELF file is not a core dump (e_type "
                    + core.header().typeName() + ")");
        }
        Machine machine = core.header().machine();
        ByteOrder order = core.header().byteOrder();
        int wordSize = core.header().wordSize();
        Optional<VmcoreInfo> info = findVmcoreInfo(core.notes());
        int pageSize = pageSize(options, info, machine);
        List<MemoryExtent> extents = new ArrayList<>();
        for (ProgramHeader ph : core.loads()) {
            if (ph.physicalAddress() == -1L || ph.memorySize() == 0) {
                continue; // no physical address (kcore non-RAM) or empty
            }
            long at = core.header().programHeaderOffset()
                    + (long) ph.index() * core.header().programHeaderEntrySize();
            if (Long.compareUnsigned(ph.fileSize(), ph.memorySize()) > 0) {
                throw new DumpFormatException(source.name(), at, "PT_LOAD[" + ph.index() + "]: p_filesz 0x"
                        + Long.toHexString(ph.fileSize()) + " exceeds p_memsz 0x" + Long.toHexString(ph.memorySize()));
            }
            if (Long.compareUnsigned(ph.physicalAddress() + ph.memorySize() - 1, ph.physicalAddress()) < 0) {
                throw new DumpFormatException(source.name(), at, "PT_LOAD[" + ph.index() + "]: p_paddr 0x"
                        + Long.toHexString(ph.physicalAddress()) + " + p_memsz 0x" + Long.toHexString(ph.memorySize())
                        + " wraps past the top of the 64-bit address space");
            }
            long memorySize = ph.memorySize();
            long fileSize = ph.fileSize();
            boolean stored = fileSize == 0 || ph.offset() >= 0 && ph.offset() <= source.size()
                    && Long.compareUnsigned(fileSize, source.size() - ph.offset()) <= 0;
            if (!stored && options.lenient()) {
                // keep only the bytes the file holds; the rest is not present (never zero-filled)
                fileSize = ph.offset() >= 0 && ph.offset() < source.size() ? source.size() - ph.offset() : 0;
                memorySize = fileSize;
                warnings.add("PT_LOAD[" + ph.index() + "] (paddr 0x" + Long.toHexString(ph.physicalAddress())
                        + ") is cut off by the end of the file: 0x" + Long.toHexString(fileSize) + " of 0x"
                        + Long.toHexString(ph.fileSize()) + " bytes present; the rest reads as not present");
                if (fileSize == 0) {
                    continue;
                }
            }
            extents.add(new MemoryExtent(ph.physicalAddress(), memorySize, ph.offset(), fileSize,
                    "PT_LOAD[" + ph.index() + "]"));
        }
        PhysicalMemory memory = PhysicalMemory.ofExtents(source, extents, pageSize);
        List<CpuState> cpus;
        try {
            cpus = CpuStates.decode(source.name(), core.notes(), machine, wordSize, order);
        } catch (DumpFormatException e) {
            if (!options.lenient()) {
                throw e;
            }
            warnings.add(e.getMessage());
            cpus = List.of();
        }
        Vmcore v = new Vmcore(source, DumpFormat.ELF, Optional.of(core), machine, order, wordSize, core.notes(), info,
                cpus, memory);
        v.warnings = List.copyOf(warnings);
        return v;
    }

    /**
     * A {@code Vmcore} over an open kdump-compressed, flattened or split dump: its memory, the notes and
     * VMCOREINFO of its sub-header, and the machine its header names. {@code source} is the file the
     * {@code Vmcore} reports and closes (the dump's first part).
     */
    static Vmcore fromParts(ByteSource source, DumpFormat format, KdumpFile dump) throws IOException {
        Machine machine = dump.machine();
        int wordSize = machine.fixedWordSize().orElse(dump.wordSize());
        List<Note> notes = dump.notes();
        Optional<VmcoreInfo> info = dump.vmcoreInfo().map(VmcoreInfo::parse);
        List<CpuState> cpus = CpuStates.decode(source.name(), notes, machine, wordSize, dump.byteOrder());
        return new Vmcore(source, format, Optional.empty(), machine, dump.byteOrder(), wordSize, notes, info, cpus,
                dump.memory());
    }

    private static Vmcore openRaw(ByteSource source, VmcoreOptions options) throws IOException {
        List<MemoryRange> ranges = options.rawRanges().isEmpty()
                ? List.of(new MemoryRange(0, source.size())) : options.rawRanges();
        List<MemoryExtent> extents = new ArrayList<>();
        for (MemoryRange r : ranges) {
            if (Long.compareUnsigned(r.start(), source.size()) >= 0) {
                continue; // the image ends before this range (/dev/oldmem stops at saved_max_pfn)
            }
            long stored = Math.min(r.size(), source.size() - r.start());
            extents.add(new MemoryExtent(r.start(), stored, r.start(), stored, "range " + r));
        }
        int pageSize = options.pageSize().orElse(4096);
        PhysicalMemory memory = PhysicalMemory.ofExtents(source, extents, pageSize);
        return new Vmcore(source, DumpFormat.RAW, Optional.empty(), new Machine(0), ByteOrder.LITTLE_ENDIAN, 8,
                List.of(), Optional.empty(), List.of(), memory);
    }

    private static Optional<VmcoreInfo> findVmcoreInfo(List<Note> notes) {
        for (Note n : notes) { // a loop, not a stream: this runs on every open, right after JVM start
            if (n.name().equals("VMCOREINFO")) {
                return Optional.of(VmcoreInfo.parse(n.descriptor()));
            }
        }
        return Optional.empty();
    }

    private static int pageSize(VmcoreOptions options, Optional<VmcoreInfo> info, Machine machine) {
        if (options.pageSize().isPresent()) {
            return options.pageSize().getAsInt();
        }
        long fromInfo = info.flatMap(i -> i.pageSize().isPresent()
                ? Optional.of(i.pageSize().getAsLong()) : Optional.empty()).orElse(0L);
        if (fromInfo >= 512 && fromInfo <= (1 << 24) && Long.bitCount(fromInfo) == 1) {
            return (int) fromInfo;
        }
        return machine.equals(Machine.PPC64) ? 65536 : 4096;
    }

    /** The dump's name (its path). */
    public String name() {
        return source.name();
    }

    /** The file format. */
    public DumpFormat format() {
        return format;
    }

    /** The ELF structure, for ELF dumps. */
    public Optional<ElfCore> elf() {
        return elf;
    }

    /** The machine ({@code EM_NONE} for raw images, which carry no header). */
    public Machine machine() {
        return machine;
    }

    /** The byte order of the dumped machine. */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** The dumped machine's word size in bytes (from the machine where it fixes it, else the ELF class). */
    public int wordSize() {
        return wordSize;
    }

    /** The page size used for page-granular access. */
    public int pageSize() {
        return memory.pageSize();
    }

    /** Every note, in file order. */
    public List<Note> notes() {
        return notes;
    }

    /** The crashed kernel's VMCOREINFO, when the dump has it. */
    public Optional<VmcoreInfo> vmcoreInfo() {
        return vmcoreInfo;
    }

    /** The CPUs' saved states, in note order. */
    public List<CpuState> cpus() {
        return cpus;
    }

    /** The page-ordered physical memory. */
    public PhysicalMemory memory() {
        return memory;
    }

    /**
     * Reads kernel virtual memory through the {@code PT_LOAD} virtual addresses ({@link VirtualMap}).
     *
     * @throws org.kdump4j.memory.MemoryNotPresentException if an address is not mapped or its page is
     *     not in the dump
     */
    public void readVirtual(long vaddr, byte[] dst, int dstOffset, int length) throws IOException {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        VirtualMap map = virtualMap();
        int done = 0;
        while (done < length) {
            long va = vaddr + done;
            java.util.OptionalLong pa = map.toPhysical(va);
            if (pa.isEmpty()) {
                throw new org.kdump4j.memory.MemoryNotPresentException(source.name(), va,
                        "virtual address 0x" + Long.toHexString(va) + " is not covered by any PT_LOAD p_vaddr");
            }
            long contiguous = map.contiguousBytes(va); // unsigned: may exceed 2^63
            int n = Long.compareUnsigned(contiguous, length - done) < 0 ? (int) contiguous : length - done;
            memory.read(pa.getAsLong(), dst, dstOffset + done, n);
            done += n;
        }
    }

    /** The virtual-address map of the {@code PT_LOAD}s (empty for formats without one). */
    public VirtualMap virtualMap() {
        return VirtualMap.of(elf.map(ElfCore::programHeaders).orElse(List.of()));
    }

    /**
     * What a lenient open tolerated (truncated segments, damaged notes); empty after a strict open or
     * for an intact dump.
     */
    public List<String> warnings() {
        return warnings;
    }

    /** The underlying byte source (for reading file bytes directly). */
    public ByteSource source() {
        return source;
    }

    @Override
    public void close() {
        source.close();
        AutoCloseable others = parts;
        if (others != null) {
            try {
                others.close();
            } catch (Exception e) {
                System.getLogger(Vmcore.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot close the parts of {0}: {1}", source.name(), e.getMessage());
            }
        }
        Path tmp = temporaryFile;
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                System.getLogger(Vmcore.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot delete temporary file {0}: {1}", tmp, e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "Vmcore[" + source.name() + ", " + format + ", " + machine + "]";
    }
}
