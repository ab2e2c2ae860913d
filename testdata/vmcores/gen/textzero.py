#!/usr/bin/python3
"""Zero given physical address ranges in every PT_LOAD of an ELF core (in place).

usage: textzero.py CORE.elf IOMEM [NAME ...]
       textzero.py --raw RAMFILE IOMEM [NAME ...]   (RAMFILE offset == guest physical address,
                                                    e.g. a QEMU memory-backend-file of a pc guest
                                                    with less than 3 GiB of RAM)
  Ranges are taken from the /proc/iomem text IOMEM: every line whose name is one of NAME
  (default: "Kernel code" and "Kernel rodata"), e.g. "  0f400000-10201d31 : Kernel code".
  For every PT_LOAD, the file bytes (p_offset .. p_offset+p_filesz) that represent physical
  addresses inside a range are overwritten with zeros. Both the kernel-text PT_LOAD and the
  System-RAM PT_LOAD that map the same physical pages are therefore zeroed consistently.

Why: the Debian kernel image (14 MiB code + 9 MiB rodata) would otherwise make every committed
dump 10-20 MB even after compression; the kernel's code and read-only data are not needed by any
reader test (all structures a reader parses -- ELF headers, notes, VMCOREINFO, page tables,
mem_map, the printk ring buffer, utsname -- live in data/bss or allocated memory).
Prints one line per zeroed piece.
"""
import re
import struct
import sys

CHUNK = 1 << 20


def main():
    raw = sys.argv[1] == "--raw"
    args = sys.argv[2:] if raw else sys.argv[1:]
    core, iomem = args[0], args[1]
    names = args[2:] or ["Kernel code", "Kernel rodata"]
    ranges = []
    for line in open(iomem):
        m = re.match(r"\s*([0-9a-f]+)-([0-9a-f]+) : (.*)$", line.rstrip("\n"))
        if m and m.group(3) in names:
            ranges.append((int(m.group(1), 16), int(m.group(2), 16) + 1, m.group(3)))
    if len(ranges) != len(names):
        sys.exit("textzero: expected %d ranges %r in %s, found %r" % (len(names), names, iomem, ranges))
    if raw:
        with open(core, "r+b") as f:
            f.seek(0, 2)
            size = f.tell()
            for (a, b, name) in ranges:
                if b > size:
                    sys.exit("textzero: %s range 0x%x-0x%x beyond %s" % (name, a, b - 1, core))
                f.seek(a)
                f.write(b"\0" * (b - a))
                print("zeroed %s paddr 0x%x-0x%x (raw offset == paddr)" % (name, a, b - 1))
        return
    with open(core, "r+b") as f:
        ident = f.read(16)
        if ident[:4] != b"\x7fELF" or ident[4] not in (1, 2) or ident[5] != 1:
            sys.exit("textzero: %s is not a little-endian ELF file" % core)
        elf64 = ident[4] == 2
        if elf64:
            hdr = struct.unpack("<HHIQQQIHHHHHH", f.read(48))
        else:
            hdr = struct.unpack("<HHIIIIIHHHHHH", f.read(36))
        phoff, shoff, phentsize, phnum = hdr[4], hdr[5], hdr[8], hdr[9]
        if phnum == 0xFFFF:
            f.seek(shoff)
            phnum = (struct.unpack("<IIQQQQIIQQ", f.read(64)) if elf64
                     else struct.unpack("<IIIIIIIIII", f.read(40)))[7]
        total = 0
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            if elf64:
                ptype, _, off, vaddr, paddr, filesz, memsz, _ = struct.unpack("<IIQQQQQQ", f.read(56))
            else:
                ptype, off, vaddr, paddr, filesz, memsz, _, _ = struct.unpack("<IIIIIIII", f.read(32))
            if ptype != 1:
                continue
            for (a, b, name) in ranges:
                lo, hi = max(a, paddr), min(b, paddr + filesz)
                if lo >= hi:
                    continue
                f.seek(off + (lo - paddr))
                n = hi - lo
                while n:
                    k = min(n, CHUNK)
                    f.write(b"\0" * k)
                    n -= k
                total += hi - lo
                print("zeroed %s paddr 0x%x-0x%x (file 0x%x, PT_LOAD vaddr 0x%x)"
                      % (name, lo, hi - 1, off + (lo - paddr), vaddr))
        print("zeroed %d bytes" % total)


if __name__ == "__main__":
    main()
