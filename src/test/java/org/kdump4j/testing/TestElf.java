package org.kdump4j.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds small synthetic ELF core files for edge cases the real dumps do not cover (ELF32, big endian,
 * PN_XNUM, files beyond 4 GiB). Headers only: segment data is written separately at its offset.
 */
public final class TestElf {
    /** One program header. */
    public record Phdr(int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz, long align) {
        /** A PT_LOAD with p_offset/p_paddr/sizes as given and vaddr 0. */
        public static Phdr load(long offset, long paddr, long filesz, long memsz) {
            return new Phdr(1, 7, offset, 0, paddr, filesz, memsz, 0);
        }
    }

    private final boolean is64;
    private final ByteOrder order;
    private int machine = 62;
    private final List<Phdr> phdrs = new ArrayList<>();
    private boolean extendedNumbering;

    private TestElf(boolean is64, ByteOrder order) {
        this.is64 = is64;
        this.order = order;
    }

    /** A builder for the given class and byte order. */
    public static TestElf of(boolean is64, ByteOrder order) {
        return new TestElf(is64, order);
    }

    public TestElf machine(int m) {
        this.machine = m;
        return this;
    }

    public TestElf add(Phdr p) {
        phdrs.add(p);
        return this;
    }

    /** Writes e_phnum = PN_XNUM and the real count in section header 0 (placed after the phdrs). */
    public TestElf extendedNumbering() {
        this.extendedNumbering = true;
        return this;
    }

    public int headerSize() {
        int eh = is64 ? 64 : 52;
        int ph = is64 ? 56 : 32;
        int sh = is64 ? 64 : 40;
        return eh + ph * phdrs.size() + (extendedNumbering ? sh : 0);
    }

    /** The ELF header, program headers and (for PN_XNUM) section header 0. */
    public byte[] headers() {
        int eh = is64 ? 64 : 52;
        int ph = is64 ? 56 : 32;
        ByteBuffer b = ByteBuffer.allocate(headerSize()).order(order);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2),
            1});
        b.position(16);
        b.putShort((short) 4).putShort((short) machine).putInt(1);
        int phnum = extendedNumbering ? 0xffff : phdrs.size();
        long shoff = extendedNumbering ? eh + (long) ph * phdrs.size() : 0;
        if (is64) {
            b.putLong(0).putLong(eh).putLong(shoff).putInt(0);
        } else {
            b.putInt(0).putInt(eh).putInt((int) shoff).putInt(0);
        }
        b.putShort((short) eh).putShort((short) ph).putShort((short) phnum)
                .putShort((short) (extendedNumbering ? (is64 ? 64 : 40) : 0))
                .putShort((short) (extendedNumbering ? 1 : 0)).putShort((short) 0);
        for (Phdr p : phdrs) {
            if (is64) {
                b.putInt(p.type).putInt(p.flags).putLong(p.offset).putLong(p.vaddr).putLong(p.paddr)
                        .putLong(p.filesz).putLong(p.memsz).putLong(p.align);
            } else {
                b.putInt(p.type).putInt((int) p.offset).putInt((int) p.vaddr).putInt((int) p.paddr)
                        .putInt((int) p.filesz).putInt((int) p.memsz).putInt(p.flags).putInt((int) p.align);
            }
        }
        if (extendedNumbering) {
            int start = b.position();
            // sh_info holds the real program header count
            b.putInt(start + (is64 ? 44 : 28), phdrs.size());
        }
        return b.array();
    }

    /** One ELF note (4-byte aligned) in this file's byte order. */
    public byte[] note(String name, int type, byte[] desc) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.ISO_8859_1);
        int size = 12 + align4(n.length) + align4(desc.length);
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        b.putInt(n.length).putInt(desc.length).putInt(type).put(n);
        b.position(12 + align4(n.length));
        b.put(desc);
        return b.array();
    }

    private static int align4(int v) {
        return (v + 3) & ~3;
    }

    /** Writes the headers at 0 and each chunk of data at its offset (the file stays sparse elsewhere). */
    public static void write(Path path, byte[] headers, long[] offsets, byte[][] data) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SPARSE)) {
            ch.write(ByteBuffer.wrap(headers), 0);
            for (int i = 0; i < offsets.length; i++) {
                ch.write(ByteBuffer.wrap(data[i]), offsets[i]);
            }
        }
    }
}
