package org.kdump4j.cli;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.kdump4j.boot.BootParseException;
import org.kdump4j.boot.Iomem;
import org.kdump4j.boot.IomemResource;
import org.kdump4j.elf.ElfClass;
import org.kdump4j.elf.ElfCoreHeaders;
import org.kdump4j.elf.ProgramHeader;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.write.AtomicOutput;

/**
 * {@code kdump4j elfcorehdr}: builds the ELF core header a crash kernel is loaded with, from a
 * {@code /proc/iomem} text and the sysfs values, as kexec-tools or the kernel would, and writes the blob.
 */
final class ElfcorehdrCommand implements Command {
    private static final int MAX_IOMEM = 64 << 20;

    @Override
    public String name() {
        return "elfcorehdr";
    }

    @Override
    public String synopsis() {
        return "elfcorehdr --iomem FILE --arch ARCH [--layout kexec-tools|kernel] [--elf32] [--page-offset HEX] "
                + "[--kernel-text PADDR:SIZE[:VADDR]] [--crash-notes ADDR:SIZE ...] [--vmcoreinfo ADDR:SIZE] "
                + "[--backup ADDR] [--force] -o OUT";
    }

    @Override
    public String summary() {
        return "build the elfcorehdr blob (kexec-tools or kernel layout) from /proc/iomem and sysfs values; "
                + "numbers are hex";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        List<String> a = new ArrayList<>();
        for (String s : argv) {
            a.add(s.equals("-o") ? "--output" : s);
        }
        Args args = Args.parse(a, Set.of("--elf32", "--force"), Set.of("--iomem", "--arch", "--layout",
                "--page-offset", "--kernel-text", "--crash-notes", "--vmcoreinfo", "--backup", "--output"));
        args.operands(0, 0);
        String iomemFile = required(args, "--iomem");
        String outFile = required(args, "--output");
        ElfCoreHeaders.Arch arch;
        ElfCoreHeaders.Layout layout;
        try {
            arch = ElfCoreHeaders.Arch.named(required(args, "--arch"));
            layout = ElfCoreHeaders.Layout.parse(args.has("--layout") ? args.value("--layout") : "kexec-tools");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Path iomemPath = Path.of(iomemFile);
        if (Files.size(iomemPath) > MAX_IOMEM) {
            throw new java.io.IOException(iomemFile + ": larger than " + MAX_IOMEM + " bytes; not an iomem file");
        }
        Iomem iomem;
        try {
            iomem = Iomem.parse(Files.readString(iomemPath, StandardCharsets.ISO_8859_1));
        } catch (BootParseException e) {
            throw new java.io.IOException(iomemFile + ": " + e.getMessage(), e);
        }
        if (iomem.addressesHidden()) {
            throw new java.io.IOException(iomemFile + ": every address is zero (read without CAP_SYS_ADMIN); "
                    + "copy /proc/iomem as root");
        }
        ElfCoreHeaders.Builder b = ElfCoreHeaders.builder(arch, layout)
                .ram(ranges(iomem.systemRam()))
                .exclude(ranges(iomem.crashKernel()));
        for (String v : args.values("--crash-notes")) {
            for (String one : v.split(",")) {
                long[] f = Numbers.fields("--crash-notes", one, 2, 2);
                b.cpuNote(f[0], f[1]);
            }
        }
        if (args.has("--vmcoreinfo")) {
            long[] f = Numbers.fields("--vmcoreinfo", args.value("--vmcoreinfo"), 2, 2);
            b.vmcoreInfo(f[0], f[1]);
        }
        if (args.has("--page-offset")) {
            b.pageOffset(Numbers.hex("--page-offset", args.value("--page-offset")));
        }
        if (args.has("--kernel-text")) {
            long[] f = Numbers.fields("--kernel-text", args.value("--kernel-text"), 2, 3);
            if (f.length == 3) {
                b.kernelText(f[0], f[1], f[2]);
            } else if (arch.startKernelMap().isPresent()) {
                b.kernelText(f[0], f[1], arch.startKernelMap().getAsLong(), 0);
            } else {
                throw new UsageException("--kernel-text: " + arch.name() + " has no __START_KERNEL_map; give PADDR:SIZE:VADDR");
            }
        }
        if (args.has("--backup")) {
            b.backupCopy(Numbers.hex("--backup", args.value("--backup")));
        }
        if (args.has("--elf32")) {
            b.elfClass(ElfClass.ELF32);
        }
        ElfCoreHeaders h = b.build();
        byte[] blob = h.bytes();
        AtomicOutput.write(Path.of(outFile), args.has("--force"), ch -> {
            ByteBuffer buf = ByteBuffer.wrap(blob);
            while (buf.hasRemaining()) {
                ch.write(buf, buf.position());
            }
        });
        List<ProgramHeader> phdrs = h.programHeaders();
        long notes = phdrs.stream().filter(ProgramHeader::isNote).count();
        out.printf("%s: %s %s %s layout, %d program headers (%d PT_NOTE, %d PT_LOAD), %d bytes, segment size %d%n",
                outFile, h.model().elfClass(), arch.name(), layout == ElfCoreHeaders.Layout.KERNEL ? "kernel"
                        : "kexec-tools", phdrs.size(), notes, phdrs.size() - notes, blob.length, h.segmentSize());
        return Main.EXIT_OK;
    }

    private static String required(Args args, String option) throws UsageException {
        if (!args.has(option)) {
            throw new UsageException("missing " + (option.equals("--output") ? "-o OUT" : option));
        }
        return args.value(option);
    }

    private static List<MemoryRange> ranges(List<IomemResource> rs) {
        List<MemoryRange> out = new ArrayList<>();
        for (IomemResource r : rs) {
            if (Long.compareUnsigned(r.end(), r.start()) >= 0) {
                out.add(MemoryRange.ofInclusive(r.start(), r.end()));
            }
        }
        return out;
    }
}
