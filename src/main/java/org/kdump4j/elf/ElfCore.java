package org.kdump4j.elf;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.kdump4j.io.ByteSource;
import org.kdump4j.io.TruncatedDumpException;

/**
 * A decoded ELF core file (vmcore, elfcorehdr blob, QEMU or makedumpfile ELF dump): the header, every
 * program header and every note. Immutable; the bytes of the segments stay in the {@link ByteSource}.
 *
 * <p>Both classes and byte orders are read by one code path; {@code e_phoff} is honoured (QEMU puts
 * section headers first), {@code PN_XNUM} is resolved from section header 0, and every size read from
 * the file is checked against the file before anything is allocated.
 */
public final class ElfCore {
    /** The most program headers accepted (a cap against hostile counts; real dumps have < 100k). */
    public static final long MAX_PROGRAM_HEADERS = 1 << 24;
    /** The largest note segment read into memory. */
    public static final long MAX_NOTE_SEGMENT = 64L << 20;

    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};

    private final ElfHeader header;
    private final List<ProgramHeader> programHeaders;
    private final List<Note> notes;
    private final List<String> problems;

    private ElfCore(ElfHeader header, List<ProgramHeader> programHeaders, List<Note> notes, List<String> problems) {
        this.header = header;
        this.programHeaders = List.copyOf(programHeaders);
        this.notes = List.copyOf(notes);
        this.problems = List.copyOf(problems);
    }

    /** Whether the source starts with the ELF magic. */
    public static boolean hasMagic(ByteSource source) throws IOException {
        if (source.size() < 4) {
            return false;
        }
        byte[] m = source.readBytes(0, 4);
        return java.util.Arrays.equals(m, MAGIC);
    }

    /**
     * Reads the header, program headers and notes.
     *
     * @param source the file
     * @return the decoded core
     * @throws ElfFormatException if the file is not a well-formed ELF file
     * @throws TruncatedDumpException if a header or note lies past the end of the file
     * @throws IOException if reading fails
     */
    public static ElfCore read(ByteSource source) throws IOException {
        return read(source, false);
    }

    /**
     * Reads the header, program headers and notes, optionally leniently: a lenient read still requires
     * a complete ELF header and program header table, but parses what it can of note segments that are
     * truncated or malformed and lists each such problem in {@link #problems()}.
     *
     * @param source the file
     * @param lenient whether damaged note segments are tolerated
     * @return the decoded core
     * @throws IOException as {@link #read(ByteSource)}, except for what lenient mode tolerates
     */
    public static ElfCore read(ByteSource source, boolean lenient) throws IOException {
        Objects.requireNonNull(source, "source");
        List<String> problems = new ArrayList<>();
        String name = source.name();
        if (source.size() < 16) {
            throw new TruncatedDumpException(name, 0, 16, source.size());
        }
        byte[] ident = source.readBytes(0, 16);
        for (int i = 0; i < 4; i++) {
            if (ident[i] != MAGIC[i]) {
                throw new ElfFormatException(name, 0, "not an ELF file: bad magic "
                        + java.util.HexFormat.ofDelimiter(" ").formatHex(ident, 0, 4));
            }
        }
        ElfClass cls = switch (ident[4]) {
            case Elf.ELFCLASS32 -> ElfClass.ELF32;
            case Elf.ELFCLASS64 -> ElfClass.ELF64;
            default -> throw new ElfFormatException(name, 4, "bad EI_CLASS " + (ident[4] & 0xff));
        };
        ByteOrder order = switch (ident[5]) {
            case Elf.ELFDATA2LSB -> ByteOrder.LITTLE_ENDIAN;
            case Elf.ELFDATA2MSB -> ByteOrder.BIG_ENDIAN;
            default -> throw new ElfFormatException(name, 5, "bad EI_DATA " + (ident[5] & 0xff));
        };
        Fields f = new Fields(source, order, cls);
        if (source.size() < cls.headerSize()) {
            throw new TruncatedDumpException(name, 0, cls.headerSize(), source.size());
        }
        boolean is64 = cls == ElfClass.ELF64;
        int type = f.u16(16);
        Machine machine = new Machine(f.u16(18));
        long version = f.u32(20);
        long entry = f.word(24);
        long phoff = is64 ? f.u64(32) : f.u32(28);
        long shoff = is64 ? f.u64(40) : f.u32(32);
        long flags = is64 ? f.u32(48) : f.u32(36);
        int ehsize = f.u16(is64 ? 52 : 40);
        int phentsize = f.u16(is64 ? 54 : 42);
        int rawPhnum = f.u16(is64 ? 56 : 44);
        int shentsize = f.u16(is64 ? 58 : 46);
        int shnum = f.u16(is64 ? 60 : 48);
        int shstrndx = f.u16(is64 ? 62 : 50);

        long phnum = rawPhnum;
        if (rawPhnum == Elf.PN_XNUM) {
            phnum = extendedCount(f, name, shoff, shentsize, cls);
        }
        if (phnum > 0 && phentsize < cls.programHeaderSize()) {
            throw new ElfFormatException(name, is64 ? 54 : 42, "e_phentsize " + phentsize + " is smaller than "
                    + cls.programHeaderSize());
        }
        if (phnum > MAX_PROGRAM_HEADERS) {
            throw new ElfFormatException(name, is64 ? 56 : 44, "too many program headers: " + phnum);
        }
        if (phnum > 0) {
            checkRange(source, phoff, phnum * phentsize, "program header table");
        }
        ElfHeader header = new ElfHeader(cls, order, ident[6] & 0xff, ident[7] & 0xff, ident[8] & 0xff, type,
                machine, version, entry, phoff, shoff, flags, ehsize, phentsize, rawPhnum, phnum, shentsize, shnum,
                shstrndx);

        List<ProgramHeader> phdrs = new ArrayList<>((int) phnum);
        for (int i = 0; i < phnum; i++) {
            long p = phoff + (long) i * phentsize;
            phdrs.add(is64
                    ? new ProgramHeader(i, new SegmentType(f.s32(p)), f.s32(p + 4), f.u64(p + 8), f.u64(p + 16),
                            f.u64(p + 24), f.u64(p + 32), f.u64(p + 40), f.u64(p + 48))
                    : new ProgramHeader(i, new SegmentType(f.s32(p)), f.s32(p + 24), f.u32(p + 4), f.u32(p + 8),
                            f.u32(p + 12), f.u32(p + 16), f.u32(p + 20), f.u32(p + 28)));
        }

        List<Note> notes = new ArrayList<>();
        for (ProgramHeader ph : phdrs) {
            if (!ph.isNote() || ph.fileSize() == 0) {
                continue;
            }
            long at = phoff + (long) ph.index() * phentsize;
            if (Long.compareUnsigned(ph.fileSize(), MAX_NOTE_SEGMENT) > 0) {
                throw new ElfFormatException(name, at, "PT_NOTE of 0x" + Long.toHexString(ph.fileSize())
                        + " bytes exceeds the limit of 0x" + Long.toHexString(MAX_NOTE_SEGMENT));
            }
            long available = ph.fileSize();
            boolean fits = ph.offset() >= 0 && ph.offset() <= source.size()
                    && Long.compareUnsigned(ph.fileSize(), source.size() - ph.offset()) <= 0;
            if (!fits) {
                if (!lenient) {
                    checkRange(source, ph.offset(), ph.fileSize(), "PT_NOTE segment " + ph.index());
                }
                available = ph.offset() >= 0 && ph.offset() < source.size() ? source.size() - ph.offset() : 0;
                problems.add("PT_NOTE[" + ph.index() + "] at 0x" + Long.toHexString(ph.offset())
                        + " is cut off by the end of the file: 0x" + Long.toHexString(available) + " of 0x"
                        + Long.toHexString(ph.fileSize()) + " bytes present");
                if (available == 0) {
                    continue;
                }
            }
            byte[] bytes = source.readBytes(ph.offset(), (int) available);
            try {
                notes.addAll(Notes.parse(name, bytes, ph.offset(), order, ph.align() == 8 ? 8 : 4));
            } catch (ElfFormatException e) {
                if (!lenient) {
                    throw e;
                }
                problems.add(e.getMessage() + "; the notes before it are kept");
                notes.addAll(Notes.parsePrefix(bytes, ph.offset(), order, ph.align() == 8 ? 8 : 4));
            }
        }
        return new ElfCore(header, phdrs, notes, problems);
    }

    private static long extendedCount(Fields f, String name, long shoff, int shentsize, ElfClass cls)
            throws IOException {
        if (shoff == 0) {
            throw new ElfFormatException(name, cls == ElfClass.ELF64 ? 56 : 44,
                    "e_phnum is PN_XNUM but there is no section header 0 (e_shoff is 0)");
        }
        if (shentsize < cls.sectionHeaderSize()) {
            throw new ElfFormatException(name, cls == ElfClass.ELF64 ? 58 : 46, "e_phnum is PN_XNUM but e_shentsize "
                    + shentsize + " is smaller than " + cls.sectionHeaderSize());
        }
        checkRange(f.source, shoff, cls.sectionHeaderSize(), "section header 0");
        return f.u32(shoff + (cls == ElfClass.ELF64 ? 44 : 28));
    }

    private static void checkRange(ByteSource source, long offset, long length, String what) throws IOException {
        if (offset < 0 || length < 0 || offset > source.size() || length > source.size() - offset) {
            throw new TruncatedDumpException(source.name(), offset, length, source.size(), what);
        }
    }

    /** Problems a lenient read tolerated (always empty after a strict read). */
    public List<String> problems() {
        return problems;
    }

    /** The file header. */
    public ElfHeader header() {
        return header;
    }

    /** Every program header, in table order. */
    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    /**
     * Every note of every {@code PT_NOTE}, segment by segment in program-header order (segments that
     * overlap give their notes twice).
     */
    public List<Note> notes() {
        return notes;
    }

    /** The {@code PT_LOAD} program headers, in table order. */
    public List<ProgramHeader> loads() {
        List<ProgramHeader> loads = new ArrayList<>(programHeaders.size()); // a loop: no stream set-up at start
        for (ProgramHeader ph : programHeaders) {
            if (ph.isLoad()) {
                loads.add(ph);
            }
        }
        return List.copyOf(loads);
    }

    /** Reads header fields in the file's byte order. */
    private record Fields(ByteSource source, ByteOrder order, ElfClass cls) {
        int u16(long off) throws IOException {
            return Short.toUnsignedInt(source.getShort(off, order));
        }

        long u32(long off) throws IOException {
            return Integer.toUnsignedLong(source.getInt(off, order));
        }

        int s32(long off) throws IOException {
            return source.getInt(off, order);
        }

        long u64(long off) throws IOException {
            return source.getLong(off, order);
        }

        long word(long off) throws IOException {
            return cls == ElfClass.ELF64 ? u64(off) : u32(off);
        }
    }
}
