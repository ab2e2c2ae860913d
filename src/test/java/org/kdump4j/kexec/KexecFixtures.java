package org.kdump4j.kexec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.kdump4j.boot.IomemResource;

/** Small fake images and regions for the kexec tests (no real kernel is ever loaded by a test). */
final class KexecFixtures {
    static final long MIB = 1L << 20;

    private KexecFixtures() {
    }

    /** A file with an x86 boot-protocol header ("HdrS", version 2.15) and the given {@code init_size}. */
    static Path bzImage(Path dir, String name, int fileSize, long initSize) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Math.max(fileSize, 0x264)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 'M').put(1, (byte) 'Z');
        b.putInt(0x202, 0x53726448);
        b.putShort(0x206, (short) 0x020f);
        b.putInt(0x260, (int) initSize);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    static Path file(Path dir, String name, int size) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, new byte[size]);
        return p;
    }

    /** One crash region of {@code size} bytes at 0x20000000 (under System RAM). */
    static List<IomemResource> region(long size) {
        return List.of(new IomemResource(0x2000_0000L, 0x2000_0000L + size - 1, "Crash kernel", List.of()));
    }

    /** /proc/iomem text with one System RAM range holding a crash region (or none when size is 0). */
    static String iomem(long crashSize) {
        StringBuilder sb = new StringBuilder("00001000-0009ffff : System RAM\n00100000-7ffdffff : System RAM\n");
        sb.append("  01000000-01ffffff : Kernel code\n");
        if (crashSize > 0) {
            sb.append("  20000000-").append(Long.toHexString(0x2000_0000L + crashSize - 1)).append(" : Crash kernel\n");
        }
        return sb.toString();
    }
}
