package org.kdump4j.write;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.kdump4j.elf.CoreSegment;
import org.kdump4j.elf.ElfClass;
import org.kdump4j.elf.ElfCoreModel;
import org.kdump4j.elf.ElfCoreWriter;
import org.kdump4j.elf.Machine;
import org.kdump4j.elf.SegmentType;

/**
 * The child process of {@link DumpWriterKillTest}: writes a 2 GiB core through {@link AtomicOutput},
 * slowly, saying {@code WRITING} once bytes are on their way, so the parent can kill it mid-write.
 */
public final class KilledWriterMain {
    private KilledWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        long size = 2L << 30;
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) 0x5a);
        ElfCoreModel model = ElfCoreModel.of(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN, Machine.X86_64, List.of(),
                List.of(new CoreSegment(SegmentType.LOAD, 7, 0, 0, size, size, 0, new CoreSegment.Streamed(out -> {
                    for (long done = 0; done < size; done += chunk.length) {
                        out.write(ByteBuffer.wrap(chunk));
                    }
                }))));
        boolean[] said = {false};
        AtomicOutput.write(target, false, ch -> ElfCoreWriter.plan(model).write(ch, (done, total) -> {
            if (!said[0] && done >= 16 << 20) {
                System.out.println("WRITING " + done);
                System.out.flush();
                said[0] = true;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("DONE");
    }
}
