package org.kdump4j.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.kdump4j.io.ByteSource;
import org.kdump4j.io.DumpFormatException;

/**
 * Fuzzes {@link ElfCoreWriter}: generated models (both classes and byte orders, any machine, notes of any
 * name and size, segment counts up to and past 65535, addresses and sizes near and past 4 GiB) either
 * round-trip writer -> {@link ElfCore#read} exactly or, for ELF32 values that do not fit, are refused with
 * an {@link IllegalArgumentException} naming ELF32 before anything is written. {@code mutatedHeaders}
 * flips bytes of a written file's headers: the reader must answer with a {@link DumpFormatException}
 * or a core, never anything else.
 *
 * <p>Without {@code JAZZER_FUZZ} the seeds in {@code ElfCoreWriterFuzzInputs/<method>/} run as a regression
 * test; {@code bin/fuzz} runs a campaign.
 */
class ElfCoreWriterFuzz {

    @FuzzTest(maxDuration = "60s")
    void roundTrip(FuzzedDataProvider data) throws IOException {
        ElfCoreModel model = model(data);
        ElfCoreWriter w;
        try {
            w = ElfCoreWriter.plan(model, 1L << data.consumeInt(0, 12));
        } catch (IllegalArgumentException e) {
            assertEquals(ElfClass.ELF32, model.elfClass(), e::getMessage);
            assertTrue(e.getMessage().contains("ELF32"), e::getMessage);
            return;
        }
        byte[] file = w.toByteArray();
        assertEquals(w.size(), file.length);
        ElfCoreWriterTest.checkRoundTrip(model, w, file);
    }

    @FuzzTest(maxDuration = "60s")
    void mutatedHeaders(FuzzedDataProvider data) throws IOException {
        ElfCoreModel model = model(data).withElfClass(data.consumeBoolean() ? ElfClass.ELF64 : ElfClass.ELF32);
        byte[] file;
        try {
            file = ElfCoreWriter.plan(model).toByteArray();
        } catch (IllegalArgumentException e) {
            return;
        }
        int flips = data.consumeInt(1, 16);
        long headerEnd = model.elfClass().headerSize() + model.programHeaderCount() * model.elfClass().programHeaderSize();
        for (int i = 0; i < flips && file.length > 0; i++) {
            int at = data.consumeInt(0, (int) Math.min(file.length - 1, headerEnd + 64));
            file[at] = data.consumeByte();
        }
        try {
            ElfCore core = ElfCore.read(ByteSource.of("mutated", file));
            assertEquals(core.header().programHeaderCount(), core.programHeaders().size());
        } catch (DumpFormatException e) {
            assertTrue(e.getMessage().startsWith("mutated: "), e::getMessage);
        }
    }

    /** A model decoded from the fuzzer's bytes. */
    static ElfCoreModel model(FuzzedDataProvider d) {
        ElfClass cls = d.consumeBoolean() ? ElfClass.ELF64 : ElfClass.ELF32;
        ByteOrder order = d.consumeBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Machine machine = new Machine(d.consumeInt(0, 0xffff));
        int flags = d.consumeInt();
        List<CoreNote> notes = new ArrayList<>();
        int nNotes = d.consumeInt(0, 6);
        for (int i = 0; i < nNotes; i++) {
            String name = d.consumeAsciiString(d.consumeInt(0, 24)).replace('\0', '_');
            notes.add(CoreNote.of(name, d.consumeInt(), d.consumeBytes(d.consumeInt(0, 600))));
        }
        int nSegments = switch (d.consumeInt(0, 15)) {
            case 0 -> 0xfffe + d.consumeInt(0, 2); // around PN_XNUM (with or without the notes' PT_NOTE)
            case 1 -> d.consumeInt(65536, 70000);
            default -> d.consumeInt(0, 40);
        };
        boolean bulk = nSegments > 1000; // many segments: cheap ones
        List<CoreSegment> segs = new ArrayList<>(nSegments);
        for (int i = 0; i < nSegments; i++) {
            segs.add(bulk ? CoreSegment.loadAt(i * 4096L, 0, i * 4096L, 4096) : segment(d, cls));
        }
        // segments sharing the bytes of a written one (kernel-text aliases), decoded last so older seeds keep
        // their meaning
        int nShared = bulk || segs.isEmpty() ? 0 : d.consumeInt(0, 3);
        for (int i = 0; i < nShared; i++) {
            int target = d.consumeInt(0, segs.size() - 1);
            CoreSegment t = segs.get(target);
            if (!t.isWritten()) {
                continue;
            }
            long offset = d.consumeLong(0, t.fileSize());
            long filesz = d.consumeLong(0, t.fileSize() - offset);
            long memsz = filesz + (d.consumeBoolean() ? 0 : d.consumeLong(0, 0xffffL));
            segs.add(new CoreSegment(SegmentType.LOAD, CoreSegment.RWX,
                    address(d, cls), address(d, cls), filesz, memsz, 0, new CoreSegment.SharedWith(target, offset)));
        }
        return new ElfCoreModel(cls, order, machine, flags, notes, segs);
    }

    private static CoreSegment segment(FuzzedDataProvider d, ElfClass cls) {
        SegmentType type = new SegmentType(d.consumeBoolean() ? SegmentType.LOAD.value() : d.consumeInt());
        int flags = d.consumeInt();
        long vaddr = address(d, cls);
        long paddr = address(d, cls);
        long align = d.consumeBoolean() ? 0 : address(d, cls);
        switch (d.consumeInt(0, 2)) {
            case 0 -> {
                long memsz = address(d, cls);
                long filesz = type.equals(SegmentType.NOTE) ? 0 : address(d, cls); // not read back: any value
                return new CoreSegment(type, flags, vaddr, paddr, filesz, memsz, align,
                        new CoreSegment.At(address(d, cls)));
            }
            case 1 -> {
                if (type.equals(SegmentType.NOTE)) {
                    type = SegmentType.LOAD; // a written PT_NOTE would be parsed: keep the contents opaque
                }
                byte[] b = d.consumeBytes(d.consumeInt(0, 256));
                long memsz = b.length + (d.consumeBoolean() ? 0 : d.consumeLong(0, 0x1_0000_0000L));
                return new CoreSegment(type, flags, vaddr, paddr, b.length, memsz, align, new CoreSegment.Bytes(b));
            }
            default -> {
                if (type.equals(SegmentType.NOTE)) {
                    type = SegmentType.LOAD;
                }
                int n = d.consumeInt(0, 5000);
                byte fill = d.consumeByte();
                long memsz = n + (d.consumeBoolean() ? 0 : d.consumeLong(0, 0xffffffffL));
                return new CoreSegment(type, flags, vaddr, paddr, n, memsz, align, new CoreSegment.Streamed(out -> {
                    out.writeZeros(n / 3);
                    byte[] rest = new byte[n - n / 3];
                    java.util.Arrays.fill(rest, fill);
                    out.write(ByteBuffer.wrap(rest));
                }));
            }
        }
    }

    /** Small, near 4 GiB, all ones, or (for ELF64, sometimes ELF32 to test the refusal) anything. */
    private static long address(FuzzedDataProvider d, ElfClass cls) {
        return switch (d.consumeInt(0, 7)) {
            case 0 -> 0xffffffffL - d.consumeInt(0, 4096);
            case 1 -> 0x1_0000_0000L + d.consumeInt(0, 4096);
            case 2 -> -1L;
            case 3 -> cls == ElfClass.ELF64 || d.consumeInt(0, 15) == 0 ? d.consumeLong() : d.consumeInt() & 0xffffffffL;
            default -> d.consumeLong(0, 1 << 24);
        };
    }
}
