#!/bin/bash
# Regenerates the codec test vectors with the real reference tools (Debian packages):
#   zlib: python3's zlib module; zstd: the zstd CLI; snappy: python3-snappy (libsnappy, raw format);
#   lzo: python3-lzo (liblzo2, lzo1x_1 for level 1 and lzo1x_999 for level 9, header=False: a bare stream).
# Originals are stored gzipped (NAME.bin.gz); each NAME.<codec> decodes to exactly NAME's bytes.
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
$PY - <<'PYEOF'
import gzip, random, struct
r = random.Random(20261126)
words = ("kernel page cache task struct mm inode dentry slab buddy free zone node cpu irq "
         "softirq rcu sched vmcore kdump crash makedumpfile printk console").split()
def text(n):
    out = bytearray()
    while len(out) < n:
        out += (" ".join(r.choice(words) for _ in range(r.randint(3, 12))) + ".\n").encode()
    return bytes(out[:n])
def structs(n):
    out = bytearray()
    while len(out) < n:
        out += struct.pack("<QQIIQ", 0xffff888000000000 + r.randrange(1 << 28) * 64, r.choice([0, 0, 1, 0xdead4ead]),
                           r.randrange(16), 0, 0xffffffff81000000 + r.randrange(1 << 20))
    return bytes(out[:n])
samples = {
    "page-text": text(4096),
    "page-mixed": structs(1536) + bytes(1024) + text(1536),
    "page-random": r.randbytes(4096),
    "page-zero": bytes(4096),
    "block-64k": structs(20000) + text(30000) + bytes(5536) + r.randbytes(2000),
    "multiblock-260k": text(65536) + structs(16384) + b"\xaa" * (49152 + 131072) + r.randbytes(3000),
}
for name, data in samples.items():
    with gzip.GzipFile(name + ".bin.gz", "wb", mtime=0) as f:
        f.write(data)
    open("/tmp/kdump4j-codec-" + name + ".bin", "wb").write(data)
PYEOF
for f in /tmp/kdump4j-codec-*.bin; do
  n=$(basename "$f" .bin); n=${n#kdump4j-codec-}
  $PY -c "import zlib,sys; d=open('$f','rb').read(); open('$n.zlib1','wb').write(zlib.compress(d,1)); open('$n.zlib9','wb').write(zlib.compress(d,9))"
  $PY -c "import lzo; d=open('$f','rb').read(); open('$n.lzo1','wb').write(lzo.compress(d,1,False)); open('$n.lzo9','wb').write(lzo.compress(d,9,False))"
  $PY -c "import snappy; d=open('$f','rb').read(); open('$n.snappy','wb').write(snappy.compress(d))"
  zstd -q -1 -f -c "$f" > "$n.zst1"                       # content size + checksum
  zstd -q -19 -f -c "$f" > "$n.zst19"                     # FSE/Huffman heavy
  zstd -q -3 --no-check -f -c "$f" > "$n.zst3-nocheck"    # no checksum
  cat "$f" | zstd -q -3 -c > "$n.zst3-nosize"             # streamed: no content size, window descriptor
  zstd -q --ultra -22 -f -c "$f" > "$n.zst22"
  rm -f "$f"
done
# zstd-only vectors for the rarer literal encodings (checked with an instrumented decoder when made):
#   zstd-lowalphabet: 8 symbols 0..7 -> Huffman weights stored directly (not FSE-compressed);
#   zstd-literals: matches of a 64-byte base joined by 'Z' -> RLE literals and treeless 1- and 4-stream literals.
$PY - <<'PYEOF'
import gzip, random
r = random.Random(9)
low = bytes(r.choice([0, 1, 1, 2, 3, 4, 5, 6, 7, 7, 7]) for _ in range(60000))
r = random.Random(7)
base = bytes(r.randrange(256) for _ in range(64))
lit = bytearray(base)
while len(lit) < 300000:
    i = r.randrange(0, 40)
    lit += base[i:i + r.randint(8, 24)] + b"Z"
for name, data in (("zstd-lowalphabet", low), ("zstd-literals", bytes(lit))):
    with gzip.GzipFile(name + ".bin.gz", "wb", mtime=0) as f:
        f.write(data)
    open("/tmp/kdump4j-codec-" + name + ".bin", "wb").write(data)
PYEOF
for n in zstd-lowalphabet zstd-literals; do
  zstd -q -19 -f -c "/tmp/kdump4j-codec-$n.bin" > "$n.zst19"
  rm -f "/tmp/kdump4j-codec-$n.bin"
done
ls -la
