package org.kdump4j.elf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.kdump4j.memory.MemoryRange;

/**
 * The ELF core header ({@code elfcorehdr}) a crash kernel is loaded with, built the way kexec-tools
 * ({@code kexec -c -p}, {@link Layout#KEXEC_TOOLS}) or the kernel's {@code crash_prepare_elf64_headers}
 * ({@code kexec -s -p}, {@link Layout#KERNEL}) builds it.
 *
 * <p>Program headers, in order: one {@code PT_NOTE} per CPU ({@code p_offset = p_paddr} = the CPU's
 * {@code crash_notes} buffer), one for VMCOREINFO, the kernel-text {@code PT_LOAD} (when given), then one
 * {@code PT_LOAD} per RAM range in ascending address order with {@code p_offset = p_paddr = start},
 * {@code p_vaddr = PAGE_OFFSET + start} and every excluded region (the crash kernel's) cut out.
 * {@code KEXEC_TOOLS} keeps x86's first 640 KiB (and ppc64's first 64 KiB) as the backup region whose
 * {@code p_offset} is the copy's address; {@code KERNEL} leaves out x86's low 1 MiB instead and is always
 * ELF64. Inputs are plain values: the {@code boot} package reads them from {@code /proc/iomem} and sysfs.
 */
public final class ElfCoreHeaders {
    /** kexec-tools' {@code ELF_CORE_HEADER_ALIGN}: the address goes on the command line in KiB. */
    public static final int KEXEC_TOOLS_ALIGN = 1024;
    /** The kernel's {@code ELF_CORE_HEADER_ALIGN}. */
    public static final int KERNEL_ALIGN = 4096;
    /** kexec-tools x86 makes the elfcorehdr segment at least this large. */
    public static final int KEXEC_TOOLS_X86_MIN_SEGMENT = 16 << 10;
    /** x86 backup region: the RAM range below this address (640 KiB). */
    public static final long X86_BACKUP_END = 0xa0000;
    /** x86 kernel layout: the low 1 MiB is left out of the dump. */
    public static final long X86_LOW_RESERVED = 1 << 20;
    /** ppc64 backup region: the first 64 KiB. */
    public static final long PPC64_BACKUP_END = 0x10000;

    /** Which producer's rules to follow. */
    public enum Layout {
        /** kexec-tools' {@code crash_create_elf{32,64}_headers} ({@code kexec_load}, {@code kexec -c -p}). */
        KEXEC_TOOLS,
        /** The kernel's {@code crash_prepare_elf64_headers} ({@code kexec_file_load}, {@code kexec -s -p}). */
        KERNEL;

        /** Parses {@code kexec-tools} or {@code kernel}. */
        public static Layout parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "kexec-tools", "kexec_tools" -> KEXEC_TOOLS;
                case "kernel" -> KERNEL;
                default -> throw new IllegalArgumentException("unknown layout '" + s + "' (kexec-tools, kernel)");
            };
        }
    }

    /** How an architecture keeps low memory that the capture kernel overwrites. */
    public enum Backup {
        /** Nothing is copied. */
        NONE,
        /** x86: purgatory copies the first RAM range below 640 KiB; its {@code p_offset} is the copy. */
        X86_LOW_640K,
        /** ppc64: the first 64 KiB are a synthetic first range whose {@code p_offset} is the copy. */
        PPC64_FIRST_64K
    }

    /**
     * What an architecture fixes about its elfcorehdr.
     *
     * @param name the name used on the command line
     * @param machine {@code e_machine}
     * @param byteOrder {@code EI_DATA}
     * @param pageOffset the default {@code PAGE_OFFSET} (start of the direct map)
     * @param pageSize the base page size
     * @param backup the low-memory backup rule (kexec-tools layout)
     * @param startKernelMap {@code __START_KERNEL_map}, where a kernel image without KASLR maps, if the
     *     architecture has such a map
     * @param lowmemLimit RAM from here on has no direct-map address ({@code p_vaddr} all ones; i386
     *     highmem), or empty
     * @param lowReservedByKernel bytes from 0 the kernel layout leaves out (x86: 1 MiB)
     */
    public record Arch(String name, Machine machine, ByteOrder byteOrder, long pageOffset, int pageSize, Backup backup,
            OptionalLong startKernelMap, OptionalLong lowmemLimit, long lowReservedByKernel) {
        /** i386: ELF32 when every address is below 4 GiB, highmem above 896 MiB. */
        public static final Arch X86 = new Arch("x86", Machine.I386, ByteOrder.LITTLE_ENDIAN, 0xc0000000L, 4096,
                Backup.X86_LOW_640K, OptionalLong.empty(), OptionalLong.of(0x38000000L), X86_LOW_RESERVED);
        /** x86_64 (direct map at {@code 0xffff888000000000} since 4.20, without KASLR). */
        public static final Arch X86_64 = new Arch("x86_64", Machine.X86_64, ByteOrder.LITTLE_ENDIAN,
                0xffff888000000000L, 4096, Backup.X86_LOW_640K, OptionalLong.of(0xffffffff80000000L),
                OptionalLong.empty(), X86_LOW_RESERVED);
        /** Big-endian ppc64, 64 KiB pages. */
        public static final Arch PPC64 = new Arch("ppc64", Machine.PPC64, ByteOrder.BIG_ENDIAN, 0xc000000000000000L,
                65536, Backup.PPC64_FIRST_64K, OptionalLong.empty(), OptionalLong.empty(), 0);
        /** Little-endian ppc64. */
        public static final Arch PPC64LE = new Arch("ppc64le", Machine.PPC64, ByteOrder.LITTLE_ENDIAN,
                0xc000000000000000L, 65536, Backup.PPC64_FIRST_64K, OptionalLong.empty(), OptionalLong.empty(), 0);
        /** ia64 (region 7 identity map), 16 KiB pages. */
        public static final Arch IA64 = new Arch("ia64", Machine.IA64, ByteOrder.LITTLE_ENDIAN, 0xe000000000000000L,
                16384, Backup.NONE, OptionalLong.empty(), OptionalLong.empty(), 0);
        /** aarch64 with 48-bit kernel addresses (direct map at {@code 0xffff000000000000} since 5.4). */
        public static final Arch AARCH64 = new Arch("aarch64", Machine.AARCH64, ByteOrder.LITTLE_ENDIAN,
                0xffff000000000000L, 4096, Backup.NONE, OptionalLong.empty(), OptionalLong.empty(), 0);

        /** Every built-in profile. */
        public static final List<Arch> ALL = List.of(X86, X86_64, PPC64, PPC64LE, IA64, AARCH64);

        /** Validates. */
        public Arch {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(machine, "machine");
            Objects.requireNonNull(byteOrder, "byteOrder");
            Objects.requireNonNull(backup, "backup");
            Objects.requireNonNull(startKernelMap, "startKernelMap");
            Objects.requireNonNull(lowmemLimit, "lowmemLimit");
            if (pageSize <= 0 || Integer.bitCount(pageSize) != 1) {
                throw new IllegalArgumentException("page size must be a power of two: " + pageSize);
            }
        }

        /** A built-in profile by name ({@code x86}/{@code i386}, {@code x86_64}, {@code ppc64}, ...). */
        public static Arch named(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("i386") || n.equals("i686")) {
                return X86;
            }
            if (n.equals("arm64")) {
                return AARCH64;
            }
            return ALL.stream().filter(a -> a.name.equals(n)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "unknown architecture '" + name + "' (x86, x86_64, ppc64, ppc64le, ia64, aarch64)"));
        }

        /** The same profile with another {@code PAGE_OFFSET}. */
        public Arch withPageOffset(long newPageOffset) {
            return new Arch(name, machine, byteOrder, newPageOffset, pageSize, backup, startKernelMap, lowmemLimit,
                    lowReservedByKernel);
        }
    }

    /**
     * The kernel image's {@code PT_LOAD}.
     *
     * @param physicalAddress {@code p_paddr = p_offset} (kexec-tools: start of {@code Kernel code};
     *     kernel: {@code __pa_symbol(_text)})
     * @param size {@code p_memsz}
     * @param virtualAddress {@code p_vaddr} (kexec-tools: the kcore text segment, aligned down to 1 MiB;
     *     kernel: {@code _text})
     */
    public record KernelText(long physicalAddress, long size, long virtualAddress) {
    }

    private final Layout layout;
    private final Arch arch;
    private final ElfCoreModel model;
    private final List<MemoryRange> ramSegments;
    private final long bufferSize;
    private final long segmentSize;

    private ElfCoreHeaders(Layout layout, Arch arch, ElfCoreModel model, List<MemoryRange> ramSegments, long bufferSize,
            long segmentSize) {
        this.layout = layout;
        this.arch = arch;
        this.model = model;
        this.ramSegments = ramSegments;
        this.bufferSize = bufferSize;
        this.segmentSize = segmentSize;
    }

    /** A builder for an architecture and layout. */
    public static Builder builder(Arch arch, Layout layout) {
        return new Builder(arch, layout);
    }

    /** The layout followed. */
    public Layout layout() {
        return layout;
    }

    /** The architecture profile. */
    public Arch arch() {
        return arch;
    }

    /** The header as a model (every segment {@link CoreSegment.At} an old-memory address). */
    public ElfCoreModel model() {
        return model;
    }

    /** The RAM ranges that got a {@code PT_LOAD}, in order (after exclusion and splitting). */
    public List<MemoryRange> ramSegments() {
        return ramSegments;
    }

    /**
     * The buffer the producer allocates, which the blob fills with zero padding: kexec-tools
     * {@code ALIGN(Ehdr + n × Phdr, 1024)}, the kernel {@code ALIGN(Ehdr + (cpus + 2 + ranges) × Phdr, 4096)}.
     */
    public long bufferSize() {
        return bufferSize;
    }

    /** The memory the loaded segment takes: kexec-tools x86 at least 16 KiB, else the buffer size. */
    public long segmentSize() {
        return segmentSize;
    }

    /** The program headers as they are written. */
    public List<ProgramHeader> programHeaders() {
        return ElfCoreWriter.plan(model).programHeaders();
    }

    /** The blob: the header and program headers, zero padded to {@link #bufferSize()}. */
    public byte[] bytes() {
        try {
            byte[] b = ElfCoreWriter.plan(model).toByteArray();
            return Arrays.copyOf(b, (int) Math.max(b.length, bufferSize));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // no streamed segments: cannot happen
        }
    }

    /** Collects the inputs of an elfcorehdr. */
    public static final class Builder {
        private final Arch arch;
        private final Layout layout;
        private final List<MemoryRange> ram = new ArrayList<>();
        private final List<MemoryRange> excluded = new ArrayList<>();
        private final List<MemoryRange> cpuNotes = new ArrayList<>();
        private MemoryRange vmcoreInfo;
        private KernelText kernelText;
        private long pageOffset;
        private OptionalLong backupCopy = OptionalLong.empty();
        private Optional<ElfClass> elfClass = Optional.empty();
        private int extraRangeSlots;

        private Builder(Arch arch, Layout layout) {
            this.arch = Objects.requireNonNull(arch, "arch");
            this.layout = Objects.requireNonNull(layout, "layout");
            this.pageOffset = arch.pageOffset();
        }

        /** Adds RAM ranges (the {@code System RAM} lines of {@code /proc/iomem}). */
        public Builder ram(List<MemoryRange> ranges) {
            ram.addAll(ranges);
            return this;
        }

        /** Adds regions to leave out of the dump: the crash kernel region(s). */
        public Builder exclude(List<MemoryRange> regions) {
            excluded.addAll(regions);
            return this;
        }

        /** Adds the next CPU's crash note buffer ({@code cpuN/crash_notes}, {@code crash_notes_size}). */
        public Builder cpuNote(long address, long size) {
            cpuNotes.add(new MemoryRange(address, size));
            return this;
        }

        /** The VMCOREINFO note ({@code /sys/kernel/vmcoreinfo}: address and size). */
        public Builder vmcoreInfo(long address, long size) {
            vmcoreInfo = new MemoryRange(address, size);
            return this;
        }

        /** The kernel-text {@code PT_LOAD}. */
        public Builder kernelText(long physicalAddress, long size, long virtualAddress) {
            kernelText = new KernelText(physicalAddress, size, virtualAddress);
            return this;
        }

        /**
         * The kernel-text {@code PT_LOAD} of a kernel that runs at {@code __START_KERNEL_map + paddr - phys_base}
         * (x86_64: {@code __pa_symbol} inverted; {@code phys_base} is 0 without KASLR).
         */
        public Builder kernelText(long physicalAddress, long size, long startKernelMap, long physBase) {
            return kernelText(physicalAddress, size, startKernelMap + physicalAddress - physBase);
        }

        /** {@code PAGE_OFFSET} (default: the architecture's). */
        public Builder pageOffset(long value) {
            pageOffset = value;
            return this;
        }

        /** Where the backup region's copy lives (kexec-tools layout, x86 and ppc64). */
        public Builder backupCopy(long address) {
            backupCopy = OptionalLong.of(address);
            return this;
        }

        /** Forces the ELF class (kexec-tools' {@code --elf32-core-headers}/{@code --elf64-core-headers}). */
        public Builder elfClass(ElfClass cls) {
            elfClass = Optional.of(cls);
            return this;
        }

        /**
         * Ranges kexec-tools collected besides RAM (ACPI, reserved, ...): they count towards its buffer
         * size though they get no program header.
         */
        public Builder extraRangeSlots(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("negative slots");
            }
            extraRangeSlots = n;
            return this;
        }

        /**
         * Builds the header.
         *
         * @throws IllegalArgumentException if the inputs are inconsistent (ELF32 with the kernel layout,
         *     ELF32 with an address that does not fit, overlapping notes)
         */
        public ElfCoreHeaders build() {
            ElfClass cls = chooseClass();
            List<MemoryRange> ranges = ramRanges();
            List<CoreSegment> segments = new ArrayList<>();
            for (MemoryRange n : cpuNotes) {
                segments.add(CoreSegment.noteAt(n.start(), n.size()));
            }
            if (vmcoreInfo != null) {
                segments.add(CoreSegment.noteAt(vmcoreInfo.start(), vmcoreInfo.size()));
            }
            if (kernelText != null) {
                segments.add(CoreSegment.loadAt(kernelText.physicalAddress(), kernelText.virtualAddress(),
                        kernelText.physicalAddress(), kernelText.size()));
            }
            MemoryRange backupSource = backupSource(ranges);
            for (MemoryRange r : ranges) {
                long offset = r.start();
                if (backupCopy.isPresent() && r.equals(backupSource)) {
                    offset = backupCopy.getAsLong();
                }
                segments.add(CoreSegment.loadAt(offset, virtualAddress(r), r.start(), r.size()));
            }
            ElfCoreModel model = ElfCoreModel.of(cls, arch.byteOrder(), arch.machine(), List.of(), segments);
            long phdrs = segments.size();
            long buffer;
            long segment;
            if (layout == Layout.KEXEC_TOOLS) {
                buffer = align(cls.headerSize() + (phdrs + extraRangeSlots) * cls.programHeaderSize(),
                        KEXEC_TOOLS_ALIGN);
                segment = arch.backup() == Backup.X86_LOW_640K ? Math.max(buffer, KEXEC_TOOLS_X86_MIN_SEGMENT) : buffer;
            } else {
                // the kernel reserves two slots (VMCOREINFO, kernel text) whether or not they are used
                buffer = align(cls.headerSize() + (cpuNotes.size() + 2L + ranges.size()) * cls.programHeaderSize(),
                        KERNEL_ALIGN);
                segment = buffer;
            }
            ElfCoreWriter.plan(model); // checks every value fits the class
            return new ElfCoreHeaders(layout, arch, model, List.copyOf(ranges), buffer, segment);
        }

        private ElfClass chooseClass() {
            if (layout == Layout.KERNEL) {
                if (elfClass.orElse(ElfClass.ELF64) != ElfClass.ELF64) {
                    throw new IllegalArgumentException("the kernel layout is always ELF64 (crash_prepare_elf64_headers)");
                }
                return ElfClass.ELF64;
            }
            if (elfClass.isPresent()) {
                return elfClass.get();
            }
            if (arch.machine().equals(Machine.I386)) {
                // kexec-tools get_core_type(): ELF64 if there is no range or the highest one ends above 4 GiB
                long max = -1;
                boolean any = false;
                for (MemoryRange r : ram) {
                    if (r.size() != 0) {
                        any = true;
                        max = Long.compareUnsigned(r.last(), max) > 0 || max == -1 ? r.last() : max;
                    }
                }
                return !any || Long.compareUnsigned(max, 0xffffffffL) > 0 ? ElfClass.ELF64 : ElfClass.ELF32;
            }
            return ElfClass.ELF64;
        }

        /** RAM, sorted, minus the excluded regions, with the layout's low-memory rules and i386's highmem split. */
        private List<MemoryRange> ramRanges() {
            List<MemoryRange> out = new ArrayList<>();
            for (MemoryRange r : ram) {
                if (r.size() != 0) {
                    out.add(r);
                }
            }
            out.sort(null);
            List<MemoryRange> cut = new ArrayList<>(excluded);
            if (layout == Layout.KERNEL && arch.lowReservedByKernel() > 0) {
                cut.add(new MemoryRange(0, arch.lowReservedByKernel()));
            }
            if (layout == Layout.KEXEC_TOOLS && arch.backup() == Backup.PPC64_FIRST_64K) {
                cut.add(new MemoryRange(0, PPC64_BACKUP_END));
            }
            for (MemoryRange x : cut) {
                out = subtract(out, x);
            }
            if (layout == Layout.KEXEC_TOOLS && arch.backup() == Backup.PPC64_FIRST_64K) {
                out.addFirst(new MemoryRange(0, PPC64_BACKUP_END));
            }
            if (arch.lowmemLimit().isPresent()) {
                out = splitAt(out, arch.lowmemLimit().getAsLong());
            }
            return out;
        }

        private MemoryRange backupSource(List<MemoryRange> ranges) {
            if (layout != Layout.KEXEC_TOOLS) {
                return null;
            }
            return switch (arch.backup()) {
                case NONE -> null;
                case PPC64_FIRST_64K -> ranges.isEmpty() ? null : ranges.getFirst();
                // the first RAM range that ends at or below 640 KiB
                case X86_LOW_640K -> ranges.stream().filter(r -> Long.compareUnsigned(r.end(), X86_BACKUP_END) <= 0
                        && r.size() != 0).findFirst().orElse(null);
            };
        }

        private long virtualAddress(MemoryRange r) {
            if (arch.lowmemLimit().isPresent() && Long.compareUnsigned(r.start(), arch.lowmemLimit().getAsLong()) >= 0) {
                return -1L; // highmem: no direct-map address
            }
            return pageOffset + r.start();
        }

        private static List<MemoryRange> subtract(List<MemoryRange> in, MemoryRange x) {
            if (x.size() == 0) {
                return in;
            }
            List<MemoryRange> out = new ArrayList<>();
            for (MemoryRange r : in) {
                boolean overlaps = Long.compareUnsigned(x.start(), r.last()) <= 0
                        && Long.compareUnsigned(x.last(), r.start()) >= 0;
                if (!overlaps) {
                    out.add(r);
                    continue;
                }
                if (Long.compareUnsigned(r.start(), x.start()) < 0) {
                    out.add(new MemoryRange(r.start(), x.start() - r.start()));
                }
                if (Long.compareUnsigned(x.last(), r.last()) < 0) {
                    out.add(MemoryRange.ofInclusive(x.last() + 1, r.last()));
                }
            }
            return out;
        }

        private static List<MemoryRange> splitAt(List<MemoryRange> in, long limit) {
            List<MemoryRange> out = new ArrayList<>();
            for (MemoryRange r : in) {
                if (r.contains(limit) && r.start() != limit) {
                    out.add(new MemoryRange(r.start(), limit - r.start()));
                    out.add(MemoryRange.ofInclusive(limit, r.last()));
                } else {
                    out.add(r);
                }
            }
            return out;
        }

        private static long align(long v, long a) {
            return (v + a - 1) & -a;
        }
    }
}
