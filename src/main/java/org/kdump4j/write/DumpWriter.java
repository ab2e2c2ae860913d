package org.kdump4j.write;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.kdump4j.elf.CoreNote;
import org.kdump4j.elf.CoreSegment;
import org.kdump4j.elf.ElfClass;
import org.kdump4j.elf.ElfCore;
import org.kdump4j.elf.ElfCoreModel;
import org.kdump4j.elf.ElfCoreWriter;
import org.kdump4j.elf.Machine;
import org.kdump4j.elf.ProgramHeader;
import org.kdump4j.elf.SegmentOutput;
import org.kdump4j.elf.SegmentSource;
import org.kdump4j.elf.SegmentType;
import org.kdump4j.io.ByteSource;
import org.kdump4j.kernel.KernelMappings;
import org.kdump4j.kernel.VmcoreInfoScan;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.memory.PhysicalMemory;
import org.kdump4j.vmcore.DumpFormat;
import org.kdump4j.vmcore.VmcoreInfo;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreOptions;

/**
 * Writes any dump {@link Vmcore} can read (an ELF vmcore such as {@code /proc/vmcore}, a raw oldmem image
 * with its ranges, ...) as an ELF vmcore, safely: through {@link AtomicOutput}, so the target name only
 * ever holds a complete, fsynced file.
 *
 * <p>ELF dumps keep their {@code PT_LOAD}s (addresses, sizes, flags, order) and notes (merged into one
 * 4-aligned {@code PT_NOTE}, first); other formats get one {@code PT_LOAD} per present physical range.
 * Segment data is page aligned and streamed in 8 MiB chunks, so memory use does not depend on the dump's
 * size. With {@link DumpWriteOptions#excludeZeroPages()} a first pass finds the all-zero pages and the
 * plan leaves them out (see there), so the memory reads the same.
 *
 * <p>Virtual addresses of dumps without program headers ({@link DumpWriteOptions#kernelVirtualAddresses()}):
 * the file gets the layout of the kernel's {@code /proc/vmcore}, which tools that translate kernel
 * addresses through {@code p_vaddr} ({@code vmcore-dmesg}, {@code gdb}) need. Each RAM {@code PT_LOAD} gets
 * {@code p_vaddr} = its direct-map address ({@link KernelMappings#directMapAddress(long, long)}; 0 for
 * memory the kernel's direct map does not hold, such as device memory in a hypervisor's dump), and kernel-image
 * {@code PT_LOAD}s come first: one per RAM segment piece that holds part of the kernel image's physical
 * range ({@link KernelMappings#kernelImage()}), at the image's virtual address, {@code RWX}, alignment 0
 * like the kernel's and kexec-tools' headers. They {@linkplain CoreSegment.SharedWith share} the RAM
 * segment's file bytes, so they cost a program header each and no data; pages the dump does not hold are
 * holes in them exactly as in the RAM segments. What the dump does not tell stays 0 and is named in
 * {@link Result#warnings()}, never guessed.
 */
public final class DumpWriter {
    private static final int CHUNK = 8 << 20;

    private DumpWriter() {
    }

    /**
     * What was written.
     *
     * @param target the file
     * @param size its size in bytes
     * @param segments its program headers (-1 for a byte copy)
     * @param dataBytes segment bytes written
     * @param zeroBytesLeftOut bytes of all-zero pages left out of the file (zero without the option)
     * @param virtualAddresses how the {@code PT_LOAD} virtual addresses were chosen
     * @param warnings what could not be done as asked (e.g. virtual addresses left 0, and why)
     * @param vmcoreInfoFromMemory a raw image's output got a {@code VMCOREINFO} note holding the text the
     *     kernel left in memory (found by {@link org.kdump4j.kernel.VmcoreInfoScan})
     */
    public record Result(Path target, long size, long segments, long dataBytes, long zeroBytesLeftOut,
            VirtualAddresses virtualAddresses, List<String> warnings, boolean vmcoreInfoFromMemory) {
        /** Validates and copies. */
        public Result {
            Objects.requireNonNull(virtualAddresses, "virtualAddresses");
            warnings = List.copyOf(warnings);
        }
    }

    /** Where the {@code PT_LOAD} virtual addresses of a written file come from. */
    public enum VirtualAddressSource {
        /** The input's own program headers (an ELF dump, or a byte copy). */
        INPUT,
        /** The dump's kernel mappings ({@link KernelMappings}); what is unknown stays 0, with a warning. */
        KERNEL,
        /** 0 everywhere, as asked ({@link DumpWriteOptions#kernelVirtualAddresses()} off). */
        ZERO
    }

    /**
     * How the {@code PT_LOAD} virtual addresses were chosen.
     *
     * @param source where they come from
     * @param directMapBase the direct-map base that gave the RAM segments {@code p_vaddr = base + p_paddr};
     *     empty when they are 0 (or the input's)
     * @param kernelImage the kernel image mapping the kernel-image {@code PT_LOAD}s describe; empty when
     *     none were added
     * @param kernelImageSegments the number of kernel-image {@code PT_LOAD}s added
     * @param outsideDirectMap stored physical ranges the kernel's direct map does not hold (device memory in
     *     a hypervisor's dump, say): their {@code PT_LOAD}s keep {@code p_vaddr} 0
     */
    public record VirtualAddresses(VirtualAddressSource source, OptionalLong directMapBase,
            Optional<KernelMappings.ImageMapping> kernelImage, int kernelImageSegments, int outsideDirectMap) {
        /** Validates. */
        public VirtualAddresses {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(directMapBase, "directMapBase");
            Objects.requireNonNull(kernelImage, "kernelImage");
        }

        static VirtualAddresses of(VirtualAddressSource source) {
            return new VirtualAddresses(source, OptionalLong.empty(), Optional.empty(), 0, 0);
        }
    }

    /** A planned file and what the plan found out. */
    private record Plan(ElfCoreModel model, VirtualAddresses virtualAddresses, List<String> warnings,
            long zeroBytesLeftOut, boolean vmcoreInfoFromMemory) {
    }

    /** How a stored extent's bytes are read. */
    private enum Access {
        /** In-kernel copy from a regular file ({@code copy_file_range}/{@code sendfile} via {@code transferTo}). */
        TRANSFER,
        /** Positional reads of a file channel (procfs, devices). */
        POSITIONAL,
        /** Through the dump's {@link ByteSource} (zero-copy views when mapped). */
        SOURCE,
        /** Through {@link PhysicalMemory#read} (formats whose bytes are not stored plainly). */
        MEMORY
    }

    /** One stretch of memory to copy: where it is in memory and where its bytes are in the source file. */
    private record Extent(long paddr, long memsz, long vaddr, int flags, long align, long fileOffset, long fileSize) {
    }

    /**
     * Opens {@code source} and writes it to {@code target}. Regular files are copied in the kernel where the
     * platform allows; files under {@code /proc} ({@code /proc/vmcore}) and devices with positional reads.
     *
     * @throws OutputExistsException if the target exists and overwriting was not asked for
     * @throws IOException if the dump cannot be read or the file cannot be written (target untouched)
     */
    public static Result write(Path source, VmcoreOptions openOptions, Path target, DumpWriteOptions options)
            throws IOException {
        Objects.requireNonNull(source, "source");
        checkTarget(target, options);
        try (Vmcore vm = Vmcore.open(source, openOptions)) {
            boolean plainFile = (vm.format() == DumpFormat.ELF || vm.format() == DumpFormat.RAW) && !isGzip(source)
                    && vm.source().size() == sizeOf(source);
            if (!plainFile) {
                return write(vm, target, options);
            }
            boolean proc = source.toAbsolutePath().normalize().startsWith("/proc") || !Files.isRegularFile(source);
            try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
                return write(vm, ch, proc ? Access.POSITIONAL : Access.TRANSFER, target, options);
            }
        }
    }

    /**
     * Copies a dump byte for byte (what the capture kernel's {@code cp /proc/vmcore} does), safely: through
     * {@link AtomicOutput}, with positional reads for files under {@code /proc} and devices (until the end
     * of the file, whatever {@code st_size} says) and an in-kernel copy for regular files. The source is
     * opened as a dump first, so a file {@link Vmcore} cannot read is refused before anything is written.
     *
     * @param source the dump ({@code /proc/vmcore}, any file {@link Vmcore#open(Path)} reads)
     * @param target the copy
     * @param options only {@code overwrite} and {@code progress} apply
     * @throws OutputExistsException if the target exists and overwriting was not asked for
     * @throws IOException if reading or writing fails (target untouched)
     */
    public static Result copy(Path source, Path target, DumpWriteOptions options) throws IOException {
        Objects.requireNonNull(source, "source");
        checkTarget(target, options);
        try (Vmcore vm = Vmcore.open(source)) {
            vm.format(); // a readable dump
        }
        boolean positional = source.toAbsolutePath().normalize().startsWith("/proc") || !Files.isRegularFile(source);
        long[] copied = {0};
        WriteProgress p = options.progress();
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            long expected = Files.isRegularFile(source) ? in.size() : -1;
            AtomicOutput.write(target, options.overwrite(), out -> {
                if (positional) {
                    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                    long pos = 0;
                    while (true) {
                        buf.clear();
                        int n = in.read(buf, pos);
                        if (n < 0) {
                            break;
                        }
                        buf.flip();
                        while (buf.hasRemaining()) {
                            out.write(buf, pos + buf.position());
                        }
                        pos += n;
                        if (pos % CHUNK < n || n == 0) {
                            p.update(WriteProgress.Phase.WRITE, pos, expected);
                        }
                        if (n == 0 && expected >= 0 && pos >= expected) {
                            break;
                        }
                    }
                    copied[0] = pos;
                } else {
                    long pos = 0;
                    out.position(0);
                    while (pos < expected) {
                        long n = in.transferTo(pos, Math.min(CHUNK, expected - pos), out);
                        if (n <= 0) {
                            throw new java.io.EOFException(source + ": ended at 0x" + Long.toHexString(pos)
                                    + ", expected 0x" + Long.toHexString(expected) + " bytes");
                        }
                        pos += n;
                        p.update(WriteProgress.Phase.WRITE, pos, expected);
                    }
                    copied[0] = pos;
                }
                if (expected >= 0 && copied[0] != expected) {
                    throw new java.io.EOFException(source + ": read 0x" + Long.toHexString(copied[0])
                            + " bytes, its size is 0x" + Long.toHexString(expected));
                }
            });
        }
        return new Result(target, copied[0], -1, copied[0], 0, VirtualAddresses.of(VirtualAddressSource.INPUT),
                List.of(), false);
    }

    /**
     * Writes an open dump to {@code target}, reading through its {@link ByteSource} or its
     * {@link PhysicalMemory}.
     *
     * @throws OutputExistsException if the target exists and overwriting was not asked for
     * @throws IOException if the dump cannot be read or the file cannot be written (target untouched)
     */
    public static Result write(Vmcore vmcore, Path target, DumpWriteOptions options) throws IOException {
        checkTarget(target, options);
        Access access = vmcore.format() == DumpFormat.ELF || vmcore.format() == DumpFormat.RAW ? Access.SOURCE
                : Access.MEMORY;
        return write(vmcore, null, access, target, options);
    }

    /**
     * The ELF model {@link #write} would write (runs the zero-page scan when asked), for inspection.
     */
    public static ElfCoreModel model(Vmcore vmcore, DumpWriteOptions options) throws IOException {
        Access access = vmcore.format() == DumpFormat.ELF || vmcore.format() == DumpFormat.RAW ? Access.SOURCE
                : Access.MEMORY;
        return plan(vmcore, null, access, options).model();
    }

    private static void checkTarget(Path target, DumpWriteOptions options) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        if (!options.overwrite() && Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputExistsException(target.toString()); // before any work
        }
    }

    private static Result write(Vmcore vm, FileChannel ch, Access access, Path target, DumpWriteOptions options)
            throws IOException {
        Plan plan = plan(vm, ch, access, options);
        ElfCoreWriter writer = ElfCoreWriter.plan(plan.model(), options.dataAlignment());
        WriteProgress p = options.progress();
        AtomicOutput.write(target, options.overwrite(),
                out -> writer.write(out, (done, total) -> p.update(WriteProgress.Phase.WRITE, done, total)));
        return new Result(target, writer.size(), writer.programHeaders().size(), writer.dataBytes(),
                plan.zeroBytesLeftOut(), plan.virtualAddresses(), plan.warnings(), plan.vmcoreInfoFromMemory());
    }

    private static Plan plan(Vmcore vm, FileChannel ch, Access access, DumpWriteOptions options) throws IOException {
        List<String> warnings = new ArrayList<>();
        PhysicalMemory memory = vm.memory().withDecodeThreads(options.decodeThreads());
        KernelMappings mappings = null;
        VirtualAddressSource source;
        if (vm.format() == DumpFormat.ELF) {
            source = VirtualAddressSource.INPUT;
        } else if (options.kernelVirtualAddresses()) {
            source = VirtualAddressSource.KERNEL;
            try {
                mappings = KernelMappings.of(vm);
                for (String w : mappings.warnings()) {
                    warnings.add(w + (w.startsWith("direct map") ? ": RAM PT_LOADs get p_vaddr 0"
                            : ": no kernel-image PT_LOAD written"));
                }
            } catch (IOException e) { // damaged page tables or VMCOREINFO pages: the memory is still worth writing
                warnings.add("kernel mappings unknown: " + e.getMessage() + ": every p_vaddr is 0");
            }
        } else {
            source = VirtualAddressSource.ZERO;
        }
        OptionalLong base = mappings != null ? mappings.directMapBase() : OptionalLong.empty();
        List<Extent> extents = extents(vm, mappings);
        int outsideDirectMap = base.isEmpty() ? 0
                : (int) extents.stream().filter(e -> e.vaddr == 0).count();
        long zeroBytes = 0;
        List<Extent> pieces = new ArrayList<>();
        if (options.excludeZeroPages()) {
            ZeroScan scan = new ZeroScan(vm, memory, access, options, extents);
            for (Extent e : extents) {
                pieces.addAll(scan.split(e));
            }
            zeroBytes = scan.zeroBytesLeftOut;
        } else {
            pieces.addAll(extents);
        }
        Optional<KernelMappings.ImageMapping> image = mappings != null ? mappings.kernelImage() : Optional.empty();
        List<CoreSegment> segments = new ArrayList<>();
        if (image.isPresent()) {
            segments.addAll(kernelImageSegments(pieces, image.get()));
            if (segments.isEmpty()) {
                warnings.add("the dump holds no page of the kernel image " + image.get()
                        + ": no kernel-image PT_LOAD written");
            }
        }
        int imageSegments = segments.size();
        for (Extent e : pieces) {
            segments.add(segment(vm, memory, ch, access, e));
        }
        boolean addedVmcoreInfo = false;
        List<CoreNote> notes = new ArrayList<>(vm.notes().stream().map(CoreNote::of).toList());
        if (vm.format() == DumpFormat.RAW && options.kernelVirtualAddresses()
                && notes.stream().noneMatch(n -> n.type().owner().equals("VMCOREINFO"))) {
            // a raw image has no notes; the VMCOREINFO the kernel left in memory (as found by the scan) is
            // what readers such as vmcore-dmesg look for, so it becomes the note the kernel would have made
            Optional<VmcoreInfo> found = VmcoreInfoScan.of(vm); // cached: the mappings above scanned already
            if (found.isPresent()) {
                byte[] text = found.get().text();
                byte[] desc = Arrays.copyOf(text, text.length + 1); // NUL-terminated, as the kernel's note
                notes.add(CoreNote.of("VMCOREINFO", 0, desc));
                addedVmcoreInfo = true;
            }
        }
        ElfCore elf = vm.elf().orElse(null);
        ElfClass cls = elf != null ? elf.header().elfClass() : ElfClass.ELF64;
        ByteOrder order = elf != null ? elf.header().byteOrder() : vm.byteOrder();
        Machine machine = elf != null ? elf.header().machine() : options.machine().orElse(vm.machine());
        ElfCoreModel model = new ElfCoreModel(cls, order, machine, elf != null ? (int) elf.header().flags() : 0, notes,
                segments);
        VirtualAddresses va = new VirtualAddresses(source, base, imageSegments > 0 ? image : Optional.empty(),
                imageSegments, outsideDirectMap);
        return new Plan(model, va, warnings, zeroBytes, addedVmcoreInfo);
    }

    /**
     * The kernel-image {@code PT_LOAD}s: for each piece (in the order the RAM segments will follow them) the
     * part of the image's physical range it covers, sharing the piece's file bytes. A piece's zero tail
     * ({@code p_memsz} past {@code p_filesz}) stays a zero tail.
     */
    private static List<CoreSegment> kernelImageSegments(List<Extent> pieces, KernelMappings.ImageMapping image) {
        record Part(int piece, long start, long end) {
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            Extent e = pieces.get(i);
            long start = Math.max(e.paddr, image.physicalStart());
            long end = Math.min(e.paddr + e.memsz, image.physicalEnd());
            if (Long.compareUnsigned(start, end) < 0) {
                parts.add(new Part(i, start, end));
            }
        }
        List<CoreSegment> out = new ArrayList<>();
        for (Part part : parts) {
            Extent e = pieces.get(part.piece);
            long offset = part.start - e.paddr;
            long fileSize = Math.clamp(e.fileSize - offset, 0, part.end - part.start);
            out.add(new CoreSegment(SegmentType.LOAD, CoreSegment.RWX, image.virtualAddress(part.start), part.start,
                    fileSize, part.end - part.start, 0,
                    new CoreSegment.SharedWith(parts.size() + part.piece, Math.min(offset, e.fileSize))));
        }
        return out;
    }

    private static List<Extent> extents(Vmcore vm, KernelMappings mappings) throws IOException {
        List<Extent> out = new ArrayList<>();
        if (vm.format() == DumpFormat.ELF) {
            for (ProgramHeader p : vm.elf().orElseThrow().loads()) {
                out.add(new Extent(p.physicalAddress(), p.memorySize(), p.virtualAddress(), p.flags(), p.align(),
                        p.offset(), p.fileSize()));
            }
            return out;
        }
        // raw images store each range at file offset == physical address; other formats are read via memory
        for (MemoryRange r : vm.memory().ranges()) {
            long vaddr = mappings == null ? 0 : mappings.directMapAddress(r.start(), r.size()).orElse(0);
            out.add(new Extent(r.start(), r.size(), vaddr, CoreSegment.RWX, 0, r.start(), r.size()));
        }
        return out;
    }

    private static CoreSegment segment(Vmcore vm, PhysicalMemory memory, FileChannel ch, Access access, Extent e) {
        SegmentSource src = e.fileSize == 0 ? out -> { } : switch (access) {
            case TRANSFER -> out -> out.transferFrom(ch, e.fileOffset, e.fileSize);
            case POSITIONAL -> out -> copyPositional(ch, e.fileOffset, e.fileSize, out);
            case SOURCE -> out -> copySource(vm.source(), e.fileOffset, e.fileSize, out);
            case MEMORY -> out -> copyMemory(memory, e.paddr, e.fileSize, out);
        };
        return new CoreSegment(SegmentType.LOAD, e.flags, e.vaddr, e.paddr, e.fileSize, e.memsz, e.align,
                new CoreSegment.Streamed(src));
    }

    private static void copyPositional(FileChannel ch, long offset, long length, SegmentOutput out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(length, 1 << 20));
        long done = 0;
        while (done < length) {
            buf.clear().limit((int) Math.min(buf.capacity(), length - done));
            int n = ch.read(buf, offset + done);
            if (n < 0) {
                throw new java.io.EOFException(ch + ": source ends before offset 0x" + Long.toHexString(offset + length));
            }
            buf.flip();
            out.write(buf);
            done += n;
        }
    }

    private static void copySource(ByteSource src, long offset, long length, SegmentOutput out) throws IOException {
        long done = 0;
        while (done < length) {
            long n = Math.min(CHUNK, length - done);
            out.write(src.slice(offset + done, n));
            done += n;
        }
    }

    private static void copyMemory(PhysicalMemory mem, long paddr, long length, SegmentOutput out) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.min(length, CHUNK));
            long done = 0;
            while (done < length) {
                long n = Math.min(buf.byteSize(), length - done);
                mem.read(paddr + done, buf, 0, n);
                out.write(buf.asSlice(0, n));
                done += n;
            }
        }
    }

    /** Finds the all-zero pages of each extent and splits it into stored pieces. */
    private static final class ZeroScan {
        private final Vmcore vm;
        private final PhysicalMemory memory;
        private final Access access;
        private final int pageSize;
        private final int minRun;
        private final WriteProgress progress;
        private final long total;
        private final MemorySegment zeros;
        private long done;
        long zeroBytesLeftOut;

        ZeroScan(Vmcore vm, PhysicalMemory memory, Access access, DumpWriteOptions options, List<Extent> extents) {
            this.vm = vm;
            this.memory = memory;
            this.access = access;
            this.pageSize = vm.pageSize();
            this.minRun = options.minZeroRunPages();
            this.progress = options.progress();
            long t = 0;
            for (Extent e : extents) {
                t += e.fileSize;
            }
            this.total = t;
            this.zeros = MemorySegment.ofArray(new byte[pageSize]);
        }

        /**
         * Splits on the page grid of physical addresses: a run of zero pages at the end of the stored part
         * only leaves {@code p_filesz} short; a run of at least {@code minRun} pages elsewhere ends a piece
         * (whose {@code p_memsz} covers the run, so it reads as zeros) and the next piece starts after it.
         */
        List<Extent> split(Extent e) throws IOException {
            List<Extent> pieces = new ArrayList<>();
            long pieceStart = e.paddr;
            long dataEnd = e.paddr;
            long zeroStart = -1;
            long zeroPages = 0;
            long pos = 0;
            MemorySegment window = null;
            long windowStart = 0;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = access == Access.MEMORY ? arena.allocate(CHUNK) : null;
                while (pos < e.fileSize) {
                    long a = e.paddr + pos;
                    long next = Math.min(e.fileSize, pos + (pageSize - Long.remainderUnsigned(a, pageSize)));
                    int len = (int) (next - pos);
                    if (window == null || pos + len > windowStart + window.byteSize()) {
                        long n = Math.min(CHUNK, e.fileSize - pos);
                        window = read(e, pos, n, buf);
                        windowStart = pos;
                        done += n;
                        progress.update(WriteProgress.Phase.SCAN, done, total);
                    }
                    boolean zero = window.asSlice(pos - windowStart, len).mismatch(zeros.asSlice(0, len)) == -1;
                    if (zero) {
                        if (zeroStart < 0) {
                            zeroStart = a;
                            zeroPages = 0;
                        }
                        zeroPages++;
                    } else {
                        if (zeroStart >= 0 && zeroPages >= minRun) {
                            pieces.add(piece(e, pieceStart, dataEnd, a));
                            zeroBytesLeftOut += a - zeroStart;
                            pieceStart = a;
                        }
                        zeroStart = -1;
                        dataEnd = e.paddr + next;
                    }
                    pos = next;
                }
            }
            if (zeroStart >= 0) {
                zeroBytesLeftOut += e.paddr + e.fileSize - zeroStart; // trailing zeros: only p_memsz covers them
            }
            pieces.add(piece(e, pieceStart, dataEnd, e.paddr + e.memsz));
            return pieces;
        }

        private MemorySegment read(Extent e, long pos, long n, MemorySegment buf) throws IOException {
            if (access == Access.MEMORY) {
                memory.read(e.paddr + pos, buf, 0, n);
                return buf.asSlice(0, n);
            }
            return vm.source().slice(e.fileOffset + pos, n);
        }

        private static Extent piece(Extent e, long start, long dataEnd, long memEnd) {
            long delta = start - e.paddr;
            long vaddr = e.vaddr == 0 || e.vaddr == -1L ? e.vaddr : e.vaddr + delta;
            return new Extent(start, memEnd - start, vaddr, e.flags, e.align, e.fileOffset + delta, dataEnd - start);
        }
    }

    private static boolean isGzip(Path p) throws IOException {
        if (!Files.isRegularFile(p) || Files.size(p) < 2) {
            return false;
        }
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(2);
            c.read(b, 0);
            return b.get(0) == (byte) 0x1f && b.get(1) == (byte) 0x8b;
        }
    }

    private static long sizeOf(Path p) throws IOException {
        return Files.isRegularFile(p) ? Files.size(p) : -1;
    }
}
