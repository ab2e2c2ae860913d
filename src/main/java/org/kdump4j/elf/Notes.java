package org.kdump4j.elf;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a note area ({@code PT_NOTE} contents, or a kdump sub-header's note area) into {@link Note}s.
 *
 * <p>Each note is {@code Elf_Nhdr} (12 bytes), the name padded to the alignment, the descriptor padded to
 * the alignment. Parsing stops at a header whose {@code n_namesz} is 0 (the kernel's terminator and
 * zero padding) or at the end of the area; a note that does not fit the area is an error.
 */
public final class Notes {
    private Notes() {
    }

    /**
     * Parses a note area.
     *
     * @param source the file name, for messages
     * @param bytes the area's bytes
     * @param fileOffset the file offset of {@code bytes[0]}
     * @param order byte order of the header fields
     * @param alignment 4 (every Linux producer) or 8 ({@code p_align == 8})
     * @return the notes in order
     * @throws ElfFormatException if a note overruns the area
     */
    public static List<Note> parse(String source, byte[] bytes, long fileOffset, ByteOrder order, int alignment)
            throws ElfFormatException {
        if (alignment != 4 && alignment != 8) {
            throw new IllegalArgumentException("note alignment must be 4 or 8: " + alignment);
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(order);
        List<Note> notes = new ArrayList<>();
        int pos = 0;
        while (bytes.length - pos >= Elf.NHDR_SIZE) {
            long nameSize = Integer.toUnsignedLong(b.getInt(pos));
            long descSize = Integer.toUnsignedLong(b.getInt(pos + 4));
            int type = b.getInt(pos + 8);
            if (nameSize == 0) {
                break;
            }
            long nameStart = pos + Elf.NHDR_SIZE;
            long descStart = nameStart + align(nameSize, alignment);
            long end = descStart + align(descSize, alignment);
            // the last note may omit the padding after its descriptor
            if (descStart + descSize > bytes.length) {
                throw new ElfFormatException(source, fileOffset + pos, "note (namesz " + nameSize + ", descsz "
                        + descSize + ") overruns its note area of " + bytes.length + " bytes");
            }
            String name = name(bytes, (int) nameStart, (int) nameSize);
            byte[] desc = java.util.Arrays.copyOfRange(bytes, (int) descStart, (int) (descStart + descSize));
            notes.add(new Note(new NoteType(name, type), desc, fileOffset + pos, fileOffset + descStart));
            if (end >= bytes.length) {
                break;
            }
            pos = (int) end;
        }
        return List.copyOf(notes);
    }

    /**
     * The notes that parse completely before the first malformed one: for lenient readers of damaged
     * note areas.
     */
    public static List<Note> parsePrefix(byte[] bytes, long fileOffset, ByteOrder order, int alignment) {
        List<Note> out = new ArrayList<>();
        int end = bytes.length;
        // shrink the area until it parses; each step drops at least the last (bad) note
        while (end > 0) {
            try {
                List<Note> notes = parse("", java.util.Arrays.copyOf(bytes, end), fileOffset, order, alignment);
                out.addAll(notes);
                return List.copyOf(out);
            } catch (ElfFormatException e) {
                long bad = e.offset() - fileOffset;
                if (bad <= 0 || bad >= end) {
                    return List.of();
                }
                end = (int) bad;
            }
        }
        return List.of();
    }

    private static long align(long v, int a) {
        return (v + a - 1) & -a;
    }

    private static String name(byte[] bytes, int start, int size) {
        int end = start;
        while (end < start + size && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }
}
