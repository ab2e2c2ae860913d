#!/usr/bin/env bash
# End-to-end test of kdump4j's kexec loader, for real, in QEMU guests (TCG): kdump4j itself (the built
# jar, run by the host's JDK 25 over virtio-9p) loads the dump-capture kernel with kexec_file_load
# through its FFM loader, the guest crashes (sysrq-c), the capture kernel saves /proc/vmcore with
# kdump4j to a virtio disk, and the host checks the dump with readelf, vmcore-dmesg (the marker is
# there) and kdump4j info. The same guest walks the error paths (bad image ENOEXEC, unknown flag
# EINVAL, not root EPERM, load twice, unload); a second boot without crashkernel=
# checks the missing reservation.
#
# NEVER runs kexec on the host: every kexec call happens inside the guests started here.
#
# usage: src/it/qemu/kdump-e2e.sh
#   env: KDUMP4J_E2E_WORK (scratch, default /var/tmp/kdump4j-e2e), KDUMP4J_CACHE (kernel download
#        cache, default /var/cache/kdump4j-gen, shared with testdata/vmcores/generate.sh),
#        KDUMP4J_KVER (default: the newest linux-image-6.1.0-N-amd64), KDUMP4J_E2E_JAR (a built
#        kdump4j.jar; default target/kdump4j.jar, built when missing), KDUMP4J_E2E_TIMEOUT (seconds
#        per guest, default 900; a quiet machine needs 60-120), KDUMP4J_E2E_WAIT (seconds to wait for other QEMU guests, default
#        1200), KDUMP4J_E2E_SAVE (kdump4j | dd; default kdump4j when the build has a save command),
#        KDUMP4J_E2E_ACCEL (default tcg).
# Exit status 0 when every check passed; prints "N passed, M failed" last.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
WORK=${KDUMP4J_E2E_WORK:-/var/tmp/kdump4j-e2e}
CACHE=${KDUMP4J_CACHE:-/var/cache/kdump4j-gen}
TIMEOUT=${KDUMP4J_E2E_TIMEOUT:-900}
WAIT=${KDUMP4J_E2E_WAIT:-1200}
ACCEL=${KDUMP4J_E2E_ACCEL:-tcg}
MEM=768M
CRASHKERNEL=256M
T0=$SECONDS
PASSED=0
FAILED=0

log() { echo "[e2e $(date -u +%H:%M:%S) +$((SECONDS - T0))s] $*" >&2; }
die() { echo "kdump-e2e: ERROR: $*" >&2; echo "$PASSED passed, $((FAILED + 1)) failed"; exit 1; }
ok() { PASSED=$((PASSED + 1)); log "ok   $*"; }
bad() { FAILED=$((FAILED + 1)); log "FAIL $*"; }

[ "$(uname -m)" = x86_64 ] || die "this end-to-end test needs an x86_64 host (it boots an amd64 Debian kernel)"
[ "$(id -u)" = 0 ] || die "run as root (apt-get, and QEMU's 9p export of / must read every file)"

# ---------------------------------------------------------------- dependencies (idempotent, quiet)
deps() {
    local pkgs="qemu-system-x86 busybox-static kexec-tools binutils e2fsprogs cpio util-linux" missing=""
    for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
    if [ -n "$missing" ]; then
        log "installing:$missing"
        apt-get update -qq >/dev/null || die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null \
            || die "apt-get install$missing failed"
    fi
    # kexec-tools is installed for vmcore-dmesg only: never let it load a kernel at host reboot.
    if [ -f /etc/default/kexec ] && grep -q '^LOAD_KEXEC=true' /etc/default/kexec; then
        sed -i 's/^LOAD_KEXEC=true/LOAD_KEXEC=false/' /etc/default/kexec
    fi
    for t in qemu-system-x86_64 busybox readelf vmcore-dmesg mkfs.ext2 debugfs cpio setpriv; do
        command -v "$t" >/dev/null || die "missing tool $t after installing packages"
    done
}

kver() {
    if [ -n "${KDUMP4J_KVER:-}" ]; then echo "$KDUMP4J_KVER"; return; fi
    if [ -f "$CACHE/kver" ]; then cat "$CACHE/kver"; return; fi
    local v
    v=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' | awk '{print $1}' \
        | sed 's/^linux-image-//' | sort -V | tail -1)
    if [ -z "$v" ]; then
        apt-get update -qq >/dev/null || true
        v=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' | awk '{print $1}' \
            | sed 's/^linux-image-//' | sort -V | tail -1)
    fi
    [ -n "$v" ] || die "no linux-image-6.1.0-N-amd64 package known to apt"
    echo "$v" > "$CACHE/kver"
    echo "$v"
}

kernel() {  # downloads and unpacks linux-image-$KVER into the cache (shared with the generator)
    local d=$CACHE/linux-image-$KVER
    if [ -f "$d/boot/vmlinuz-$KVER" ]; then return; fi
    log "downloading linux-image-$KVER"
    ls "$CACHE"/linux-image-"$KVER"_*.deb >/dev/null 2>&1 ||
        (cd "$CACHE" && apt-get download -qq "linux-image-$KVER" >/dev/null) || die "apt-get download linux-image-$KVER failed"
    rm -rf "$d.tmp"; mkdir -p "$d.tmp"
    dpkg-deb -x "$CACHE"/linux-image-"$KVER"_*.deb "$d.tmp"
    mv "$d.tmp" "$d"
}

initramfs() {
    local m=$CACHE/linux-image-$KVER/lib/modules/$KVER r=$WORK/initramfs order=() seen=" "
    rm -rf "$r"; mkdir -p "$r/bin" "$r/modules"
    cp "$(command -v busybox)" "$r/bin/busybox"
    cp "$HERE/guest-init" "$r/init"; chmod 755 "$r/init"
    addmod() {
        local name=$1 f dep
        case "$seen" in *" $name "*) return;; esac
        f=$(find "$m/kernel" -name "$name.ko" -o -name "$name.ko.xz" | head -1)
        [ -n "$f" ] || die "module $name not found in $m"
        for dep in $(strings -a "$f" | sed -n 's/^depends=//p' | head -1 | tr ',' ' '); do addmod "$dep"; done
        seen="$seen$name "
        case "$f" in *.xz) xz -dc "$f" > "$r/modules/$name.ko";; *) cp "$f" "$r/modules/$name.ko";; esac
        order+=("$name")
    }
    for x in virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev virtio virtio_pci 9pnet 9pnet_virtio \
             netfs fscache 9p virtio_blk crc32c_generic ext4; do addmod "$x"; done
    printf '%s\n' "${order[@]}" > "$r/modules.order"
    cat > "$r/e2e.conf" <<CONF
JAVA=$JAVA_HOME/bin/java
JAR=$WORK/kdump4j.jar
ITCLASSES=$WORK/it-classes
KERNEL=$WORK/vmlinuz
INITRD=$WORK/initrd.img
SAVE=$SAVE
CONF
    (cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -6n) > "$WORK/initrd.img"
    cp "$CACHE/linux-image-$KVER/boot/vmlinuz-$KVER" "$WORK/vmlinuz"
    log "initramfs $(stat -c %s "$WORK/initrd.img") bytes, modules: ${order[*]}"
}

jar() {
    local src=${KDUMP4J_E2E_JAR:-$REPO/target/kdump4j.jar}
    if [ -z "${KDUMP4J_E2E_JAR:-}" ] && { [ ! -f "$src" ] || [ -n "$(find "$REPO/src/main" "$REPO/pom.xml" -newer "$src" -print -quit)" ]; }; then
        log "building $src"
        (cd "$REPO" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
            mvn -B -q -ntp -Dmaven.test.skip=true package >&2) || die "build failed"
    fi
    [ -f "$src" ] || die "no kdump4j jar at $src"
    cp "$src" "$WORK/kdump4j.jar"   # the guests run this copy, safe from rebuilds meanwhile
    rm -rf "$WORK/it-classes"
    "$JAVA_HOME/bin/javac" -d "$WORK/it-classes" -cp "$WORK/kdump4j.jar" "$HERE/SegmentLoadCheck.java" \
        || die "cannot compile SegmentLoadCheck.java"
}

wait_for_other_guests() {
    local waited=0
    while pgrep -f qemu-system >/dev/null; do
        [ "$waited" -lt "$WAIT" ] || die "other QEMU guests still running after ${WAIT}s"
        [ "$waited" -gt 0 ] || log "waiting for other QEMU guests to finish (pgrep -f qemu-system)"
        sleep 30; waited=$((waited + 30))
    done
}

# run_guest NAME APPEND [extra qemu args]: boots the first kernel; console in $WORK/NAME.console
run_guest() {
    local name=$1 append=$2; shift 2
    local console=$WORK/$name.console start=$SECONDS rc=0
    wait_for_other_guests
    log "guest $name: $append"
    : > "$console"
    timeout --foreground -k 10 "$TIMEOUT" qemu-system-x86_64 -accel "$ACCEL" -m "$MEM" -smp 2 -nographic -no-reboot \
        -display none -monitor none -serial "file:$console" \
        -kernel "$WORK/vmlinuz" -initrd "$WORK/initrd.img" -append "$append" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        "$@" 2> "$WORK/$name.qemu.err" || rc=$?
    echo $((SECONDS - start)) > "$WORK/$name.seconds"
    if [ $rc -eq 124 ]; then
        die "guest $name timed out after ${TIMEOUT}s; console: $console"
    elif [ $rc -ne 0 ]; then
        die "QEMU cannot run (exit $rc): $(head -c 2000 "$WORK/$name.qemu.err"); console: $console"
    fi
    grep -q 'KDUMP4J-E2E: FAILED' "$console" && bad "guest $name: $(grep -m1 'KDUMP4J-E2E: FAILED' "$console")"
    log "guest $name done in $((SECONDS - start)) s"
}

# step_output CONSOLE STEP: the lines between BEGIN and END of a step
step_output() { sed -n "/KDUMP4J-E2E: BEGIN $2:/,/KDUMP4J-E2E: END $2 rc=/p" "$1" | tr -d '\r'; }
# expect CONSOLE STEP RC [REGEX...]: the step exited with RC and its output matches every REGEX
expect() {
    local console=$1 step=$2 want=$3; shift 3
    local out got
    out=$(step_output "$console" "$step")
    got=$(printf '%s\n' "$out" | sed -n "s/.*KDUMP4J-E2E: END $step rc=\([0-9]*\).*/\1/p" | tail -1)
    if [ -z "$got" ]; then bad "$step: did not run"; return; fi
    if [ "$got" != "$want" ]; then bad "$step: exit $got, expected $want"; printf '%s\n' "$out" | sed 's/^/    /' >&2; return; fi
    for re in "$@"; do
        if ! printf '%s\n' "$out" | grep -Eq -- "$re"; then
            bad "$step: output lacks /$re/"; printf '%s\n' "$out" | sed 's/^/    /' >&2; return
        fi
    done
    ok "$step (exit $got): $(printf '%s\n' "$out" | grep -Ev 'KDUMP4J-E2E: (BEGIN|END)' \
        | grep -E 'kdump4j kexec:|crash kernel loaded|crash kernel region|probe: +kexec_file_load|bytes copied' | head -3 | tr '\n' ' ' | cut -c1-400)"
}

# ------------------------------------------------------------------------------------------- run
mkdir -p "$WORK" "$CACHE"
deps
JAVA_HOME=$("$REPO/bin/find-jdk")
export JAVA_HOME
KVER=$(kver)
kernel
jar
if [ -n "${KDUMP4J_E2E_SAVE:-}" ]; then
    SAVE=$KDUMP4J_E2E_SAVE
elif "$JAVA_HOME/bin/java" --enable-native-access=org.kdump4j -p "$WORK/kdump4j.jar" -m org.kdump4j/org.kdump4j.cli.Main --help \
        > "$WORK/help.txt" 2>&1 && grep -q '^  save ' "$WORK/help.txt"; then
    SAVE=kdump4j
else
    SAVE=dd
fi
log "kernel $KVER, JDK $JAVA_HOME, save with $SAVE, accel $ACCEL"
initramfs

# On the host, without native access, the loader is unavailable and names the flag (it makes no call).
KJ=("$JAVA_HOME/bin/java" -XX:-UsePerfData)
"${KJ[@]}" -p "$WORK/kdump4j.jar" -m org.kdump4j/org.kdump4j.cli.Main kexec status > "$WORK/host-module.txt" 2>&1 || true
"${KJ[@]}" -cp "$WORK/kdump4j.jar" org.kdump4j.cli.Main kexec status > "$WORK/host-classpath.txt" 2>&1 || true
if grep -q 'unavailable (linux: native access is not enabled for module org.kdump4j: run java with --enable-native-access=org.kdump4j)' \
        "$WORK/host-module.txt"; then
    ok "host, module path without the flag: loader unavailable, names --enable-native-access=org.kdump4j"
else
    bad "host, module path without the flag: no 'native access' explanation"
fi
if grep -q 'native access is not enabled for the class path: run java with --enable-native-access=ALL-UNNAMED' \
        "$WORK/host-classpath.txt"; then
    ok "host, class path without the flag: loader unavailable, names --enable-native-access=ALL-UNNAMED"
else
    bad "host, class path without the flag: no 'native access' explanation"
fi

# QEMU smoke test: fails clearly when QEMU cannot start at all (no guest code runs).
qemu-system-x86_64 -accel "$ACCEL" -machine q35 -display none -monitor none -serial none -nodefaults -S \
    -no-user-config -daemonize -pidfile "$WORK/smoke.pid" 2> "$WORK/smoke.err" \
    || die "QEMU cannot run: $(cat "$WORK/smoke.err")"
smoke=$(cat "$WORK/smoke.pid")
kill "$smoke" 2>/dev/null || true
for _ in $(seq 50); do kill -0 "$smoke" 2>/dev/null || break; sleep 0.2; done

# 1. main: crashkernel=, load through kdump4j, error paths, crash, capture, save
rm -f "$WORK/dump.img" "$WORK/vmcore"
truncate -s 2G "$WORK/dump.img"
mkfs.ext2 -q -F -L kdump4j-dump "$WORK/dump.img" >/dev/null
run_guest main "console=ttyS0 crashkernel=$CRASHKERNEL panic=1 loglevel=4 kdump4j.e2e=main" \
    -drive "file=$WORK/dump.img,format=raw,if=virtio,cache=unsafe"
C=$WORK/main.console
expect "$C" status-before 0 'loader: +linux$' 'crash kernel loaded: no' 'crash kernel region: 0x[0-9a-f]+-0x[0-9a-f]+ \(256 MiB\)' \
    'probe: +kexec_file_load: usable \(probe: EINVAL \(22\)\)' 'probe: +kexec_load: usable'
expect "$C" bad-image 1 'kexec_file_load failed: ENOEXEC \(8\)'
expect "$C" bad-flag 1 'kexec_file_load failed: EINVAL \(22\)'
expect "$C" not-root 1 'kexec_file_load failed: EPERM \(1\)' 'CAP_SYS_BOOT'
expect "$C" load-1 0 'crash kernel loaded: yes'
expect "$C" load-2 0 'crash kernel loaded: yes'
expect "$C" unload 0 'unloaded the crash kernel \(linux loader\); crash kernel loaded: no'
expect "$C" segments 0 'segments: loader linux, available true' \
    'segments-refused: kexec_load EADDRNOTAVAIL beforeCall=true' 'segments-loaded: .* returned 0, kexec_crash_loaded=1' \
    'segments-unloaded: kexec_crash_loaded=0'
expect "$C" load-final 0 'command line: console=ttyS0 panic=1 loglevel=4 kdump4j.e2e=main 1 irqpoll maxcpus=1 reset_devices' \
    'crash kernel loaded: yes'
if [ "$(grep -c 'sysfs: kexec_crash_loaded=1 kexec_crash_size=268435456' "$C")" -ge 3 ] \
        && grep -q 'sysfs: kexec_crash_loaded=0' "$C"; then
    ok "sysfs kexec_crash_loaded followed load (1), load again (1), unload (0), final load (1)"
else
    bad "sysfs kexec_crash_loaded did not follow the loads: $(grep 'sysfs:' "$C" | tr '\n' ' ')"
fi
MARKER=$(sed -n 's/.*KDUMP4J-E2E: marker: \(KDUMP4J-E2E-MARKER [0-9a-f-]*\).*/\1/p' "$C" | tr -d '\r' | tail -1)
grep -q 'KDUMP4J-E2E: capture kernel up' "$C" && ok "capture kernel booted after sysrq-c" || bad "capture kernel did not boot"
if [ "$SAVE" = kdump4j ]; then expect "$C" save 0 'bytes copied'; else expect "$C" save 0; fi

# host checks of the dump
SIZE=$(sed -n 's/.*KDUMP4J-E2E: vmcore-size \([0-9]*\).*/\1/p' "$C" | tr -d '\r' | tail -1)
debugfs -R "dump -p /vmcore $WORK/vmcore" "$WORK/dump.img" >/dev/null 2>&1 || true
if [ -s "$WORK/vmcore" ] && [ "$(stat -c %s "$WORK/vmcore")" = "${SIZE:-x}" ]; then
    ok "dump saved on the virtio disk: $SIZE bytes, as /proc/vmcore"
else
    bad "no dump of ${SIZE:-?} bytes on the dump disk (got $(stat -c %s "$WORK/vmcore" 2>/dev/null || echo none))"
fi
if [ -s "$WORK/vmcore" ]; then
    readelf -h -l "$WORK/vmcore" > "$WORK/vmcore.readelf" 2>&1 || true
    if grep -q 'Type:.*CORE (Core file)' "$WORK/vmcore.readelf" && grep -q 'Machine:.*X86-64' "$WORK/vmcore.readelf" \
            && grep -q '^  NOTE ' "$WORK/vmcore.readelf" && grep -q '^  LOAD ' "$WORK/vmcore.readelf"; then
        ok "readelf: ELF64 x86-64 core with $(grep -c '^  LOAD ' "$WORK/vmcore.readelf") LOAD segments and a NOTE segment"
    else
        bad "readelf does not see an x86-64 ELF core: $(head -20 "$WORK/vmcore.readelf" | tr '\n' ' ')"
    fi
    vmcore-dmesg "$WORK/vmcore" > "$WORK/vmcore.dmesg" 2>&1 || true
    if [ -n "$MARKER" ] && grep -qF "$MARKER" "$WORK/vmcore.dmesg"; then
        ok "vmcore-dmesg: marker '$MARKER' in the dumped kernel log; $(grep -m1 -o 'sysrq: Trigger a crash' "$WORK/vmcore.dmesg" || true)"
    else
        bad "vmcore-dmesg: marker '${MARKER:-none}' not in the dump's kernel log"
    fi
    "$JAVA_HOME/bin/java" --enable-native-access=org.kdump4j -p "$WORK/kdump4j.jar" -m org.kdump4j/org.kdump4j.cli.Main \
        info "$WORK/vmcore" > "$WORK/vmcore.info" 2>&1 && irc=0 || irc=$?
    if [ "$irc" = 0 ] && grep -q "$KVER" "$WORK/vmcore.info"; then
        ok "kdump4j info: reads the dump (OSRELEASE $KVER)"
    else
        bad "kdump4j info exit $irc: $(head -5 "$WORK/vmcore.info" | tr '\n' ' ')"
    fi
fi
rm -f "$WORK/dump.img" "$WORK/vmcore"

# 2. noreserve: no crashkernel= at all
run_guest noreserve "console=ttyS0 panic=1 loglevel=4 kdump4j.e2e=noreserve"
C=$WORK/noreserve.console
expect "$C" status-noreserve 0 'crash kernel region: none reserved' 'crash kernel size: +0 bytes \(none reserved\)'
expect "$C" load-noreserve 1 'no crash kernel memory is reserved' 'not loading'
expect "$C" load-noreserve-forced 1 'kexec_file_load failed: EADDRNOTAVAIL \(99\)'

log "guests: main $(cat "$WORK/main.seconds") s, noreserve $(cat "$WORK/noreserve.seconds") s; total $((SECONDS - T0)) s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
