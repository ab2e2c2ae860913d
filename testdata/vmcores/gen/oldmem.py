#!/usr/bin/python3
"""Derive a /dev/oldmem-style raw physical image from an ELF vmcore.

usage: oldmem.py VMCORE.elf OUT.raw

The output is a sparse file where file offset == physical address: every PT_LOAD's
p_filesz bytes (from p_offset) are written at p_paddr, everything else is a hole (reads as
zeros). p_memsz - p_filesz tails (makedumpfile's excluded pages at the end of a segment) stay
zero too. The file size is max(p_paddr + p_memsz) over all PT_LOADs. Overlapping PT_LOADs
(the kernel-text PT_LOAD of kexec-tools/kernel headers duplicates a System RAM range) carry the
same bytes for the same physical addresses, so the order of writing does not matter; the
script checks that overlapping ranges really agree and reports it.
Handles ELF32/ELF64 and both byte orders; e_phnum == PN_XNUM (0xffff) is resolved via
section header 0's sh_info.
"""
import struct
import sys

CHUNK = 1 << 20


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, "rb") as f:
        ident = f.read(16)
        if ident[:4] != b"\x7fELF":
            sys.exit("%s: not an ELF file" % src)
        cls, data = ident[4], ident[5]
        e = "<" if data == 1 else ">"
        if cls == 2:
            hdr = struct.unpack(e + "HHIQQQIHHHHHH", f.read(48))
            phoff, shoff, phentsize, phnum = hdr[4], hdr[5], hdr[8], hdr[9]
            phfmt = e + "IIQQQQQQ"  # type flags offset vaddr paddr filesz memsz align
        else:
            hdr = struct.unpack(e + "HHIIIIIHHHHHH", f.read(36))
            phoff, shoff, phentsize, phnum = hdr[4], hdr[5], hdr[8], hdr[9]
            phfmt = e + "IIIIIIII"  # type offset vaddr paddr filesz memsz flags align
        if phnum == 0xFFFF:
            f.seek(shoff)
            if cls == 2:
                sh = struct.unpack(e + "IIQQQQIIQQ", f.read(64))
            else:
                sh = struct.unpack(e + "IIIIIIIIII", f.read(40))
            phnum = sh[7]
        loads = []
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p = struct.unpack(phfmt, f.read(struct.calcsize(phfmt)))
            if cls == 2:
                ptype, off, paddr, filesz, memsz = p[0], p[2], p[4], p[5], p[6]
            else:
                ptype, off, paddr, filesz, memsz = p[0], p[1], p[3], p[4], p[5]
            if ptype == 1:
                loads.append((paddr, off, filesz, memsz))
        end = max(pa + ms for pa, _, _, ms in loads)
        written = []  # (start, end) already written
        with open(dst, "wb") as out:
            out.truncate(end)
            for paddr, off, filesz, memsz in loads:
                for (a, b) in written:
                    lo, hi = max(a, paddr), min(b, paddr + filesz)
                    if lo < hi:
                        # compare the overlap with what is already there
                        f.seek(off + (lo - paddr))
                        out.flush()
                        with open(dst, "rb") as chk:
                            chk.seek(lo)
                            same = True
                            n = hi - lo
                            while n:
                                k = min(n, CHUNK)
                                if f.read(k) != chk.read(k):
                                    same = False
                                    break
                                n -= k
                        print("overlap paddr 0x%x-0x%x: %s" % (lo, hi - 1,
                              "identical bytes" if same else "DIFFERENT bytes (later PT_LOAD wins)"))
                f.seek(off)
                out.seek(paddr)
                n = filesz
                while n:
                    buf = f.read(min(n, CHUNK))
                    if not buf:
                        sys.exit("%s: short read" % src)
                    if buf.count(0) != len(buf):
                        out.write(buf)
                    else:
                        out.seek(len(buf), 1)
                    n -= len(buf)
                written.append((paddr, paddr + filesz))
        print("%d PT_LOADs, image size 0x%x" % (len(loads), end))


if __name__ == "__main__":
    main()
