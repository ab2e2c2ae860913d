package org.kdump4j.cli;

import java.io.PrintStream;
import java.util.List;
import org.kdump4j.vmcore.Vmcore;

/**
 * {@code kdump4j read}: a hexdump (or the raw bytes) of physical or kernel virtual memory. Raw physical reads
 * go in 8 MiB chunks, whose compressed pages are decoded on {@code --threads N} threads.
 */
final class ReadCommand implements Command {
    private static final int CHUNK = 64 * 1024;
    /** Raw physical reads: large enough for reads on several threads (at least 1 MiB). */
    private static final int RAW_CHUNK = 8 << 20;

    @Override
    public String name() {
        return "read";
    }

    @Override
    public String synopsis() {
        return "read [--virtual] [--raw] " + DecodeThreads.SYNOPSIS + " " + DumpOpener.SYNOPSIS
                + " ADDRESS LENGTH DUMP";
    }

    @Override
    public String summary() {
        return "hexdump (or raw bytes) of physical memory, or of kernel virtual memory (page-table translation); "
                + "--threads N decodes the compressed pages of large raw physical reads on N threads";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, DumpOpener.flags("--virtual", "--raw"),
                DumpOpener.valued(DecodeThreads.OPTION));
        List<String> ops = args.operands(3, 3);
        long address = number(ops.get(0), "ADDRESS");
        long length = number(ops.get(1), "LENGTH");
        if (length < 0) {
            throw new UsageException("LENGTH must not be negative");
        }
        boolean virtual = args.has("--virtual");
        boolean raw = args.has("--raw");
        int threads = DecodeThreads.of(args);
        try (Vmcore v = DumpOpener.open(args, ops.get(2))) {
            org.kdump4j.memory.PhysicalMemory memory = v.memory().withDecodeThreads(threads);
            int chunk = raw && !virtual ? RAW_CHUNK : CHUNK;
            byte[] buf = new byte[(int) Math.min(chunk, Math.max(length, 1))];
            org.kdump4j.kernel.AddressSpace space = virtual ? org.kdump4j.kernel.AddressSpace.of(v) : null;
            long done = 0;
            while (done < length) {
                int n = (int) Math.min(buf.length, length - done);
                if (virtual) {
                    space.readVirtual(address + done, buf, 0, n);
                } else {
                    memory.read(address + done, buf, 0, n);
                }
                if (raw) {
                    out.write(buf, 0, n);
                } else {
                    hexdump(out, address + done, buf, n);
                }
                done += n;
            }
        }
        out.flush();
        return Main.EXIT_OK;
    }

    static long number(String s, String what) throws UsageException {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new UsageException(what + " must be a decimal or 0x-hex number: " + s);
        }
    }

    /** Prints {@code hexdump -C}-style lines: address, 16 bytes in hex, the printable characters. */
    static void hexdump(PrintStream out, long address, byte[] b, int n) {
        StringBuilder sb = new StringBuilder(80);
        for (int i = 0; i < n; i += 16) {
            sb.setLength(0);
            sb.append(String.format("%016x ", address + i));
            for (int j = 0; j < 16; j++) {
                if (j == 8) {
                    sb.append(' ');
                }
                sb.append(i + j < n ? String.format(" %02x", b[i + j] & 0xff) : "   ");
            }
            sb.append("  |");
            for (int j = 0; j < 16 && i + j < n; j++) {
                int c = b[i + j] & 0xff;
                sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
            }
            sb.append('|');
            out.println(sb);
        }
    }
}
