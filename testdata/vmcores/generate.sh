#!/bin/bash
# Reproducible generator of REAL kdump test data for kdump4j (see MANIFEST.md).
#
# usage: testdata/vmcores/generate.sh [STEP...]
#   With no STEP, runs "all" =
#     deps kernel trixie mdfsnappy initramfs kexec-c kexec-s qemu derive oldmem variants i386 arm64 publish refs manifest
#   deps       install the Debian packages needed on the host (apt-get); sets LOAD_KEXEC=false
#   kernel     download + unpack linux-image-$KVER (cache dir)
#   trixie     download + unpack trixie's makedumpfile 1.7.6 + libzstd1 (private apt config)
#   mdfsnappy  build makedumpfile WITH snappy from Debian's makedumpfile source package (trixie, private
#              apt config with a deb-src line) in the cache: Debian's binaries are built without snappy
#              (under "all", a failure only means no snappy variant)
#   initramfs  build the guest initramfs (busybox-static, kexec-tools + libs, virtio modules)
#   kexec-c    QEMU run: first kernel loads the capture kernel with `kexec -c -p` (kexec_load),
#              sysrq-c, capture kernel copies /proc/vmcore out  -> $WORK/kexec-c/vmcore
#   kexec-s    the same with `kexec -s -p` (kexec_file_load)    -> $WORK/kexec-s/vmcore
#   qemu       QEMU run: guest up with a marker; host stops it, zeroes kernel text, and runs
#              `dump-guest-memory` (ELF) and `dump-guest-memory -z` via the HMP monitor
#   derive     text-zeroed copies (gen/textzero.py) + `makedumpfile -E -d 31` of both vmcores
#   oldmem     raw /dev/oldmem-style image from the -d 31 ELF (gen/oldmem.py)
#   variants   makedumpfile kdump variants (Debian 12 1.7.2, trixie 1.7.6, and -p with the mdfsnappy build)
#   i386       stretch: i386 686 guest, `kexec -c -p --elf32-core-headers` (ELF32 /proc/vmcore)
#              (sub-steps: i386-fetch i386-initramfs i386-kexec i386-derive)
#   arm64      stretch: trixie arm64 6.12 guest (qemu-system-aarch64 -M virt), `kexec -c -p`;
#              only the head of its vmcore is committed (sub-steps: arm64-fetch arm64-initramfs arm64-kexec)
#   publish    copy the artifacts into testdata/vmcores and testdata/boot (see KDUMP4J_PUBLISH)
#   refs       reference outputs of readelf / eu-readelf / vmcore-dmesg / makedumpfile
#   manifest   write testdata/vmcores/MANIFEST.tsv and MANIFEST.versions.md
#   p1         only priority 1 (x86_64 kexec dumps, refs, boot texts, oldmem)
# env: KDUMP4J_WORK (scratch, default /var/tmp/kdump4j-gen), KDUMP4J_CACHE (downloads, default
#      /var/cache/kdump4j-gen), KDUMP4J_KVER (e.g. 6.1.0-56-amd64; default: newest 6.1.0-N-amd64),
#      KDUMP4J_MEM (guest RAM for kexec runs, default 512M), KDUMP4J_CRASHKERNEL (default 192M),
#      KDUMP4J_QEMU_MEM (guest RAM for dump-guest-memory, default 256M),
#      KDUMP4J_TIMEOUT (seconds per QEMU run, default 1200), KDUMP4J_FORCE=1 (redo QEMU runs that
#      already have results), KDUMP4J_FIRST_APPEND (first-kernel cmdline base),
#      KDUMP4J_PUBLISH=small|default|all (what is committed, see step_publish),
#      KDUMP4J_I386_MAX_MB (largest gzipped i386 vmcore that is committed, default 7),
#      KDUMP4J_MDFSNAPPY_SUITE (Debian suite whose makedumpfile source is built, default trixie).
# NEVER run kexec on the host: kexec only runs inside the QEMU guests started here.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GEN=$HERE/gen
TESTDATA=$(dirname "$HERE")
OUTV=$TESTDATA/vmcores
OUTB=$TESTDATA/boot
WORK=${KDUMP4J_WORK:-/var/tmp/kdump4j-gen}
CACHE=${KDUMP4J_CACHE:-/var/cache/kdump4j-gen}
MEM=${KDUMP4J_MEM:-512M}
CRASHKERNEL=${KDUMP4J_CRASHKERNEL:-192M}
QEMU_MEM=${KDUMP4J_QEMU_MEM:-256M}
TIMEOUT=${KDUMP4J_TIMEOUT:-1200}
FORCE=${KDUMP4J_FORCE:-0}
PY=/usr/bin/python3
ARCH=x86_64
STEM=x86_64-6.1
# first-kernel command line; init_on_free=1 zeroes freed pages so that the unfiltered dumps
# compress well (free memory reads as zeros instead of stale boot/initramfs data).
FIRST_APPEND_BASE=${KDUMP4J_FIRST_APPEND:-"console=ttyS0 init_on_free=1 loglevel=7"}

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
die() { echo "generate.sh: ERROR: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "missing tool '$1' (run: $0 deps)"; }

mkdir -p "$WORK" "$CACHE"

kver() {
    if [ -n "${KDUMP4J_KVER:-}" ]; then echo "$KDUMP4J_KVER"; return; fi
    if [ -f "$CACHE/kver" ]; then cat "$CACHE/kver"; return; fi
    local v
    v=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' | awk '{print $1}' \
        | sed 's/^linux-image-//' | sort -V | tail -1)
    [ -n "$v" ] || die "no linux-image-6.1.0-N-amd64 in apt-cache (run apt-get update)"
    echo "$v" > "$CACHE/kver"
    echo "$v"
}

step_deps() {
    local pkgs="qemu-system-x86 qemu-utils kexec-tools makedumpfile busybox-static elfutils binutils cpio gzip python3 xz-utils"
    local missing=""
    for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
    if [ -n "$missing" ]; then
        log "installing:$missing"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
    fi
    # kexec-tools' Debian packaging would load a kexec kernel at host reboot: switch that off.
    if [ -f /etc/default/kexec ] && grep -q '^LOAD_KEXEC=true' /etc/default/kexec; then
        sed -i 's/^LOAD_KEXEC=true/LOAD_KEXEC=false/' /etc/default/kexec
    fi
}

kdir() { echo "$CACHE/linux-image-$(kver)"; }

# Architecture context for the guest steps (x86_64 = default; i386 = stretch, ELF32 core headers)
I386=$CACHE/i386
use_arch() {
    case "$1" in
    x86_64)
        A_KVER=$(kver); A_KDIR=$(kdir); A_QEMU=qemu-system-x86_64; A_BUSYBOX=/bin/busybox
        A_ROOT=/; A_KEXEC=$(command -v kexec || true); A_INITRAMFS=$WORK/initramfs; A_PREFIX=$WORK
        A_QEMU_ARGS=(); A_CONSOLE=ttyS0;;
    i386)
        [ -f "$I386/kver" ] || die "i386 kernel not fetched (run: $0 i386-fetch)"
        A_KVER=$(cat "$I386/kver"); A_KDIR=$I386/root; A_QEMU=qemu-system-i386
        A_BUSYBOX=$I386/root/bin/busybox; A_ROOT=$I386/root; A_KEXEC=$I386/root/sbin/kexec
        A_INITRAMFS=$WORK/i386/initramfs; A_PREFIX=$WORK/i386
        A_QEMU_ARGS=(); A_CONSOLE=ttyS0;;
    arm64)
        [ -f "$ARM64/kver" ] || die "arm64 kernel not fetched (run: $0 arm64-fetch)"
        A_KVER=$(cat "$ARM64/kver"); A_KDIR=$ARM64/root; A_QEMU=qemu-system-aarch64
        A_BUSYBOX=$ARM64/root/usr/bin/busybox; A_ROOT=$ARM64/root; A_KEXEC=$ARM64/root/usr/sbin/kexec
        A_INITRAMFS=$WORK/arm64/initramfs; A_PREFIX=$WORK/arm64
        A_QEMU_ARGS=(-M virt -cpu cortex-a57); A_CONSOLE=ttyAMA0;;
    *) die "unknown arch $1";;
    esac
}
use_arch x86_64

# The Debian mirror the system's own apt sources use (the default mirror if none is found).
debian_mirror() {
    local m
    m=$(grep -rhoE 'https?://[^ ]*debian\.org/debian/?' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | head -1 || true)
    echo "${m:-http://deb.debian.org/debian}"
}

# private_apt DIR LIST [ARCH]: sets APT_OPTS, options for apt-get/apt-cache that keep lists, archives
# and the source list under DIR (the system's apt state stays untouched); with ARCH, a foreign
# architecture resolved against an empty dpkg status.
private_apt() {
    local dir=$1 list=$2 arch=${3:-}
    mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/debs"
    APT_OPTS=(-o Dir::Etc::sourcelist="$list" -o Dir::Etc::sourceparts=-
              -o Dir::State::Lists="$dir/lists" -o Dir::Cache::Archives="$dir/archives"
              -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
    if [ -n "$arch" ]; then
        APT_OPTS+=(-o Dir::State::status=/dev/null -o APT::Architecture="$arch" -o APT::Architectures::="$arch")
    fi
}

# arm64 guest packages (trixie: kernel 6.12, kexec-tools 2.0.29 + the Xen libraries it links,
# busybox-static), fetched through a private apt configuration with APT::Architecture=arm64
ARM64=$CACHE/arm64
ARM64_PKGS="kexec-tools busybox-static libc6 zlib1g libxenmisc4.20 libxentoolcore1 libyajl2 libuuid1
 libext2fs2t64 libfdt1 libxencall1 libxendevicemodel1 libxenevtchn1 libxenforeignmemory1 libxengnttab1
 libxenhypfs1 libxenstore4 libxentoollog1 libcom-err2"
step_arm64_fetch() {
    local mirror
    mirror=$(debian_mirror)
    command -v qemu-system-aarch64 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y qemu-system-arm
    private_apt "$ARM64" "$ARM64/trixie-arm64.list" arm64
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror%/} trixie main" > "$ARM64/trixie-arm64.list"
    local opts=("${APT_OPTS[@]}")
    apt-get "${opts[@]}" update || log "arm64: apt-get update reported errors (continuing)"
    local kv
    kv=$(apt-cache "${opts[@]}" search --names-only '^linux-image-6\.12\.[0-9]+\+deb13-arm64$' | awk '{print $1}' \
        | sed 's/^linux-image-//' | sort -V | tail -1)
    [ -n "$kv" ] || die "arm64: no linux-image-6.12.N+deb13-arm64 found"
    if [ ! -f "$ARM64/kver" ] || [ "$(cat "$ARM64/kver")" != "$kv" ] || [ ! -f "$ARM64/root/boot/vmlinuz-$kv" ]; then
        rm -f "$ARM64"/debs/*.deb
        (cd "$ARM64/debs" && apt-get "${opts[@]}" download "linux-image-$kv" $ARM64_PKGS) || die "arm64: apt-get download failed"
        rm -rf "$ARM64/root"; mkdir -p "$ARM64/root"
        for deb in "$ARM64"/debs/*.deb; do dpkg-deb -x "$deb" "$ARM64/root"; done
        echo "$kv" > "$ARM64/kver"
    fi
    log "arm64: kernel $kv"
}

# i386 guest packages (kernel 6.1 686, kexec-tools, busybox-static, libc6), fetched through a
# private apt configuration with APT::Architecture=i386 (the host's dpkg stays amd64-only)
step_i386_fetch() {
    local mirror
    mirror=$(debian_mirror)
    private_apt "$I386" "$I386/bookworm-i386.list" i386
    {
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror%/} bookworm main"
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror%/} bookworm-updates main"
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror%/}-security bookworm-security main"
    } > "$I386/bookworm-i386.list"
    local opts=("${APT_OPTS[@]}")
    # a failing index (e.g. a mirror mid-sync) is tolerated: the newest kernel found is used
    apt-get "${opts[@]}" update || log "i386: apt-get update reported errors (continuing with what was fetched)"
    local kv
    kv=$(apt-cache "${opts[@]}" search --names-only '^linux-image-6\.1\.0-[0-9]+-686$' | awk '{print $1}' \
        | sed 's/^linux-image-//' | sort -V | tail -1)
    [ -n "$kv" ] || die "i386: no linux-image-6.1.0-N-686 found"
    if [ ! -f "$I386/kver" ] || [ "$(cat "$I386/kver")" != "$kv" ] || [ ! -f "$I386/root/boot/vmlinuz-$kv" ]; then
        rm -f "$I386"/debs/*.deb
        (cd "$I386/debs" && apt-get "${opts[@]}" download "linux-image-$kv" kexec-tools busybox-static libc6) \
            || die "i386: apt-get download failed"
        rm -rf "$I386/root"; mkdir -p "$I386/root"
        for deb in "$I386"/debs/*.deb; do dpkg-deb -x "$deb" "$I386/root"; done
        echo "$kv" > "$I386/kver"
    fi
    log "i386: kernel $kv"
}

step_kernel() {
    local v d
    v=$(kver); d=$(kdir)
    if [ -f "$d/boot/vmlinuz-$v" ]; then return; fi
    log "downloading linux-image-$v"
    ls "$CACHE"/linux-image-"$v"_*.deb >/dev/null 2>&1 ||
        (cd "$CACHE" && apt-get download "linux-image-$v") || die "apt-get download linux-image-$v failed"
    rm -rf "$d.tmp"; mkdir -p "$d.tmp"
    dpkg-deb -x "$CACHE"/linux-image-"$v"_*.deb "$d.tmp"
    mv "$d.tmp" "$d"
}

# trixie makedumpfile (1.7.6) for zstd/snappy, fetched through a private apt configuration.
TRIXIE=$CACHE/trixie
step_trixie() {
    if [ -x "$TRIXIE/root/usr/bin/makedumpfile" ]; then return; fi
    local mirror
    mirror=$(debian_mirror)
    private_apt "$TRIXIE" "$TRIXIE/trixie.list"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror%/} trixie main" > "$TRIXIE/trixie.list"
    local opts=("${APT_OPTS[@]}" -o APT::Get::List-Cleanup=0)
    apt-get "${opts[@]}" update || die "apt-get update (trixie, private config) failed"
    (cd "$TRIXIE/debs" && apt-get "${opts[@]}" download makedumpfile libzstd1) \
        || die "apt-get download (trixie) failed"
    rm -rf "$TRIXIE/root"; mkdir -p "$TRIXIE/root"
    for deb in "$TRIXIE"/debs/*.deb; do dpkg-deb -x "$deb" "$TRIXIE/root"; done
}
trixie_makedumpfile() {
    # only makedumpfile and libzstd1 come from trixie (LD_LIBRARY_PATH); glibc, libelf, libdw,
    # liblzo2, zlib, liblzma, libbz2 are bookworm's (trixie's libelf/libdw need glibc 2.38).
    LD_LIBRARY_PATH="$TRIXIE/root/usr/lib/x86_64-linux-gnu" \
        "$TRIXIE/root/usr/bin/makedumpfile" "$@"
}

# makedumpfile WITH snappy (makedumpfile -p). Debian builds its makedumpfile packages without snappy
# (bookworm 1.7.2 and trixie 1.7.6 both say "snappy disabled" and write -p dumps uncompressed), so
# Debian's own source package is fetched through a private apt configuration with a deb-src line
# (the system's apt sources stay untouched), unpacked with its Debian patches, and built in the cache
# (never in the project tree: the build is only a tool, no GPL code is copied into the project) with
# upstream's Makefile knobs USESNAPPY=on USELZO=on USEZSTD=on and LINKTYPE=dynamic, against bookworm's
# -dev packages.
MDFSNAPPY=$CACHE/mdfsnappy
MDFSNAPPY_SUITE=${KDUMP4J_MDFSNAPPY_SUITE:-trixie}
MDFSNAPPY_BIN=$MDFSNAPPY/build/makedumpfile
MDFSNAPPY_KNOBS="LINKTYPE=dynamic USESNAPPY=on USELZO=on USEZSTD=on"
MDFSNAPPY_DEPS="gcc make dpkg-dev libsnappy-dev liblzo2-dev libzstd-dev libelf-dev libdw-dev zlib1g-dev libbz2-dev liblzma-dev"
mdfsnappy_makedumpfile() { "$MDFSNAPPY_BIN" "$@"; }
mdfsnappy_ok() {  # the build exists and says "snappy enabled"
    [ -x "$MDFSNAPPY_BIN" ] && "$MDFSNAPPY_BIN" -v 2>&1 | grep -qE '^snappy[[:space:]]+enabled'
}
mdf_version() {  # mdf_version CMD... -> e.g. 1.7.6 (from "makedumpfile: version 1.7.6 (released on ...)")
    "$@" -v 2>&1 | sed -n 's/^makedumpfile: version \([^ ]*\).*/\1/p' | head -1
}
step_mdfsnappy() {
    if [ "$FORCE" != 1 ] && mdfsnappy_ok; then log "mdfsnappy: $MDFSNAPPY_BIN exists (KDUMP4J_FORCE=1 to rebuild)"; return; fi
    local p missing=""
    for p in $MDFSNAPPY_DEPS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
    if [ -n "$missing" ]; then
        log "mdfsnappy: installing the build dependencies:$missing"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
    fi
    local mirror suite=$MDFSNAPPY_SUITE list=$MDFSNAPPY/$MDFSNAPPY_SUITE-src.list
    mirror=$(debian_mirror)
    private_apt "$MDFSNAPPY" "$list"
    echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror%/} $suite main" > "$list"
    local opts=("${APT_OPTS[@]}")
    apt-get "${opts[@]}" update || die "mdfsnappy: apt-get update ($suite deb-src, private config) failed"
    local ver
    ver=$(apt-cache "${opts[@]}" showsrc makedumpfile | sed -n 's/^Version: //p' | sort -V | tail -1)
    [ -n "$ver" ] || die "mdfsnappy: no makedumpfile source package in $suite"
    rm -rf "$MDFSNAPPY/src" "$MDFSNAPPY/build"; mkdir -p "$MDFSNAPPY/src"
    # apt checks the files against the signed Sources index
    (cd "$MDFSNAPPY/src" && apt-get "${opts[@]}" source --download-only "makedumpfile=$ver") > "$MDFSNAPPY/source.log" 2>&1 \
        || die "mdfsnappy: apt-get source makedumpfile=$ver ($suite) failed (the mirror did not serve the source package?): $(grep -E '^E:' "$MDFSNAPPY/source.log" | head -3 | tr '\n' ' ')"
    local dsc
    dsc=$(ls "$MDFSNAPPY"/src/makedumpfile_*.dsc | head -1)
    dpkg-source -x "$dsc" "$MDFSNAPPY/src/makedumpfile" >> "$MDFSNAPPY/source.log" 2>&1 \
        || die "mdfsnappy: dpkg-source -x $(basename "$dsc") failed: $(tail -3 "$MDFSNAPPY/source.log")"
    # a copy of the unpacked (Debian-patched) tree, built in place, so the unpacked source stays pristine
    cp -a "$MDFSNAPPY/src/makedumpfile" "$MDFSNAPPY/build"
    make -C "$MDFSNAPPY/build" $MDFSNAPPY_KNOBS makedumpfile > "$MDFSNAPPY/build.log" 2>&1 \
        || die "mdfsnappy: make $MDFSNAPPY_KNOBS failed: $(tail -5 "$MDFSNAPPY/build.log")"
    mdfsnappy_ok || die "mdfsnappy: the build does not report snappy enabled: $("$MDFSNAPPY_BIN" -v 2>&1 | tr '\n' ' ')"
    ldd "$MDFSNAPPY_BIN" | grep -q 'libsnappy\.so' || die "mdfsnappy: the build is not linked with libsnappy"
    {
        echo "source: Debian $suite source package makedumpfile $ver ($(basename "$dsc"), sha256 $(sha256sum < "$dsc" | cut -d' ' -f1))"
        echo "build: make $MDFSNAPPY_KNOBS makedumpfile (gcc $(gcc -dumpfullversion)); $("$MDFSNAPPY_BIN" -v 2>&1 | head -1)"
        echo "linked: $(ldd "$MDFSNAPPY_BIN" | awk '/=>/ {print $1}' | sort | tr '\n' ' ')"
        for p in libsnappy1v5 liblzo2-2 libzstd1 libdw1 libelf1 zlib1g; do
            echo "- $p $(dpkg-query -W -f '${Version}' "$p" 2>/dev/null || echo '?')"
        done
    } > "$MDFSNAPPY/build-info"
    log "mdfsnappy: $(head -1 "$MDFSNAPPY/build-info"); $("$MDFSNAPPY_BIN" -v 2>&1 | tr '\n\t' '  ')"
}

step_initramfs() {
    local v d m out
    v=$A_KVER; d=$A_KDIR; m=$d/lib/modules/$v
    [ -d "$m" ] || m=$d/usr/lib/modules/$v
    out=$A_INITRAMFS
    [ -f "$d/boot/vmlinuz-$v" ] || die "kernel not unpacked (run: $0 kernel / i386-fetch)"
    need cpio; [ -x "$A_BUSYBOX" ] || die "busybox-static missing: $A_BUSYBOX"
    [ -x "$A_KEXEC" ] || die "kexec missing: $A_KEXEC"
    rm -rf "$out"; mkdir -p "$out/root/bin" "$out/root/sbin" "$out/root/modules" "$out/payload/payload"
    local r=$out/root
    cp "$A_BUSYBOX" "$r/bin/busybox"
    cp "$GEN/init" "$r/init"; chmod 755 "$r/init"
    cp "$A_KEXEC" "$r/sbin/kexec"
    # shared libraries of kexec: ldd for the host architecture, objdump NEEDED (+ the ELF
    # interpreter) inside the extracted package root for a foreign one
    if [ "$A_ROOT" = / ]; then
        ldd "$A_KEXEC" | awk '/=>/ {print $3} /^\s*\/.*ld-linux/ {print $1}' | while read -r lib; do
            [ -n "$lib" ] && [ -f "$lib" ] || continue
            mkdir -p "$r$(dirname "$lib")"; cp -L "$lib" "$r$lib"
        done
        [ -e "$r/lib64/ld-linux-x86-64.so.2" ] || { mkdir -p "$r/lib64"; cp -L /lib64/ld-linux-x86-64.so.2 "$r/lib64/"; }
    else
        local interp lib found todo done_libs=" " f2
        interp=$(readelf -l "$A_KEXEC" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
        found=$(find -L "$A_ROOT/lib" "$A_ROOT/usr/lib" -name "$(basename "$interp")" 2>/dev/null | head -1 || true)
        [ -n "$found" ] || die "interpreter $interp not found under $A_ROOT"
        mkdir -p "$r$(dirname "$interp")"; cp -L "$found" "$r$interp"
        # NEEDED, recursively (readelf -d works for any architecture)
        todo=$(readelf -d "$A_KEXEC" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
        while [ -n "$todo" ]; do
            set -- $todo; lib=$1; shift; todo="$*"
            case "$done_libs" in *" $lib "*) continue;; esac
            done_libs="$done_libs$lib "
            [ "$lib" = "$(basename "$interp")" ] && continue
            found=$(find -L "$A_ROOT/lib" "$A_ROOT/usr/lib" -name "$lib" 2>/dev/null | head -1 || true)
            [ -n "$found" ] || die "library $lib of $A_KEXEC not found under $A_ROOT"
            f2=${found#$A_ROOT}
            mkdir -p "$(dirname "$r$f2")"; cp -L "$found" "$r$f2"
            todo="$todo $(readelf -d "$found" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
            todo=$(echo $todo)
        done
    fi
    # virtio modules + dependencies (from .modinfo depends=), in dependency order
    local order=() seen=" "
    addmod() {
        local name=$1 f dep
        case "$seen" in *" $name "*) return;; esac
        f=$(find "$m/kernel" -name "$name.ko" -o -name "$name.ko.xz" | head -1)
        if [ -z "$f" ] && grep -q "/$name.ko\$" "$m/modules.builtin" 2>/dev/null; then seen="$seen$name "; return; fi
        [ -n "$f" ] || die "module $name not found in $m"
        for dep in $(strings -a "$f" | sed -n 's/^depends=//p' | head -1 | tr ',' ' '); do addmod "$dep"; done
        seen="$seen$name "
        case "$f" in *.xz) xz -dc "$f" > "$r/modules/$name.ko";; *) cp "$f" "$r/modules/$name.ko";; esac
        order+=("$name")
    }
    for x in virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev virtio virtio_pci virtio_blk; do addmod "$x"; done
    printf '%s\n' "${order[@]}" > "$r/modules.order"
    # qemu_fw_cfg (no dependencies) is loaded only in the dump-guest-memory guest, so that the
    # guest registers its VMCOREINFO with QEMU's -device vmcoreinfo
    f=$(find "$m/kernel" -name qemu_fw_cfg.ko | head -1)
    if [ -n "$f" ]; then cp "$f" "$r/modules/qemu_fw_cfg.ko"; else log "qemu_fw_cfg.ko not found (only needed for the QEMU dump)"; fi
    log "modules: ${order[*]}"
    (cd "$r" && find . -print0 | LC_ALL=C sort -z | xargs -0 touch -h -d @0 &&
        find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --reproducible -R 0:0 2>/dev/null | gzip -9n) > "$out/initrd.img"
    # payload appended for the first kernel only: the capture kernel and its initramfs
    cp "$d/boot/vmlinuz-$v" "$out/payload/payload/vmlinuz"
    cp "$out/initrd.img" "$out/payload/payload/initrd.img"
    (cd "$out/payload" && find . -print0 | LC_ALL=C sort -z | xargs -0 touch -h -d @0 &&
        find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --reproducible -R 0:0 2>/dev/null) > "$out/payload.cpio"
    # the kernel looks for an uncompressed cpio after a compressed one only at a 4-byte aligned
    # offset: pad the first part with zeros to a 512-byte multiple
    cp "$out/initrd.img" "$out/initrd-first.img"
    truncate -s $(( ($(stat -c %s "$out/initrd.img") + 511) / 512 * 512 )) "$out/initrd-first.img"
    cat "$out/payload.cpio" >> "$out/initrd-first.img"
    log "initramfs: $(stat -c %s "$out/initrd.img") bytes (first kernel: $(stat -c %s "$out/initrd-first.img"))"
}

# run_qemu DIR MEM APPEND TIMEOUT [extra qemu args...]   (dump disk = DIR/dump.img, texts = DIR/texts.img)
run_qemu() {
    local dir=$1 mem=$2 append=$3 tmo=$4; shift 4
    local v d
    v=$A_KVER; d=$A_KDIR
    need "$A_QEMU"
    log "QEMU: $A_QEMU -m $mem -smp 2, append: $append (log: $dir/console.log)"
    local start=$SECONDS rc=0
    timeout --foreground -k 10 "$tmo" "$A_QEMU" "${A_QEMU_ARGS[@]}" -accel tcg -m "$mem" -smp 2 \
        -display none -no-reboot -serial "file:$dir/console.log" \
        -kernel "$d/boot/vmlinuz-$v" -initrd "$A_INITRAMFS/initrd-first.img" -append "$append" \
        -drive "file=$dir/dump.img,format=raw,if=virtio,cache=writeback" \
        -drive "file=$dir/texts.img,format=raw,if=virtio,cache=writeback" \
        "$@" || rc=$?
    echo $((SECONDS - start)) > "$dir/qemu.seconds"
    [ $rc -eq 0 ] || die "QEMU exited with $rc after $((SECONDS - start)) s (124 = timeout); see $dir/console.log"
    log "QEMU done in $((SECONDS - start)) s"
}

extract_texts() {  # DIR
    local dir=$1
    rm -rf "$dir/texts"; mkdir -p "$dir/texts"
    tar -xf "$dir/texts.img" -C "$dir/texts" 2>/dev/null || die "no first-kernel texts on $dir/texts.img"
    dd if="$dir/texts.img" of="$dir/texts2.tar" bs=1M skip=8 status=none
    tar -xf "$dir/texts2.tar" -C "$dir/texts" 2>/dev/null || log "no capture-kernel texts on $dir/texts.img"
    rm -f "$dir/texts2.tar"
}

step_kexec() {  # c | s | c-elf32
    local flag=$1 dir=$A_PREFIX/kexec-$1
    if [ "$FORCE" != 1 ] && [ ! -s "$dir/vmcore" ] && [ -s "$dir/dump.img" ] && [ -s "$dir/texts.img" ]; then
        log "kexec-$flag: reusing the disks of the previous QEMU run"; finish_kexec "$flag"; return
    fi
    if [ "$FORCE" != 1 ] && [ -s "$dir/vmcore" ]; then log "kexec-$flag: $dir/vmcore exists (KDUMP4J_FORCE=1 to redo)"; return; fi
    [ -f "$A_INITRAMFS/initrd-first.img" ] || die "initramfs missing (run: $0 initramfs / i386-initramfs)"
    rm -rf "$dir"; mkdir -p "$dir"
    truncate -s 2G "$dir/dump.img"; truncate -s 16M "$dir/texts.img"
    run_qemu "$dir" "$MEM" "${FIRST_APPEND_BASE/ttyS0/$A_CONSOLE} crashkernel=$CRASHKERNEL kdump4j.mode=kexec-$flag" "$TIMEOUT"
    finish_kexec "$flag"
}
finish_kexec() {
    local flag=$1 dir=$A_PREFIX/kexec-$1
    extract_texts "$dir"
    [ -f "$dir/texts/first/kexec.rc" ] || die "kexec-$flag: first kernel did not record kexec result; see $dir/console.log"
    [ "$(cat "$dir/texts/first/kexec.rc")" = 0 ] || die "kexec-$flag: kexec failed: $(cat "$dir/texts/first/kexec.out")"
    [ -f "$dir/texts/capture/vmcore.size" ] || die "kexec-$flag: capture kernel texts missing; see $dir/console.log"
    [ "$(cat "$dir/texts/capture/dd.rc")" = 0 ] || die "kexec-$flag: dd of /proc/vmcore failed: $(cat "$dir/texts/capture/dd.err")"
    local size; size=$(cat "$dir/texts/capture/vmcore.size")
    cp --sparse=always "$dir/dump.img" "$dir/vmcore.tmp"; truncate -s "$size" "$dir/vmcore.tmp"
    mv "$dir/vmcore.tmp" "$dir/vmcore"; rm -f "$dir/dump.img"
    log "kexec-$flag: vmcore $size bytes"
}


# QEMU dump-guest-memory: guest up with a marker, then (stopped) text-zeroed through its
# memory-backend file, then dumped by QEMU itself as ELF and as kdump-zlib.
step_qemu() {
    local dir=$WORK/qemu v d
    if [ "$FORCE" != 1 ] && [ -s "$dir/dump.elf" ] && [ -s "$dir/dump.kdump-zlib" ]; then log "qemu: dumps exist (KDUMP4J_FORCE=1 to redo)"; return; fi
    [ -f "$WORK/initramfs/initrd-first.img" ] || die "initramfs missing (run: $0 initramfs)"
    v=$(kver); d=$(kdir)
    rm -rf "$dir"; mkdir -p "$dir"
    truncate -s 64M "$dir/dump.img"; truncate -s 16M "$dir/texts.img"
    local memb; memb=$(numfmt --from=iec "${QEMU_MEM%B}")
    truncate -s "$memb" "$dir/ram.img"
    log "QEMU (dump-guest-memory): -m $QEMU_MEM (log: $dir/console.log)"
    local start=$SECONDS
    timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -accel tcg -m "$QEMU_MEM" -smp 2 \
        -object "memory-backend-file,id=pc.ram,size=$QEMU_MEM,mem-path=$dir/ram.img,share=on" \
        -machine pc,memory-backend=pc.ram -device vmcoreinfo \
        -display none -no-reboot -serial "file:$dir/console.log" \
        -monitor "unix:$dir/mon.sock,server=on,wait=off" \
        -kernel "$d/boot/vmlinuz-$v" -initrd "$WORK/initramfs/initrd-first.img" \
        -append "$FIRST_APPEND_BASE kdump4j.mode=qemu" \
        -drive "file=$dir/dump.img,format=raw,if=virtio,cache=writeback" \
        -drive "file=$dir/texts.img,format=raw,if=virtio,cache=writeback" &
    local qpid=$! i=0
    while ! grep -q 'KDUMP4J-READY' "$dir/console.log" 2>/dev/null; do
        kill -0 $qpid 2>/dev/null || die "qemu: QEMU exited before the guest was ready; see $dir/console.log"
        [ $i -lt 600 ] || { kill $qpid; die "qemu: guest not ready after 600 s"; }
        sleep 1; i=$((i + 1))
    done
    $PY "$GEN/hmp.py" "$dir/mon.sock" stop > "$dir/hmp.log"
    extract_texts "$dir"
    $PY "$GEN/textzero.py" --raw "$dir/ram.img" "$dir/texts/first/iomem" > "$dir/textzero.log" || { kill $qpid; die "qemu: textzero failed"; }
    $PY "$GEN/hmp.py" "$dir/mon.sock" "dump-guest-memory $dir/dump.elf" "dump-guest-memory -z $dir/dump.kdump-zlib" >> "$dir/hmp.log" \
        || { kill $qpid; die "qemu: dump-guest-memory failed: $(tail -3 "$dir/hmp.log")"; }
    $PY "$GEN/hmp.py" "$dir/mon.sock" quit >> "$dir/hmp.log" 2>&1 || true
    wait $qpid || true
    echo $((SECONDS - start)) > "$dir/qemu.seconds"
    rm -f "$dir/ram.img" "$dir/dump.img"
    [ -s "$dir/dump.elf" ] && [ -s "$dir/dump.kdump-zlib" ] || die "qemu: dump files missing"
    log "qemu: dumps done in $((SECONDS - start)) s"
}

# ---------------------------------------------------------------------------------------------
# Derived files (scratch): text-zeroed vmcore, -d 31 ELF, oldmem image
# ---------------------------------------------------------------------------------------------
MDF="/usr/bin/makedumpfile --message-level 22"   # no progress bars (1), keep common/error/report
how() {  # how NAME TEXT...   record how an artifact was made (used by the manifest)
    mkdir -p "$WORK/how"; local n=$1; shift; printf '%s\n' "$*" >> "$WORK/how/$n"
}
how_reset() { rm -f "$WORK/how/$1"; }

# tz DIR : DIR/vmcore.tz = DIR/vmcore with Kernel code + Kernel rodata zeroed (gen/textzero.py)
derive_tz() {
    local dir=$1
    [ -s "$dir/vmcore" ] || die "$dir/vmcore missing (run the QEMU step first)"
    if [ -s "$dir/vmcore.tz" ] && [ "$dir/vmcore.tz" -nt "$dir/vmcore" ]; then return; fi
    cp --sparse=always "$dir/vmcore" "$dir/vmcore.tz.tmp"
    $PY "$GEN/textzero.py" "$dir/vmcore.tz.tmp" "$dir/texts/first/iomem" > "$dir/textzero.log"
    mv "$dir/vmcore.tz.tmp" "$dir/vmcore.tz"
}

step_derive() {
    local f dir
    for f in c s; do
        dir=$WORK/kexec-$f
        derive_tz "$dir"
        if [ ! -s "$dir/d31.elf" ] || [ "$dir/d31.elf" -ot "$dir/vmcore.tz" ]; then
            rm -f "$dir/d31.elf"
            $MDF -E -d 31 "$dir/vmcore.tz" "$dir/d31.elf" > "$dir/d31.elf.log" 2>&1 \
                || die "makedumpfile -E -d 31 kexec-$f failed: $(tail -3 "$dir/d31.elf.log")"
        fi
    done
}

step_oldmem() {
    local dir=$WORK/kexec-c
    [ -s "$dir/d31.elf" ] || step_derive
    rm -f "$dir/oldmem.raw"
    $PY "$GEN/oldmem.py" "$dir/d31.elf" "$dir/oldmem.raw" > "$dir/oldmem.log" || die "oldmem.py failed"
}

# makedumpfile variants of the kexec -c dump (input: the text-zeroed /proc/vmcore)
step_variants() {
    local src=$WORK/kexec-c/vmcore.tz out=$WORK/variants
    [ -s "$src" ] || step_derive
    rm -rf "$out"; mkdir -p "$out"
    mdf() { local o=$1; shift; $MDF "$@" > "$out/$o.log" 2>&1 || die "makedumpfile $* failed: $(tail -3 "$out/$o.log")"; }
    mdf d31.kdump-zlib -c -d 31 "$src" "$out/d31.kdump-zlib"
    mdf d31.kdump-lzo -l -d 31 "$src" "$out/d31.kdump-lzo"
    mdf d31.kdump-raw -d 31 "$src" "$out/d31.kdump-raw"
    # flattened format goes to stdout
    $MDF -F -d 31 "$src" > "$out/d31.flat" 2> "$out/d31.flat.log" || die "makedumpfile -F failed: $(tail -3 "$out/d31.flat.log")"
    # --splitblock-size (KiB): the default 1 GiB splitblock is larger than this guest's RAM and
    # would put every page into split1
    mdf d31.split -l -d 31 --splitblock-size 16384 --split "$src" "$out/d31.split1" "$out/d31.split2"
    if [ -x "$TRIXIE/root/usr/bin/makedumpfile" ]; then
        trixie_makedumpfile --message-level 22 -z -d 31 "$src" "$out/d31.kdump-zstd" > "$out/d31.kdump-zstd.log" 2>&1 \
            || die "makedumpfile 1.7.6 -z failed: $(tail -3 "$out/d31.kdump-zstd.log")"
        # status word (offset 424 in the 64-bit disk_dump_header): 0x20 = zstd
        [ "$(od -An -t u4 -j 424 -N 4 "$out/d31.kdump-zstd" | tr -d ' ')" = 32 ] || die "1.7.6 -z did not write zstd pages"
    else
        log "variants: trixie makedumpfile missing (run: $0 trixie): no zstd variant"
    fi
    if mdfsnappy_ok; then
        mdfsnappy_makedumpfile --message-level 22 -p -d 31 "$src" "$out/d31.kdump-snappy" > "$out/d31.kdump-snappy.log" 2>&1 \
            || die "makedumpfile (mdfsnappy build) -p failed: $(tail -3 "$out/d31.kdump-snappy.log")"
        # status word (offset 424 in the 64-bit disk_dump_header): 0x4 = snappy
        [ "$(od -An -t u4 -j 424 -N 4 "$out/d31.kdump-snappy" | tr -d ' ')" = 4 ] \
            || die "the mdfsnappy build's -p did not write snappy pages: $(grep -m1 -i snappy "$out/d31.kdump-snappy.log" || true)"
    else
        # Debian's own makedumpfile binaries (1.7.2, 1.7.6) ignore -p: "this binary doesn't support snappy"
        log "variants: no makedumpfile built with snappy (run: $0 mdfsnappy): no snappy variant"
    fi
    rm -f "$out"/*.log
    ls -la "$out" >&2
}

# ---------------------------------------------------------------------------------------------
# Publishing into testdata/
# ---------------------------------------------------------------------------------------------
gzpub() {  # gzpub SRC NAME   (NAME ends in .gz)
    gzip -9n -c "$1" > "$OUTV/$2.tmp" && mv "$OUTV/$2.tmp" "$OUTV/$2"
    echo "$1" > "$WORK/how/$2.src"
}
cppub() {  # cppub SRC NAME
    cp "$1" "$OUTV/$2.tmp" && chmod 644 "$OUTV/$2.tmp" && mv "$OUTV/$2.tmp" "$OUTV/$2"
    echo "$1" > "$WORK/how/$2.src"
}
# files of the guest texts that are copied to testdata/boot
BOOT_FILES="cmdline iomem kexec_crash_size kexec_crash_loaded kexec_loaded vmcoreinfo cpu-online cpu-present
 meminfo uname mode marker kexec.cmd kexec.out kexec.rc vmcore.size vmcore.ls dmesg"
publish_boot() {  # publish_boot RUNDIR NAME [kallsyms]
    local dir=$1 name=$2 sub f
    rm -rf "$OUTB/$name"
    for sub in first first-loaded capture; do
        [ -d "$dir/texts/$sub" ] || continue
        mkdir -p "$OUTB/$name/$sub"
        for f in $BOOT_FILES; do [ -f "$dir/texts/$sub/$f" ] && cp "$dir/texts/$sub/$f" "$OUTB/$name/$sub/$f"; done
        for f in "$dir/texts/$sub"/cpu*.crash_notes*; do [ -f "$f" ] && cp "$f" "$OUTB/$name/$sub/"; done
        if [ "${3:-}" = kallsyms ] && [ "$sub" = first ] && [ -f "$dir/texts/$sub/kallsyms.gz" ]; then
            cp "$dir/texts/$sub/kallsyms.gz" "$OUTB/$name/$sub/kallsyms.gz"
        fi
    done
    cp "$dir/console.log" "$OUTB/$name/console.log"
    chmod -R a+rX "$OUTB/$name"
}

# What is committed (the Debian kernel makes every dump form 3-10 MB even gzipped):
#   KDUMP4J_PUBLISH=small   : (the default) kexec-c full vmcore, both vmcore heads, kexec-c -d 31 ELF, oldmem,
#                             QEMU ELF + kdump-zlib (flattened), makedumpfile zlib/lzo/zstd,
#                             i386 ELF32 vmcore (if run)                               (~54 MB)
#   KDUMP4J_PUBLISH=default : small + makedumpfile --split parts (lzo)                   (~58 MB)
#   KDUMP4J_PUBLISH=all     : default + kexec-s full vmcore + kexec-s -d 31 ELF + uncompressed
#                             kdump + makedumpfile -F flattened (over the 60 MB budget; local use)
PUBLISH=${KDUMP4J_PUBLISH:-small}
I386_MAX_MB=${KDUMP4J_I386_MAX_MB:-7}   # commit the full i386 vmcore only up to this size (gz)
step_publish() {
    mkdir -p "$OUTV" "$OUTB" "$WORK/how"
    case "$PUBLISH" in small|default|all) ;; *) die "KDUMP4J_PUBLISH must be small, default or all";; esac
    # start from a clean slate so that the committed set is always consistent
    rm -f "$OUTV/$STEM"-* "$OUTV"/i386-6.1-* "$OUTV"/arm64-6.12-* "$WORK"/how/*.src
    local f dir tier3=0 tier2=0
    [ "$PUBLISH" = small ] || tier2=1
    [ "$PUBLISH" != all ] || tier3=1
    for f in c s; do
        dir=$WORK/kexec-$f
        [ -s "$dir/vmcore" ] || { log "publish: kexec-$f not generated, skipped"; continue; }
        [ -s "$dir/d31.elf" ] || step_derive
        head -c 1048576 "$dir/vmcore" > "$dir/vmcore.head"
        gzpub "$dir/vmcore.head" "$STEM-kexec-$f.vmcore.head.gz"
        if [ $f = c ] || [ $tier3 = 1 ]; then
            gzpub "$dir/vmcore.tz" "$STEM-kexec-$f.vmcore.gz"
            gzpub "$dir/d31.elf" "$STEM-kexec-$f.d31.elf.gz"
        fi
        publish_boot "$dir" "$STEM-kexec-$f" $([ $f = c ] && echo kallsyms)
    done
    dir=$WORK/kexec-c
    if [ -s "$dir/oldmem.raw" ]; then
        gzpub "$dir/oldmem.raw" "$STEM-kexec-c.oldmem.gz"
        cp "$dir/texts/first/iomem" "$OUTV/$STEM-kexec-c.oldmem.iomem"
    fi
    if [ -s "$WORK/qemu/dump.elf" ]; then
        gzpub "$WORK/qemu/dump.elf" "$STEM-qemu.elf.gz"
        # QEMU 7.2 writes kdump-compressed output in makedumpfile's flattened form
        gzpub "$WORK/qemu/dump.kdump-zlib" "$STEM-qemu.kdump-zlib.flat.gz"
        publish_boot "$WORK/qemu" "$STEM-qemu"
    fi
    dir=$WORK/i386/kexec-c-elf32
    if [ -s "$dir/vmcore" ]; then
        [ -s "$dir/vmcore.tz" ] || derive_tz "$dir"
        head -c 1048576 "$dir/vmcore" > "$dir/vmcore.head"
        gzpub "$dir/vmcore.head" "i386-6.1-kexec-c-elf32.vmcore.head.gz"
        gzpub "$dir/vmcore.tz" "i386-6.1-kexec-c-elf32.vmcore.gz"
        if [ "$(stat -c %s "$OUTV/i386-6.1-kexec-c-elf32.vmcore.gz")" -gt $((I386_MAX_MB * 1000000)) ] && [ $tier3 = 0 ]; then
            log "publish: i386 full vmcore is $(stat -c %s "$OUTV/i386-6.1-kexec-c-elf32.vmcore.gz") bytes gzipped (> $I386_MAX_MB MB): only its head is committed"
            rm -f "$OUTV/i386-6.1-kexec-c-elf32.vmcore.gz" "$WORK/how/i386-6.1-kexec-c-elf32.vmcore.gz.src"
        fi
        publish_boot "$dir" "i386-6.1-kexec-c-elf32"
    fi
    dir=$WORK/arm64/kexec-c
    if [ -s "$dir/vmcore" ]; then
        # the arm64 kernel image makes the full dump ~36 MB gzipped: only the head is committed
        head -c 1048576 "$dir/vmcore" > "$dir/vmcore.head"
        gzpub "$dir/vmcore.head" "arm64-6.12-kexec-c.vmcore.head.gz"
        publish_boot "$dir" "arm64-6.12-kexec-c"
    fi
    if [ -d "$WORK/variants" ]; then
        local v n
        for v in "$WORK"/variants/*; do
            [ -s "$v" ] || continue
            n=$(basename "$v")
            case "$n" in
                *.log|*.tmp) continue;;
                d31.kdump-zlib|d31.kdump-lzo|d31.kdump-zstd|d31.kdump-snappy) ;;
                d31.split1|d31.split2) [ $tier2 = 1 ] || continue;;
                *) [ $tier3 = 1 ] || continue;;
            esac
            gzpub "$v" "$STEM-kexec-c.$n.gz"
        done
    fi
    chmod 644 "$OUTV"/*-6.1*-*
    log "publish ($PUBLISH): testdata is $(du -sh "$TESTDATA" | cut -f1)"
}


# ---------------------------------------------------------------------------------------------
# Reference outputs of real tools, run on the uncompressed forms (recorded in $WORK/how/*.src)
# ---------------------------------------------------------------------------------------------
runref() {  # runref OUTFILE CMD...   (stdout+stderr; a non-zero exit status is appended)
    local out=$1 rc=0; shift
    "$@" > "$out.tmp" 2>&1 || rc=$?
    [ $rc -eq 0 ] || echo "[exit status $rc: $*]" >> "$out.tmp"
    mv "$out.tmp" "$out"
}
mdf_dmesg() {  # mdf_dmesg OUT [makedumpfile args...] INPUT
    local out=$1 tmp=$WORK/dmesg.tmp rc=0; shift
    rm -f "$tmp"
    $MDF --dump-dmesg "$@" "$tmp" > "$out.log" 2>&1 || rc=$?
    if [ $rc -eq 0 ] && [ -f "$tmp" ]; then mv "$tmp" "$out"; rm -f "$out.log"
    else
        log "refs: makedumpfile --dump-dmesg $* failed ($rc): $(tail -2 "$out.log" | tr '\n' ' ')"
        # keep the failure as a reference too (what the real tool says about this file)
        { echo "[makedumpfile 1.7.2 --dump-dmesg failed with exit status $rc; its output:]"; cat "$out.log"; } > "${out%.txt}.FAILED.txt"
        rm -f "$out.log" "$tmp"
    fi
}
step_refs() {
    local f name stem src magic
    for f in "$OUTV"/*-6.1*-*; do
        name=$(basename "$f")
        case "$name" in *.txt|*.iomem|*.md|*.tsv) continue;; esac
        [ -f "$WORK/how/$name.src" ] || { log "refs: no source recorded for $name, skipped"; continue; }
        src=$(cat "$WORK/how/$name.src")
        stem=$OUTV/${name%.gz}
        rm -f "$stem".*.txt
        magic=$(head -c 8 "$src" | od -An -c | tr -d ' \n')
        case "$magic" in
        177ELF*)
            runref "$stem.readelf.txt" readelf -a -W "$src"
            runref "$stem.eu-readelf-n.txt" eu-readelf -n "$src"
            case "$name" in
                *.head.gz) ;;   # truncated: no memory to read the log from
                *)  runref "$stem.vmcore-dmesg.txt" vmcore-dmesg "$src"
                    mdf_dmesg "$stem.makedumpfile-dmesg.txt" "$src";;
            esac;;
        KDUMP*)
            case "$name" in
                *.split2.gz) continue;;
                *.split1.gz)
                    # a split part alone has only part of the memory: reassemble first
                    local s2=${src%1}2 ra=$WORK/split.reassembled
                    rm -f "$ra"
                    $MDF --reassemble "$src" "$s2" "$ra" > /dev/null 2>&1 || die "makedumpfile --reassemble failed"
                    if cmp -s "$ra" "$WORK/variants/d31.kdump-lzo"; then
                        echo "reassembled split1+split2 is byte-identical to d31.kdump-lzo" > "$WORK/split.cmp"
                    else
                        echo "reassembled split1+split2 differs from d31.kdump-lzo ($(cmp "$ra" "$WORK/variants/d31.kdump-lzo" 2>&1 | head -1))" > "$WORK/split.cmp"
                    fi
                    stem=$OUTV/${name%.split1.gz}.split-reassembled
                    src=$ra;;
            esac
            mdf_dmesg "$stem.makedumpfile-dmesg.txt" "$src"
            # the newer makedumpfile reads more codecs (1.7.2 lacks zstd and snappy, trixie's 1.7.6
            # lacks snappy): trixie's 1.7.6, and for snappy pages the mdfsnappy build (named by its version)
            local newer=trixie_makedumpfile t=$WORK/dmesg.tmp
            [ -x "$TRIXIE/root/usr/bin/makedumpfile" ] || newer=
            case "$name" in *.kdump-snappy.gz) if mdfsnappy_ok; then newer=mdfsnappy_makedumpfile; else newer=; fi;; esac
            if [ -n "$newer" ]; then
                rm -f "$t"
                if $newer --message-level 22 --dump-dmesg "$src" "$t" >/dev/null 2>&1; then
                    mv "$t" "$stem.makedumpfile-$(mdf_version $newer)-dmesg.txt"
                elif [ "$newer" = mdfsnappy_makedumpfile ]; then
                    die "refs: the mdfsnappy build's --dump-dmesg failed for $name"
                fi
            fi;;
        *)  case "$name" in
                *.flat.gz|*.flat)
                    rm -f "$WORK/flat.rearranged"
                    $MDF -R "$WORK/flat.rearranged" < "$src" > /dev/null 2>&1 || die "makedumpfile -R failed for $name"
                    mdf_dmesg "$stem.makedumpfile-dmesg.txt" "$WORK/flat.rearranged"
                    if [ -x "$TRIXIE/root/usr/bin/makedumpfile" ]; then
                        rm -f "$WORK/dmesg.tmp"
                        trixie_makedumpfile --message-level 22 --dump-dmesg "$WORK/flat.rearranged" "$WORK/dmesg.tmp" >/dev/null 2>&1 \
                            && mv "$WORK/dmesg.tmp" "$stem.makedumpfile-1.7.6-dmesg.txt"
                    fi
                    rm -f "$WORK/flat.rearranged";;
                *) log "refs: $name is neither ELF nor kdump-compressed (e.g. a raw oldmem image): no tool output";;
            esac;;
        esac
    done
    chmod a+r "$OUTV"/*.txt 2>/dev/null || true
}


# ---------------------------------------------------------------------------------------------
# Manifest
# ---------------------------------------------------------------------------------------------
describe() {  # describe NAME -> how the committed file was made (one line)
    local n=$1 tz="gen/textzero.py zeroed the 'Kernel code' + 'Kernel rodata' ranges of first/iomem in every PT_LOAD"
    case "$n" in
        *-kexec-?.vmcore.head.gz|*-kexec-c-elf32.vmcore.head.gz) echo "first 1 MiB (head -c 1048576) of the UNMODIFIED /proc/vmcore copied by the capture kernel (dd if=/proc/vmcore of=/dev/vda bs=1M), gzip -9n; truncated: PT_LOADs point past EOF";;
        *-kexec-?.vmcore.gz|*-kexec-c-elf32.vmcore.gz) echo "complete /proc/vmcore of the capture kernel; then $tz; gzip -9n";;
        *-kexec-?.d31.elf.gz) echo "makedumpfile -E -d 31 VMCORE (VMCORE = the text-zeroed /proc/vmcore, see .vmcore.gz); gzip -9n";;
        i386-*.vmcore.gz) echo "complete /proc/vmcore (ELF32: kexec -c -p --elf32-core-headers, i386 686 kernel); then $tz; gzip -9n";;
        arm64-*.vmcore.head.gz) echo "first 1 MiB of the UNMODIFIED arm64 /proc/vmcore (trixie 6.12 kernel, kexec -c -p, kexec-tools 2.0.29); the complete dump is ~36 MB gzipped and not committed; gzip -9n";;
        i386-*.vmcore.head.gz) echo "first 1 MiB of the UNMODIFIED ELF32 /proc/vmcore (kexec -c -p --elf32-core-headers); gzip -9n";;
        *-kexec-c.oldmem.gz) echo "gen/oldmem.py on the -E -d 31 ELF (.d31.elf.gz): file offset == physical address, every PT_LOAD's p_filesz bytes at p_paddr, zeros elsewhere, size = max(p_paddr+p_memsz); gzip -9n";;
        *-kexec-c.oldmem.iomem) echo "/proc/iomem of the first kernel of the kexec -c run (same as boot/$STEM-kexec-c/first/iomem)";;
        *-qemu.elf.gz) echo "QEMU HMP 'dump-guest-memory FILE' (ELF, no paging) of the running guest (stopped, text-zeroed in the memory-backend file before dumping); gzip -9n";;
        *-qemu.kdump-zlib.flat.gz) echo "QEMU HMP 'dump-guest-memory -z FILE' (kdump-compressed, zlib; QEMU 7.2 always writes it in the FLATTENED form, signature 'makedumpfile'; makedumpfile -R restores the plain kdump file) of the same stopped, text-zeroed guest; gzip -9n";;
        *.d31.kdump-zlib.gz) echo "makedumpfile -c -d 31 VMCORE FILE (VMCORE = the text-zeroed /proc/vmcore of .vmcore.gz); gzip -9n";;
        *.d31.kdump-lzo.gz) echo "makedumpfile -l -d 31 VMCORE FILE; gzip -9n";;
        *.d31.kdump-raw.gz) echo "makedumpfile -d 31 VMCORE FILE (kdump-compressed container, pages stored uncompressed); gzip -9n";;
        *.d31.kdump-zstd.gz) echo "makedumpfile 1.7.6 (trixie) -z -d 31 VMCORE FILE; gzip -9n";;
        *.d31.kdump-snappy.gz) echo "makedumpfile $(mdf_version mdfsnappy_makedumpfile) -p -d 31 VMCORE FILE, that binary built from Debian's makedumpfile source package ($MDFSNAPPY_SUITE) with make $MDFSNAPPY_KNOBS (Debian's own makedumpfile binaries are built without snappy; see MANIFEST.versions.md); gzip -9n";;
        *.d31.flat.gz) echo "makedumpfile -F -d 31 VMCORE > FILE (flattened format of an uncompressed-page kdump; restore with makedumpfile -R FILE.kdump < FILE); gzip -9n";;
        *.d31.split1.gz|*.d31.split2.gz) echo "makedumpfile -l -d 31 --splitblock-size 16384 --split VMCORE split1 split2 (lzo pages, 2 parts; makedumpfile --reassemble split1 split2 OUT joins them); gzip -9n";;
        *.d0.kdump-zstd) echo "makedumpfile 1.7.6 (trixie) -z -d 0 VMCORE (no filtering)";;
        *) echo "?";;
    esac
}
step_manifest() {
    local tsv=$OUTV/MANIFEST.tsv f n sz sha usz usha
    {
        printf 'file\tsize\tsha256\tunwrapped_size\tunwrapped_sha256\tmarker\thow\n'
        for f in "$OUTV"/*-6.1*-*; do
            n=$(basename "$f")
            case "$n" in *.txt) continue;; esac
            sz=$(stat -c %s "$f"); sha=$(sha256sum < "$f" | cut -d' ' -f1)
            case "$n" in
                *.gz) usz=$(gzip -dc "$f" | wc -c); usha=$(gzip -dc "$f" | sha256sum | cut -d' ' -f1);;
                *) usz=$sz; usha=$sha;;
            esac
            local mk=""
            case "$n" in
                *-kexec-c.*) mk=$(cat "$WORK/kexec-c/texts/first-loaded/marker" 2>/dev/null || true);;
                *-kexec-s.*) mk=$(cat "$WORK/kexec-s/texts/first-loaded/marker" 2>/dev/null || true);;
                *-qemu.*) mk=$(cat "$WORK/qemu/texts/first/marker" 2>/dev/null || true);;
                i386-*) mk=$(cat "$WORK/i386/kexec-c-elf32/texts/first-loaded/marker" 2>/dev/null || true);;
                arm64-*) mk=$(cat "$WORK/arm64/kexec-c/texts/first-loaded/marker" 2>/dev/null || true);;
            esac
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$sz" "$sha" "$usz" "$usha" "$mk" "$(describe "$n")"
        done
    } > "$tsv.tmp"
    mv "$tsv.tmp" "$tsv"
    {
        echo "# Versions (dpkg) used by the last generator run"
        echo
        for p in "linux-image-$(kver)" qemu-system-x86 kexec-tools makedumpfile busybox-static elfutils binutils gzip; do
            echo "- $p $(dpkg-query -W -f '${Version}' "$p" 2>/dev/null || echo '(not installed: guest kernel from the .deb)')"
        done
        if [ -d "$TRIXIE/debs" ]; then
            for deb in "$TRIXIE"/debs/makedumpfile_*.deb "$TRIXIE"/debs/libzstd1_*.deb "$TRIXIE"/debs/libsnappy1v5_*.deb; do
                [ -f "$deb" ] && echo "- trixie: $(basename "$deb")"
            done
        fi
        if mdfsnappy_ok && [ -f "$MDFSNAPPY/build-info" ]; then
            echo "- makedumpfile with snappy (\`generate.sh mdfsnappy\`, used for \`-p\` and its dmesg reference):"
            sed 's/^- /  - /; /^  - /!s/^/  - /' "$MDFSNAPPY/build-info"
        fi
        [ -f "$(kdir)/../linux-image-$(kver).ver" ] || true
        echo "- guest kernel package: $(ls "$CACHE"/linux-image-"$(kver)"_*.deb 2>/dev/null | xargs -n1 basename)"
        if [ -d "$ARM64/debs" ]; then
            for deb in "$ARM64"/debs/*.deb; do echo "- arm64 guest: $(basename "$deb")"; done
        fi
        if [ -d "$I386/debs" ]; then
            for deb in "$I386"/debs/*.deb; do echo "- i386 guest: $(basename "$deb")"; done
        fi
        echo
        echo "# Marker lines (written to /dev/kmsg just before the crash / the dump)"
        echo
        for d in "$WORK"/kexec-c/texts/first-loaded "$WORK"/kexec-s/texts/first-loaded "$WORK"/qemu/texts/first "$WORK"/i386/kexec-c-elf32/texts/first-loaded "$WORK"/arm64/kexec-c/texts/first-loaded; do
            [ -f "$d/marker" ] && echo "- \`$(cat "$d/marker")\`"
        done
        echo
        echo "# Guest parameters"
        echo
        echo "- kexec runs: qemu-system-x86_64 -accel tcg -m $MEM -smp 2 -no-reboot, kernel cmdline: \`$FIRST_APPEND_BASE crashkernel=$CRASHKERNEL kdump4j.mode=kexec-{c,s}\`"
        echo "- capture kernel: same vmlinuz + the same initramfs, --append=\"console=ttyS0 1 irqpoll maxcpus=1 reset_devices\""
        echo "- dump-guest-memory run: -m $QEMU_MEM -smp 2 -device vmcoreinfo, cmdline \`$FIRST_APPEND_BASE kdump4j.mode=qemu\`"
        echo "- i386 run: qemu-system-i386 -accel tcg -m $MEM -smp 2 -no-reboot, linux-image-$(cat "$I386/kver" 2>/dev/null), cmdline \`$FIRST_APPEND_BASE crashkernel=$CRASHKERNEL kdump4j.mode=kexec-c-elf32\`, capture loaded with \`kexec -c -p --elf32-core-headers\`"
        echo "- arm64 run: qemu-system-aarch64 -M virt -cpu cortex-a57 -accel tcg -m $MEM -smp 2 -no-reboot, linux-image-$(cat "$ARM64/kver" 2>/dev/null), cmdline \`console=ttyAMA0 init_on_free=1 loglevel=7 crashkernel=$CRASHKERNEL kdump4j.mode=kexec-c\`, capture loaded with \`kexec -c -p\` (append console=ttyAMA0 1 irqpoll maxcpus=1 reset_devices)"
        for d in kexec-c kexec-s qemu i386/kexec-c-elf32 arm64/kexec-c; do
            [ -f "$WORK/$d/qemu.seconds" ] && echo "- QEMU wall time $d: $(cat "$WORK/$d/qemu.seconds") s"
        done
    } > "$OUTV/MANIFEST.versions.md"
    log "manifest: $tsv"
}

step_all_default="deps kernel trixie mdfsnappy initramfs kexec-c kexec-s qemu derive oldmem variants i386 arm64 publish refs manifest"

main() {
    local steps=("$@")
    [ ${#steps[@]} -gt 0 ] || steps=(all)
    local all=0
    [ "${steps[0]}" != all ] || { read -r -a steps <<< "$step_all_default"; all=1; }
    [ "$(id -u)" = 0 ] || die "must run as root (apt-get, QEMU disks); kexec runs only inside QEMU guests"
    local s
    for s in "${steps[@]}"; do
        log "== step $s"
        case "$s" in
            deps) step_deps;;
            kernel) step_kernel;;
            trixie) step_trixie;;
            mdfsnappy)
                # under "all", no snappy build (e.g. no source package served) only means no snappy
                # variant; a separate run of this script keeps set -e in force for the step itself
                if [ $all = 1 ]; then "$BASH" "${BASH_SOURCE[0]}" mdfsnappy || log "mdfsnappy failed (see above): no snappy variant"
                else step_mdfsnappy; fi;;
            initramfs) step_initramfs;;
            kexec-c) step_kexec c;;
            kexec-s) step_kexec s;;
            qemu) step_qemu;;
            variants) step_variants;;
            derive) step_derive;;
            oldmem) step_oldmem;;
            publish) step_publish;;
            refs) step_refs;;
            manifest) step_manifest;;
            i386-fetch) step_i386_fetch;;
            i386-initramfs) use_arch i386; step_initramfs; use_arch x86_64;;
            i386-kexec) use_arch i386; step_kexec c-elf32; use_arch x86_64;;
            i386-derive) derive_tz "$WORK/i386/kexec-c-elf32";;
            arm64-fetch) step_arm64_fetch;;
            arm64-initramfs) use_arch arm64; step_initramfs; use_arch x86_64;;
            arm64-kexec) use_arch arm64; step_kexec c; use_arch x86_64;;
            arm64) step_arm64_fetch; use_arch arm64; step_initramfs; step_kexec c; use_arch x86_64;;
            i386) step_i386_fetch; use_arch i386; step_initramfs; step_kexec c-elf32; use_arch x86_64
                  derive_tz "$WORK/i386/kexec-c-elf32";;
            p1) step_deps; step_kernel; step_initramfs; step_kexec c; step_kexec s; step_derive; step_oldmem; step_publish; step_refs; step_manifest;;
            *) die "unknown step '$s'";;
        esac
    done
}

main "$@"
