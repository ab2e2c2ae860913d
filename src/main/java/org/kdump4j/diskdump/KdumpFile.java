package org.kdump4j.diskdump;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kdump4j.elf.Machine;
import org.kdump4j.elf.Note;
import org.kdump4j.elf.Notes;
import org.kdump4j.io.ByteSource;
import org.kdump4j.io.DumpFormatException;
import org.kdump4j.io.TruncatedDumpException;

/**
 * An open kdump-compressed dump ({@code "KDUMP   "}, makedumpfile and QEMU), given as one file, as a
 * flattened file ({@code makedumpfile -F}, QEMU's default; indexed in place, no copy), or as the parts of
 * a {@code --split} set opened together.
 *
 * <p>The file is parsed once at open: the header (version 0 to 6; 64-bit, i386 and 32-bit ARM layouts;
 * either byte order, probed and cross-checked with {@code utsname.machine}), the sub-header and its notes,
 * VMCOREINFO and eraseinfo, and both bitmaps with prefix counts, so a page's descriptor is found in
 * constant time. Pages are decoded on demand through a bounded, thread-safe cache ({@link #memory()}).
 * Safe for concurrent readers; {@link #close()} closes every part.
 */
public final class KdumpFile implements AutoCloseable {
    static final int DESCRIPTOR_SIZE = 24;
    /** Pages cached by default at most, and the byte budget that caps them for large blocks. */
    static final int DEFAULT_CACHE_PAGES = 1024;
    static final int CACHE_BYTE_BUDGET = 16 << 20;
    private static final int MAX_NOTES_BYTES = 64 << 20;

    /** One file of the dump (the only one unless the dump is split). */
    static final class Part {
        final Storage storage;
        final KdumpHeader header;
        final KdumpSubHeader subHeader;
        final long startPfn;
        final long endPfn;
        final long tableOffset;
        long rankBase;

        Part(Storage storage, KdumpHeader header, KdumpSubHeader subHeader, long startPfn, long endPfn,
                long tableOffset) {
            this.storage = storage;
            this.header = header;
            this.subHeader = subHeader;
            this.startPfn = startPfn;
            this.endPfn = endPfn;
            this.tableOffset = tableOffset;
        }
    }

    /** A located page descriptor ({@code struct page_desc}) and what it means. */
    static final class Descriptor {
        Part part;
        long offset;
        int size;
        int flags;
        Compression compression;
        PageStatus status;
        String detail = "";
    }

    private final List<Part> parts;
    private final KdumpHeader header;
    private final KdumpSubHeader subHeader;
    private final long maxMapnr;
    private final int blockSize;
    private final int blockShift;
    private final Bitmap ram;
    private final Bitmap dumpable;
    private final Bitmap lost;
    private final Bitmap present;
    private final long dataStart;
    private final List<Note> notes;
    private final Optional<byte[]> vmcoreInfo;
    private final Optional<byte[]> eraseInfo;
    private final PageCache cache;
    private final ThreadLocal<byte[]> scratch;
    private final KdumpMemory memory;
    private volatile KdumpStatistics statistics;

    private KdumpFile(List<Part> parts, Bitmap ram, Bitmap dumpable, List<Note> notes, Optional<byte[]> vmcoreInfo,
            Optional<byte[]> eraseInfo, int cachePages) throws IOException {
        this.parts = List.copyOf(parts);
        Part first = parts.getFirst();
        this.header = first.header;
        this.subHeader = first.subHeader;
        this.maxMapnr = maxMapnr(first.header, first.subHeader);
        this.blockSize = header.blockSize();
        this.blockShift = Integer.numberOfTrailingZeros(blockSize);
        this.ram = ram;
        this.dumpable = dumpable;
        this.notes = notes;
        this.vmcoreInfo = vmcoreInfo;
        this.eraseInfo = eraseInfo;
        this.dataStart = first.tableOffset + DESCRIPTOR_SIZE * dumpable.cardinality();
        for (Part p : parts) {
            p.rankBase = dumpable.rank(p.startPfn);
        }
        int slots = Math.max(16, Math.min(cachePages, CACHE_BYTE_BUDGET / blockSize));
        this.cache = new PageCache(cachePages == 0 ? 0 : slots);
        this.scratch = ThreadLocal.withInitial(() -> new byte[blockSize]);
        this.lost = needsLostScan() ? scanLost() : null;
        this.present = lost == null ? dumpable : andNot(dumpable, lost);
        this.memory = new KdumpMemory(this, java.util.Set.of(), 1);
    }

    // ---------------------------------------------------------------------------------------- opening

    /** Opens a kdump-compressed or flattened file. */
    public static KdumpFile open(Path path) throws IOException {
        return open(List.of(path));
    }

    /**
     * Opens the parts of a {@code --split} dump as one dump (or a single file when the list has one path).
     * The parts must belong together: the same header and bitmaps, and disjoint PFN ranges. A page in a
     * part that was not given reads as {@link PageStatus#LOST}.
     *
     * @throws DumpFormatException if a file is malformed or the parts do not belong together
     */
    public static KdumpFile open(List<Path> paths) throws IOException {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no dump file given");
        }
        List<ByteSource> sources = new ArrayList<>();
        try {
            for (Path p : paths) {
                sources.add(ByteSource.open(p));
            }
            return openSources(sources);
        } catch (IOException | RuntimeException e) {
            sources.forEach(ByteSource::close);
            throw e;
        }
    }

    /**
     * Opens a dump from byte sources (one, or the parts of a split set), which the returned file owns
     * and closes (the caller still closes them if this throws).
     *
     * @throws DumpFormatException if a source is malformed or the parts do not belong together
     */
    public static KdumpFile openSources(List<ByteSource> sources) throws IOException {
        return openSources(sources, DEFAULT_CACHE_PAGES);
    }

    /**
     * Opens a dump with a given decoded-page cache size.
     *
     * @param sources one file or the parts of a split set (owned by the result)
     * @param cachePages the most decoded pages kept (0 disables the cache)
     */
    public static KdumpFile openSources(List<ByteSource> sources, int cachePages) throws IOException {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no dump source given");
        }
        List<Part> parts = new ArrayList<>();
        for (ByteSource s : sources) {
            parts.add(readPart(s));
        }
        Part first = parts.getFirst();
        String name = first.storage.name();
        long maxMapnr = maxMapnr(first.header, first.subHeader);
        long bitmapBytes = bitmapBytes(first.header, maxMapnr);
        long bitmapOffset = (1L + first.header.subHeaderBlocks()) * first.header.blockSize();
        boolean two = twoBitmaps(first.header, maxMapnr);
        Bitmap dumpable = Bitmap.read(first.storage, two ? bitmapOffset + bitmapBytes : bitmapOffset, maxMapnr,
                two ? "2nd bitmap" : "bitmap");
        Bitmap ram = two ? Bitmap.read(first.storage, bitmapOffset, maxMapnr, "1st bitmap") : dumpable;
        if (parts.size() > 1) {
            validateSet(parts, ram, dumpable);
        }
        parts.sort(Comparator.comparingLong(p -> p.startPfn));
        for (int i = 1; i < parts.size(); i++) {
            if (parts.get(i).startPfn < parts.get(i - 1).endPfn) {
                throw new DumpFormatException(parts.get(i).storage.name(), first.header.blockSize(),
                        "split part covers PFNs from 0x" + Long.toHexString(parts.get(i).startPfn)
                                + " which " + parts.get(i - 1).storage.name() + " already covers (up to 0x"
                                + Long.toHexString(parts.get(i - 1).endPfn) + ")");
            }
        }
        Part notesPart = parts.getFirst();
        List<Note> notes = readNotes(notesPart);
        Optional<byte[]> vmcoreInfo = readVmcoreInfo(notesPart, notes);
        Optional<byte[]> eraseInfo = readEraseInfo(notesPart);
        return new KdumpFile(parts, ram, dumpable, notes, vmcoreInfo, eraseInfo, cachePages);
    }

    private static Part readPart(ByteSource source) throws IOException {
        Storage storage;
        if (FlatStorage.isFlattened(source)) {
            FlatStorage flat = FlatStorage.index(source);
            if (flat.size() >= 4 && Arrays.equals(flat.readBytes(0, 4), new byte[] {0x7f, 'E', 'L', 'F'})) {
                throw new DumpFormatException(source.name(), FlatStorage.HEADER_SIZE, "this flattened file wraps an"
                        + " ELF dump (makedumpfile -E -F); rearrange it with 'kdump4j reassemble' and open the result");
            }
            storage = flat;
        } else {
            storage = new Storage.Direct(source);
        }
        String name = storage.name();
        byte[] first = storage.readBytes(0, (int) Math.min(464, storage.size()));
        String sig = new String(first, 0, Math.min(8, first.length), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!sig.equals("KDUMP   ") && !sig.equals("DISKDUMP")) {
            throw new DumpFormatException(name, 0, "no kdump signature ('KDUMP   ' or 'DISKDUMP'): '"
                    + printable(sig) + "'");
        }
        KdumpHeader h = KdumpHeader.parse(name, first, storage.size());
        long bs = h.blockSize();
        long subAt = bs;
        KdumpLayout layout = h.wordSize() == 8 ? KdumpLayout.LP64 : KdumpLayout.ILP32_ALIGNED;
        if (storage.size() < subAt + layout.subHeaderSize() && h.headerVersion() >= 1) {
            throw new TruncatedDumpException(name, subAt, layout.subHeaderSize(), storage.size(), "sub-header");
        }
        byte[] subBytes = new byte[KdumpLayout.LP64.subHeaderSize()];
        storage.read(subAt, subBytes, 0, (int) Math.min(subBytes.length, Math.max(0, storage.size() - subAt)));
        if (h.wordSize() == 4) {
            layout = chooseIlp32(h, subBytes);
        }
        KdumpSubHeader sub = KdumpSubHeader.parse(h, layout, subBytes);
        long maxMapnr = maxMapnr(h, sub);
        long start = 0;
        long end = maxMapnr;
        if (sub.isSplit()) {
            start = sub.startPfn();
            end = sub.endPfn();
            if (start < 0 || end < start || end > maxMapnr) {
                throw new DumpFormatException(name, subAt, "split range [0x" + Long.toHexString(start) + ", 0x"
                        + Long.toHexString(end) + ") is not inside [0, max_mapnr 0x" + Long.toHexString(maxMapnr) + ")");
            }
        }
        long table = (1L + h.subHeaderBlocks() + h.bitmapBlocks()) * bs;
        return new Part(storage, h, sub, start, end, table);
    }

    /** i386 (packed) or ARM-style (aligned) 32-bit sub-header: by machine name, else by VMCOREINFO placement. */
    private static KdumpLayout chooseIlp32(KdumpHeader h, byte[] subBytes) {
        Optional<Boolean> packed = KdumpHeader.packedSubHeader(h.utsname().machine());
        if (packed.isPresent()) {
            return packed.get() ? KdumpLayout.ILP32_PACKED : KdumpLayout.ILP32_ALIGNED;
        }
        if (h.headerVersion() < 3) {
            return KdumpLayout.ILP32_PACKED;
        }
        KdumpSubHeader p = KdumpSubHeader.parse(h, KdumpLayout.ILP32_PACKED, subBytes);
        long bitmapStart = (1L + h.subHeaderBlocks()) * h.blockSize();
        boolean plausible = (p.offsetVmcoreinfo() == 0 && p.sizeVmcoreinfo() == 0)
                || (p.offsetVmcoreinfo() >= h.blockSize() && p.offsetVmcoreinfo() + p.sizeVmcoreinfo() <= bitmapStart);
        return plausible ? KdumpLayout.ILP32_PACKED : KdumpLayout.ILP32_ALIGNED;
    }

    static long maxMapnr(KdumpHeader h, KdumpSubHeader sub) {
        return h.headerVersion() >= 6 && sub.maxMapnr64() > 0 ? sub.maxMapnr64() : h.maxMapnr();
    }

    /** Whether the file has both bitmaps (crash's test: room for two bitmaps of max_mapnr bits). */
    static boolean twoBitmaps(KdumpHeader h, long maxMapnr) {
        long one = ceilDiv(ceilDiv(maxMapnr, 8), h.blockSize());
        return h.bitmapBlocks() >= 2 * one;
    }

    static long bitmapBytes(KdumpHeader h, long maxMapnr) {
        return twoBitmaps(h, maxMapnr) ? h.bitmapBlocks() / 2 * h.blockSize() : h.bitmapBlocks() * h.blockSize();
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static void validateSet(List<Part> parts, Bitmap ram, Bitmap dumpable) throws IOException {
        Part first = parts.getFirst();
        for (Part p : parts) {
            String name = p.storage.name();
            KdumpHeader a = first.header;
            KdumpHeader b = p.header;
            if (!p.subHeader.isSplit()) {
                throw new DumpFormatException(name, b.blockSize(), "not a --split part (sub-header split is 0), so it"
                        + " cannot be opened together with other files");
            }
            if (!a.signature().equals(b.signature()) || a.headerVersion() != b.headerVersion()
                    || !a.utsname().equals(b.utsname()) || a.blockSize() != b.blockSize()
                    || a.subHeaderBlocks() != b.subHeaderBlocks() || a.bitmapBlocks() != b.bitmapBlocks()
                    || a.maxMapnr() != b.maxMapnr() || a.byteOrder() != b.byteOrder() || a.wordSize() != b.wordSize()
                    || a.timestampSeconds() != b.timestampSeconds() || a.timestampMicros() != b.timestampMicros()
                    || a.nrCpus() != b.nrCpus() || maxMapnr(a, first.subHeader) != maxMapnr(b, p.subHeader)
                    || (a.status() & ~KdumpHeader.STATUS_INCOMPLETE) != (b.status() & ~KdumpHeader.STATUS_INCOMPLETE)
                    || first.subHeader.dumpLevel().value() != p.subHeader.dumpLevel().value()
                    || first.subHeader.physBase() != p.subHeader.physBase()) {
                throw new DumpFormatException(name, 0, "header differs from " + first.storage.name()
                        + "'s: the files are not parts of the same split dump");
            }
            if (p != first) {
                long maxMapnr = maxMapnr(b, p.subHeader);
                long bitmapBytes = bitmapBytes(b, maxMapnr);
                long bitmapOffset = (1L + b.subHeaderBlocks()) * b.blockSize();
                boolean two = twoBitmaps(b, maxMapnr);
                Bitmap d = Bitmap.read(p.storage, two ? bitmapOffset + bitmapBytes : bitmapOffset, maxMapnr,
                        "2nd bitmap");
                Bitmap r = two ? Bitmap.read(p.storage, bitmapOffset, maxMapnr, "1st bitmap") : d;
                if (!d.sameBits(dumpable) || !r.sameBits(ram)) {
                    throw new DumpFormatException(name, bitmapOffset, "bitmaps differ from " + first.storage.name()
                            + "'s: the files are not parts of the same split dump");
                }
            }
        }
    }

    private static List<Note> readNotes(Part p) throws IOException {
        KdumpSubHeader s = p.subHeader;
        if (p.header.headerVersion() < 4 || s.sizeNote() == 0) {
            return List.of();
        }
        checkRegion(p, s.offsetNote(), s.sizeNote(), "note area (offset_note/size_note)");
        byte[] bytes = p.storage.readBytes(s.offsetNote(), (int) s.sizeNote());
        return Notes.parse(p.storage.name(), bytes, s.offsetNote(), p.header.byteOrder(), 4);
    }

    /** {@code s} with every character outside {@code ' '..'~'} replaced by {@code '?'} (for a message). */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= ' ' && c <= '~' ? c : '?');
        }
        return sb.toString();
    }

    private static Optional<byte[]> readVmcoreInfo(Part p, List<Note> notes) throws IOException {
        KdumpSubHeader s = p.subHeader;
        if (p.header.headerVersion() >= 3 && s.sizeVmcoreinfo() > 0) {
            checkRegion(p, s.offsetVmcoreinfo(), s.sizeVmcoreinfo(), "VMCOREINFO (offset_vmcoreinfo/size_vmcoreinfo)");
            return Optional.of(p.storage.readBytes(s.offsetVmcoreinfo(), (int) s.sizeVmcoreinfo()));
        }
        return notes.stream().filter(n -> n.name().equals("VMCOREINFO")).findFirst().map(Note::descriptor);
    }

    private static Optional<byte[]> readEraseInfo(Part p) throws IOException {
        KdumpSubHeader s = p.subHeader;
        if (p.header.headerVersion() < 5 || s.sizeEraseinfo() == 0) {
            return Optional.empty();
        }
        checkRegion(p, s.offsetEraseinfo(), s.sizeEraseinfo(), "eraseinfo (offset_eraseinfo/size_eraseinfo)");
        return Optional.of(p.storage.readBytes(s.offsetEraseinfo(), (int) s.sizeEraseinfo()));
    }

    private static void checkRegion(Part p, long offset, long size, String what) throws IOException {
        if (size < 0 || size > MAX_NOTES_BYTES) {
            throw new DumpFormatException(p.storage.name(), p.header.blockSize(), what + " of " + size
                    + " bytes is implausible");
        }
        if (offset < 0 || offset > p.storage.size() || size > p.storage.size() - offset) {
            throw new TruncatedDumpException(p.storage.name(), offset, size, p.storage.size(), what);
        }
    }

    // ---------------------------------------------------------------------------------------- lost pages

    private boolean needsLostScan() throws IOException {
        if (parts.stream().anyMatch(p -> p.header.isIncomplete()
                || (p.storage instanceof FlatStorage f && !f.hasEndMarker()))) {
            return true;
        }
        long covered = 0;
        for (Part p : parts) {
            long count = dumpable.rank(p.endPfn) - p.rankBase;
            covered += count;
            if (count == 0) {
                continue;
            }
            if (p.tableOffset + DESCRIPTOR_SIZE * count > p.storage.size()) {
                return true;
            }
            Descriptor d = new Descriptor();
            describe(p, count - 1, d);
            if (d.status != PageStatus.PRESENT) {
                return true;
            }
        }
        return covered != dumpable.cardinality();
    }

    /** Marks every dumpable page whose data is missing (zero descriptor, past EOF, in no part). */
    private Bitmap scanLost() throws IOException {
        long[] words = new long[(int) ((maxMapnr + 63) >>> 6)];
        Descriptor d = new Descriptor();
        for (long pfn = dumpable.nextSetBit(0); pfn >= 0; pfn = dumpable.nextSetBit(pfn + 1)) {
            Part p = partOf(pfn);
            boolean isLost;
            if (p == null) {
                isLost = true;
            } else {
                describe(p, dumpable.rank(pfn) - p.rankBase, d);
                isLost = d.status == PageStatus.LOST;
            }
            if (isLost) {
                words[(int) (pfn >>> 6)] |= 1L << pfn;
            }
        }
        return Bitmap.of(words, maxMapnr);
    }

    private static Bitmap andNot(Bitmap a, Bitmap b) {
        long[] w = a.words();
        long[] o = b.words();
        for (int i = 0; i < w.length; i++) {
            w[i] &= ~o[i];
        }
        return Bitmap.of(w, a.size());
    }

    // ---------------------------------------------------------------------------------------- pages

    Part partOf(long pfn) {
        if (parts.size() == 1) {
            Part p = parts.getFirst();
            return pfn >= p.startPfn && pfn < p.endPfn ? p : null;
        }
        int lo = 0;
        int hi = parts.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Part p = parts.get(mid);
            if (pfn < p.startPfn) {
                hi = mid - 1;
            } else if (pfn >= p.endPfn) {
                lo = mid + 1;
            } else {
                return p;
            }
        }
        return null;
    }

    /** Reads and judges descriptor {@code index} of part {@code p}. */
    void describe(Part p, long index, Descriptor d) throws IOException {
        d.part = p;
        d.detail = "";
        d.compression = null;
        long at = p.tableOffset + DESCRIPTOR_SIZE * index;
        Storage s = p.storage;
        if (at + DESCRIPTOR_SIZE > s.size()) {
            d.status = PageStatus.LOST;
            d.detail = "its descriptor lies past the end of " + s.name();
            return;
        }
        var order = p.header.byteOrder();
        d.offset = s.getLong(at, order);
        d.size = s.getInt(at + 8, order);
        d.flags = s.getInt(at + 12, order);
        if (d.offset == 0) {
            d.status = PageStatus.LOST;
            d.detail = "its descriptor at 0x" + Long.toHexString(at) + " was never written";
            return;
        }
        d.compression = Compression.ofPageFlags(d.flags);
        if (d.compression == null) {
            d.status = PageStatus.CORRUPT;
            d.detail = "descriptor at 0x" + Long.toHexString(at) + " has flags 0x" + Integer.toHexString(d.flags);
            return;
        }
        if (d.size <= 0 || d.size > blockSize || (d.compression == Compression.NONE && d.size != blockSize)
                || d.offset < p.tableOffset) {
            d.status = PageStatus.CORRUPT;
            d.detail = "descriptor at 0x" + Long.toHexString(at) + " has offset 0x" + Long.toHexString(d.offset)
                    + ", size " + Integer.toUnsignedString(d.size) + ", flags 0x" + Integer.toHexString(d.flags);
            return;
        }
        if (d.offset > s.size() - d.size) {
            d.status = PageStatus.LOST;
            d.detail = "its data at 0x" + Long.toHexString(d.offset) + " lies past the end of " + s.name();
            return;
        }
        d.status = PageStatus.PRESENT;
    }

    /** Locates page {@code pfn}: its status and, for dumpable pages, its descriptor. */
    void locate(long pfn, Descriptor d) throws IOException {
        d.part = null;
        d.detail = "";
        if (pfn < 0 || pfn >= maxMapnr) {
            d.status = PageStatus.OUTSIDE;
            d.detail = "beyond max_mapnr 0x" + Long.toHexString(maxMapnr);
            return;
        }
        if (!dumpable.get(pfn)) {
            d.status = ram.get(pfn) ? PageStatus.EXCLUDED : PageStatus.OUTSIDE;
            d.detail = ram.get(pfn) ? "dump level " + subHeader.dumpLevel().value() : "not RAM";
            return;
        }
        Part p = partOf(pfn);
        if (p == null) {
            d.status = PageStatus.LOST;
            d.detail = "no split part covering it was opened";
            return;
        }
        judge(p, pfn, d);
    }

    /**
     * Reads and judges the descriptor of dumpable page {@code pfn} in part {@code p}. A page the lost-page
     * scan did not mark lost (it runs only for dumps that look cut short) but whose descriptor was never
     * written or points past the end is damage: it stays in the present ranges and is corrupt, failing
     * when read as every other corrupt page does.
     */
    private void judge(Part p, long pfn, Descriptor d) throws IOException {
        describe(p, dumpable.rank(pfn) - p.rankBase, d);
        if (d.status == PageStatus.LOST && (lost == null || !lost.get(pfn))) {
            d.status = PageStatus.CORRUPT;
            d.detail = d.detail + ", in a dump that is not marked incomplete";
        }
    }

    /**
     * Loads a present page: a zero-copy view for a raw page of a mapped file when {@code allowView},
     * else the decoded bytes in {@code out}.
     *
     * @throws PageUnavailableException if the page is not present or fails to decode
     */
    MemorySegment load(long pfn, byte[] out, boolean allowView) throws IOException {
        Descriptor d = new Descriptor();
        locate(pfn, d);
        if (d.status != PageStatus.PRESENT) {
            throw new PageUnavailableException(name(), pfn, d.status, d.detail, null);
        }
        Storage s = d.part.storage;
        if (d.compression == Compression.NONE) {
            if (allowView) {
                MemorySegment v = s.view(d.offset, blockSize);
                if (v != null) {
                    return v;
                }
            }
            s.read(d.offset, out, 0, blockSize);
            return MemorySegment.ofArray(out);
        }
        byte[] in = scratch.get();
        s.read(d.offset, in, 0, d.size);
        int n;
        try {
            n = d.compression.decompress(in, 0, d.size, out, 0, blockSize);
        } catch (DecompressionException e) {
            throw new PageUnavailableException(name(), pfn, PageStatus.CORRUPT, "data at 0x"
                    + Long.toHexString(d.offset) + " in " + s.name() + ": " + e.getMessage(), e);
        }
        if (n != blockSize) {
            throw new PageUnavailableException(name(), pfn, PageStatus.CORRUPT, d.compression.displayName()
                    + " data at 0x" + Long.toHexString(d.offset) + " decodes to " + n + " bytes, not " + blockSize,
                    null);
        }
        return MemorySegment.ofArray(out);
    }

    /**
     * The status of page frame {@code pfn} from the bitmaps and its descriptor (the data is not decoded,
     * so a page whose data is damaged shows as {@link PageStatus#PRESENT} until it is read).
     */
    public PageStatus status(long pfn) throws IOException {
        Descriptor d = new Descriptor();
        locate(pfn, d);
        return d.status;
    }

    /**
     * Reads one page frame ({@link #blockSize()} bytes) into {@code dst}, decoding it.
     *
     * @throws PageUnavailableException saying why when the page is not present or does not decode
     */
    public void readPage(long pfn, byte[] dst, int dstOffset) throws IOException {
        java.util.Objects.checkFromIndexSize(dstOffset, blockSize, dst.length);
        byte[] cached = cache.get(pfn);
        if (cached != null) {
            System.arraycopy(cached, 0, dst, dstOffset, blockSize);
            return;
        }
        byte[] out = new byte[blockSize];
        MemorySegment seg = load(pfn, out, false);
        MemorySegment.copy(seg, 0, MemorySegment.ofArray(dst), dstOffset, blockSize);
    }

    // ---------------------------------------------------------------------------------------- accessors

    /** The dump's name: the first part's file name. */
    public String name() {
        return parts.getFirst().storage.name();
    }

    /** The header (of the first part for a split set; all parts' headers agree). */
    public KdumpHeader header() {
        return header;
    }

    /** The sub-header (of the part with the lowest PFNs for a split set). */
    public KdumpSubHeader subHeader() {
        return subHeader;
    }

    /** The sub-headers of every part, in PFN order. */
    public List<KdumpSubHeader> partSubHeaders() {
        return parts.stream().map(p -> p.subHeader).toList();
    }

    /** The names of the part files, in PFN order. */
    public List<String> partNames() {
        return parts.stream().map(p -> p.storage.name()).toList();
    }

    /** Whether the dump was read through the flattened format. */
    public boolean isFlattened() {
        return parts.stream().anyMatch(p -> p.storage instanceof FlatStorage);
    }

    /** The number of records in the flattened stream(s), 0 for an ordinary file. */
    public long flattenedRecords() {
        return parts.stream().mapToLong(p -> p.storage instanceof FlatStorage f ? f.recordCount() : 0).sum();
    }

    /** Whether this dump is a {@code --split} set (or one part of one). */
    public boolean isSplit() {
        return subHeader.isSplit();
    }

    /** Whether some dumpable pages are missing (incomplete, truncated, or a split part not given). */
    public boolean isIncomplete() {
        return lost != null && lost.cardinality() > 0 || parts.stream().anyMatch(p -> p.header.isIncomplete());
    }

    /** The header version. */
    public int headerVersion() {
        return header.headerVersion();
    }

    /** The block (page frame) size in bytes. */
    public int blockSize() {
        return blockSize;
    }

    /** The number of page frames the bitmaps cover ({@code max_mapnr_64} for v6, else {@code max_mapnr}). */
    public long maxMapnr() {
        return maxMapnr;
    }

    /** The machine named by {@code utsname.machine}. */
    public Machine machine() {
        return header.machine();
    }

    /** The dumped machine's byte order. */
    public java.nio.ByteOrder byteOrder() {
        return header.byteOrder();
    }

    /** The dumped machine's word size (4 or 8). */
    public int wordSize() {
        return header.wordSize();
    }

    /** The C ABI of the sub-header. */
    public KdumpLayout layout() {
        return subHeader.layout();
    }

    /** The ELF notes copied into the sub-header area (header version 4+), in order. */
    public List<Note> notes() {
        return notes;
    }

    /** The VMCOREINFO text: at {@code offset_vmcoreinfo} (v3+), else the {@code VMCOREINFO} note's. */
    public Optional<byte[]> vmcoreInfo() {
        return vmcoreInfo.map(byte[]::clone);
    }

    /** The eraseinfo text ({@code --config} filtering, v5+). */
    public Optional<byte[]> eraseInfo() {
        return eraseInfo.map(byte[]::clone);
    }

    /** The physical memory, strict: pages that are not present are errors saying why. */
    public KdumpMemory memory() {
        return memory;
    }

    /** Counts of pages by status and of stored pages by codec (computed once, by a descriptor scan). */
    public KdumpStatistics statistics() throws IOException {
        KdumpStatistics s = statistics;
        if (s == null) {
            s = computeStatistics();
            statistics = s;
        }
        return s;
    }

    private KdumpStatistics computeStatistics() throws IOException {
        Map<PageStatus, Long> byStatus = new EnumMap<>(PageStatus.class);
        Map<Compression, Long> byCodec = new EnumMap<>(Compression.class);
        for (PageStatus st : PageStatus.values()) {
            byStatus.put(st, 0L);
        }
        long zeroShared = 0;
        Descriptor d = new Descriptor();
        for (long pfn = dumpable.nextSetBit(0); pfn >= 0; pfn = dumpable.nextSetBit(pfn + 1)) {
            Part p = partOf(pfn);
            if (p == null) {
                byStatus.merge(PageStatus.LOST, 1L, Long::sum);
                continue;
            }
            judge(p, pfn, d);
            byStatus.merge(d.status, 1L, Long::sum);
            if (d.status == PageStatus.PRESENT) {
                byCodec.merge(d.compression, 1L, Long::sum);
                if (d.compression == Compression.NONE && d.offset == dataStartOf(p)) {
                    zeroShared++;
                }
            }
        }
        long excluded = 0;
        for (long pfn = ram.nextSetBit(0); pfn >= 0; pfn = ram.nextSetBit(pfn + 1)) {
            long runEnd = ram.nextClearBit(pfn);
            excluded += (runEnd - pfn) - (dumpable.rank(runEnd) - dumpable.rank(pfn));
            pfn = runEnd;
        }
        byStatus.put(PageStatus.EXCLUDED, excluded);
        // a dumpable page is judged by its descriptor even where the 1st bitmap (wrongly) says "not RAM"
        byStatus.put(PageStatus.OUTSIDE, maxMapnr - excluded - dumpable.cardinality());
        return new KdumpStatistics(byStatus, byCodec, zeroShared, ram.cardinality(), dumpable.cardinality());
    }

    private long dataStartOf(Part p) {
        return p.tableOffset + DESCRIPTOR_SIZE * dumpable.cardinality();
    }

    Bitmap ram() {
        return ram;
    }

    Bitmap dumpable() {
        return dumpable;
    }

    Bitmap present() {
        return present;
    }

    Bitmap lost() {
        return lost;
    }

    PageCache cache() {
        return cache;
    }

    long dataStart() {
        return dataStart;
    }

    /** Closes every part file; later reads throw {@link org.kdump4j.io.SourceClosedException}. */
    @Override
    public void close() {
        parts.forEach(p -> p.storage.source().close());
    }

    @Override
    public String toString() {
        return "KdumpFile[" + name() + ", v" + header.headerVersion() + ", " + parts.size() + " part(s)"
                + (isFlattened() ? ", flattened" : "") + "]";
    }
}
