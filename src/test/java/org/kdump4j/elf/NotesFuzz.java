package org.kdump4j.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes {@link Notes#parse} in both byte orders and both alignments: it either returns notes that
 * re-read exactly from the area (header fields, descriptor bytes, padding-aligned chaining) or throws an
 * {@link ElfFormatException} naming the source and an offset inside the area.
 */
class NotesFuzz {
    private static final String NAME = "fuzz.notes";
    private static final long BASE = 0x1000;

    @FuzzTest(maxDuration = "60s")
    void fuzz(byte[] data) {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            for (int align : new int[] {4, 8}) {
                check(data, order, align);
            }
        }
    }

    private static void check(byte[] data, ByteOrder order, int align) {
        List<Note> notes;
        try {
            notes = Notes.parse(NAME, data, BASE, order, align);
        } catch (ElfFormatException e) {
            assertEquals(NAME, e.source());
            assertTrue(e.getMessage().startsWith(NAME + ": "), e::getMessage);
            assertTrue(e.getMessage().contains("offset 0x" + Long.toHexString(e.offset())), e::getMessage);
            assertTrue(e.offset() >= BASE && e.offset() + Elf.NHDR_SIZE <= BASE + data.length, e::getMessage);
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(order);
        assertTrue(notes.size() <= data.length / Elf.NHDR_SIZE);
        long expectedAt = BASE;
        for (Note n : notes) {
            assertEquals(expectedAt, n.offset(), "notes are contiguous from the start");
            int at = (int) (n.offset() - BASE);
            long namesz = Integer.toUnsignedLong(b.getInt(at));
            long descsz = Integer.toUnsignedLong(b.getInt(at + 4));
            assertTrue(namesz > 0);
            assertEquals(descsz, n.descriptorSize());
            assertEquals(b.getInt(at + 8), n.type().value());
            assertEquals(n.offset() + Elf.NHDR_SIZE + align(namesz, align), n.descriptorOffset());
            int d = (int) (n.descriptorOffset() - BASE);
            assertArrayEquals(Arrays.copyOfRange(data, d, d + n.descriptorSize()), n.descriptor());
            String name = n.name();
            assertTrue(name.length() <= namesz);
            assertFalse(name.indexOf('\0') >= 0);
            for (int i = 0; i < name.length(); i++) {
                assertEquals(data[at + Elf.NHDR_SIZE + i] & 0xff, name.charAt(i));
            }
            n.type().toString();
            n.type().knownName();
            n.descriptorBuffer(order);
            expectedAt = n.descriptorOffset() + align(descsz, align);
        }
    }

    private static long align(long v, int a) {
        return (v + a - 1) & -a;
    }
}
