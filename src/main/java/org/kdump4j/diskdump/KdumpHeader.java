package org.kdump4j.diskdump;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.kdump4j.elf.Machine;
import org.kdump4j.io.DumpFormatException;

/**
 * {@code struct disk_dump_header}, the first block of a kdump-compressed file, widened to Java types.
 *
 * @param signature {@code "KDUMP   "} (makedumpfile, QEMU) or {@code "DISKDUMP"} (legacy Red Hat diskdump)
 * @param headerVersion {@code header_version} (0..6 exist)
 * @param utsname the dumped kernel's {@code utsname} strings
 * @param timestampSeconds {@code timestamp.tv_sec} (makedumpfile: the crash time; QEMU: 0)
 * @param timestampMicros {@code timestamp.tv_usec}
 * @param status {@code status}: codec bits, {@link #STATUS_INCOMPLETE}, {@link #STATUS_EXCLUDED_VMEMMAP}
 * @param blockSize {@code block_size}: bytes per block, the page size PFNs are counted in
 * @param subHeaderBlocks {@code sub_hdr_size}: blocks taken by the sub-header and notes
 * @param bitmapBlocks {@code bitmap_blocks}: blocks taken by both bitmaps together (unsigned)
 * @param maxMapnr {@code max_mapnr} as stored (32 bits, unsigned; v6 files carry the real value in the sub-header)
 * @param nrCpus {@code nr_cpus}
 * @param byteOrder the byte order the fields were written in (the dumped machine's)
 * @param wordSize 4 or 8: which of the two header layouts the file uses
 */
public record KdumpHeader(String signature, int headerVersion, Utsname utsname, long timestampSeconds,
        long timestampMicros, int status, int blockSize, int subHeaderBlocks, long bitmapBlocks, long maxMapnr,
        int nrCpus, ByteOrder byteOrder, int wordSize) {

    /** {@code DUMP_DH_COMPRESSED_INCOMPLETE}: the writer ran out of space or hit its size limit. */
    public static final int STATUS_INCOMPLETE = 0x08;
    /** {@code DUMP_DH_EXCLUDED_VMEMMAP}: {@code makedumpfile -e} dropped the vmemmap of excluded pages. */
    public static final int STATUS_EXCLUDED_VMEMMAP = 0x10;

    static final int UTS_LEN = 65;
    static final int MACHINE_OFFSET = 12 + 4 * UTS_LEN;
    static final int MIN_BLOCK_SIZE = 512;
    static final int MAX_BLOCK_SIZE = 1 << 21;

    /**
     * {@code struct new_utsname}: six NUL-padded strings of at most 64 characters.
     *
     * @param sysname {@code sysname}
     * @param nodename {@code nodename}
     * @param release {@code release}
     * @param version {@code version}
     * @param machine {@code machine}, e.g. {@code x86_64}
     * @param domainname {@code domainname}
     */
    public record Utsname(String sysname, String nodename, String release, String version, String machine,
            String domainname) {
    }

    /** Whether {@code DUMP_DH_COMPRESSED_INCOMPLETE} is set (never for a legacy {@code DISKDUMP} file). */
    public boolean isIncomplete() {
        return signature.startsWith("KDUMP") && (status & STATUS_INCOMPLETE) != 0;
    }

    /** The codecs named by {@code status} (what the writer was asked to use). */
    public List<Compression> requestedCompressions() {
        List<Compression> out = new ArrayList<>();
        for (Compression c : Compression.values()) {
            if (c != Compression.NONE && (status & c.flag()) != 0) {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }

    /** The machine {@code utsname.machine} names ({@code EM_NONE} when unknown or empty). */
    public Machine machine() {
        return machineOf(utsname.machine());
    }

    /**
     * Parses and probes the header: tries the 32- and 64-bit layouts in both byte orders (the widths
     * {@code utsname.machine} allows first) and accepts the first whose block size is a power of two,
     * whose bitmaps can hold {@code max_mapnr} and whose header, sub-header and bitmaps fit in the file.
     *
     * @param source the file name for messages
     * @param block the start of the file (at least 464 bytes, or the whole file if shorter)
     * @param fileSize the file's size: the header, sub-header and bitmaps must fit in it
     * @throws DumpFormatException if no layout is sane, or the only sane one contradicts the machine name
     */
    static KdumpHeader parse(String source, byte[] block, long fileSize) throws DumpFormatException {
        if (block.length < 452) {
            throw new DumpFormatException(source, 0, "file of " + block.length
                    + " bytes is too short for a kdump header (452 or 464 bytes)");
        }
        String signature = new String(block, 0, 8, StandardCharsets.ISO_8859_1);
        String[] uts = new String[6];
        for (int i = 0; i < 6; i++) {
            uts[i] = cString(block, 12 + i * UTS_LEN, UTS_LEN);
        }
        Utsname utsname = new Utsname(uts[0], uts[1], uts[2], uts[3], uts[4], uts[5]);
        OptionalInt hinted = wordSizeOf(utsname.machine());
        List<Integer> widths = new ArrayList<>();
        if (hinted.isPresent()) {
            widths.add(hinted.getAsInt());
        } else {
            widths.add(4);
            widths.add(8);
        }
        ByteOrder[] orders = bigEndianFirst(utsname.machine())
                ? new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}
                : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN};
        for (int width : widths) {
            if (width == 8 && block.length < 464) {
                continue;
            }
            for (ByteOrder order : orders) {
                KdumpHeader h = read(signature, utsname, block, width, order);
                if (h.isSane(fileSize)) {
                    return h;
                }
            }
        }
        if (hinted.isPresent()) {
            int other = hinted.getAsInt() == 8 ? 4 : 8;
            for (ByteOrder order : orders) {
                if (other == 8 && block.length < 464) {
                    continue;
                }
                if (read(signature, utsname, block, other, order).isSane(fileSize)) {
                    throw new DumpFormatException(source, MACHINE_OFFSET, "utsname.machine '" + utsname.machine()
                            + "' is a " + (hinted.getAsInt() * 8) + "-bit machine but the header only makes sense in the "
                            + (other * 8) + "-bit layout");
                }
            }
        }
        for (int width : widths) {
            for (ByteOrder order : orders) {
                KdumpHeader h = width == 8 && block.length < 464 ? null : read(signature, utsname, block, width, order);
                if (h != null && h.isSane(Long.MAX_VALUE)) {
                    long needed = (1L + h.subHeaderBlocks + h.bitmapBlocks) * h.blockSize;
                    throw new org.kdump4j.io.TruncatedDumpException(source, 0, needed, fileSize,
                            "header, sub-header and bitmaps");
                }
            }
        }
        KdumpHeader le64 = read(signature, utsname, block, block.length >= 464 ? 8 : 4, ByteOrder.LITTLE_ENDIAN);
        throw new DumpFormatException(source, 8, "no header layout (32/64-bit, little/big-endian) is sane: e.g. "
                + "block_size " + le64.blockSize + ", bitmap_blocks " + le64.bitmapBlocks + ", max_mapnr "
                + le64.maxMapnr + " in the 64-bit little-endian reading");
    }

    private static KdumpHeader read(String signature, Utsname utsname, byte[] block, int width, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(block).order(order);
        int version = b.getInt(8);
        long sec;
        long usec;
        int at;
        if (width == 8) {
            sec = b.getLong(408);
            usec = b.getLong(416);
            at = 424;
        } else {
            sec = Integer.toUnsignedLong(b.getInt(404));
            usec = Integer.toUnsignedLong(b.getInt(408));
            at = 412;
        }
        return new KdumpHeader(signature, version, utsname, sec, usec, b.getInt(at), b.getInt(at + 4),
                b.getInt(at + 8), Integer.toUnsignedLong(b.getInt(at + 12)),
                Integer.toUnsignedLong(b.getInt(at + 16)), b.getInt(at + 36), order, width);
    }

    private boolean isSane(long fileSize) {
        return blockSize >= MIN_BLOCK_SIZE && blockSize <= MAX_BLOCK_SIZE && Integer.bitCount(blockSize) == 1
                && subHeaderBlocks >= 0 && bitmapBlocks > 0 && headerVersion >= 0 && headerVersion < 1000
                && bitmapBlocks * blockSize * 8 >= maxMapnr
                && (1L + subHeaderBlocks + bitmapBlocks) * blockSize <= fileSize;
    }

    static String cString(byte[] b, int offset, int max) {
        int end = offset;
        while (end < offset + max && end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.ISO_8859_1);
    }

    /** The word size a {@code utsname.machine} string implies, if it is one we know. */
    static OptionalInt wordSizeOf(String machine) {
        String m = machine.toLowerCase(Locale.ROOT);
        if (m.isEmpty()) {
            return OptionalInt.empty();
        }
        if (m.equals("x86_64") || m.equals("amd64") || m.equals("aarch64") || m.equals("arm64")
                || m.startsWith("ppc64") || m.equals("s390x") || m.equals("riscv64") || m.startsWith("loongarch64")
                || m.startsWith("mips64") || m.equals("ia64") || m.startsWith("sparc64")) {
            return OptionalInt.of(8);
        }
        if (isI386(m) || m.equals("x86") || (m.startsWith("arm") && !m.equals("arm64"))
                || m.equals("ppc") || m.equals("powerpc") || m.equals("s390") || m.equals("riscv32")
                || m.equals("mips") || m.equals("mipsel")) {
            return OptionalInt.of(4);
        }
        return OptionalInt.empty();
    }

    /** {@code i386} to {@code i686}: what {@code m.matches("i[3-6]86")} says, without a pattern. */
    static boolean isI386(String m) {
        return m.length() == 4 && m.charAt(0) == 'i' && m.charAt(1) >= '3' && m.charAt(1) <= '6'
                && m.charAt(2) == '8' && m.charAt(3) == '6';
    }

    /** Whether the machine is usually big-endian (only orders the probe; the sanity check decides). */
    private static boolean bigEndianFirst(String machine) {
        String m = machine.toLowerCase(Locale.ROOT);
        return m.equals("s390x") || m.equals("s390") || m.equals("ppc64") || m.equals("ppc") || m.equals("powerpc")
                || m.equals("mips") || m.equals("mips64") || m.startsWith("sparc") || m.endsWith("eb");
    }

    /** The ELF machine a {@code utsname.machine} string names. */
    static Machine machineOf(String machine) {
        String m = machine.toLowerCase(Locale.ROOT);
        if (m.equals("x86_64") || m.equals("amd64")) {
            return Machine.X86_64;
        }
        if (isI386(m) || m.equals("x86")) {
            return Machine.I386;
        }
        if (m.equals("aarch64") || m.equals("arm64")) {
            return Machine.AARCH64;
        }
        if (m.startsWith("arm")) {
            return Machine.ARM;
        }
        if (m.startsWith("ppc64")) {
            return Machine.PPC64;
        }
        if (m.equals("ppc") || m.equals("powerpc")) {
            return Machine.PPC;
        }
        if (m.startsWith("s390")) {
            return Machine.S390;
        }
        if (m.startsWith("riscv")) {
            return Machine.RISCV;
        }
        if (m.startsWith("loongarch")) {
            return Machine.LOONGARCH;
        }
        if (m.startsWith("mips")) {
            return Machine.MIPS;
        }
        if (m.equals("ia64")) {
            return Machine.IA64;
        }
        return new Machine(0);
    }

    /** Whether a 32-bit machine name implies the packed (i386) sub-header; empty when unknown. */
    static java.util.Optional<Boolean> packedSubHeader(String machine) {
        String m = machine.toLowerCase(Locale.ROOT);
        if (isI386(m) || m.equals("x86")) {
            return java.util.Optional.of(true);
        }
        if (m.startsWith("arm") || m.startsWith("mips") || m.equals("ppc") || m.equals("powerpc")
                || m.startsWith("riscv") || m.startsWith("s390")) {
            return java.util.Optional.of(false);
        }
        return java.util.Optional.empty();
    }
}
