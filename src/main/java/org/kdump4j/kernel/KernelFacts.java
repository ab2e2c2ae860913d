package org.kdump4j.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.kdump4j.vmcore.CpuState;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreInfo;

/**
 * The facts about the crashed kernel that people ask first: which kernel, when it crashed, on which
 * CPU and why, and how long it had been up.
 *
 * <p>Sources: VMCOREINFO ({@code OSRELEASE}, {@code BUILD-ID}, {@code CRASHTIME}, {@code PAGESIZE},
 * {@code KERNELOFFSET}); {@code init_uts_ns} read through the page tables (host name, version string,
 * machine); the kernel log (the last {@code "Kernel panic - not syncing: "} record and the
 * {@code "CPU: n PID: p Comm: c"} line the panic or the oops before it printed); the {@code NT_PRSTATUS}
 * notes (the note whose {@code pr_pid} is the panicking task). The uptime is the time stamp of the last
 * log record, a lower bound for the time of the crash on the printk clock.
 *
 * @param release {@code OSRELEASE}
 * @param buildId {@code BUILD-ID} (the kernel's GNU build id, hex)
 * @param crashTime {@code CRASHTIME}, when the kernel recorded it
 * @param pageSize the page size in bytes
 * @param architecture the machine ({@code x86_64}, {@code aarch64}, ...)
 * @param kernelOffset {@code KERNELOFFSET}: the KASLR displacement of the kernel image
 * @param utsname {@code init_uts_ns.name}, when readable
 * @param panic what the log says about the panic, when it does
 * @param uptime the time stamp of the last log record
 * @param logKind the kernel log's format, when the log was readable
 * @param problems what could not be determined and why
 */
public record KernelFacts(Optional<String> release, Optional<String> buildId, Optional<Instant> crashTime,
        int pageSize, String architecture, OptionalLong kernelOffset, Optional<Utsname> utsname,
        Optional<Panic> panic, Optional<Duration> uptime, Optional<KernelLog.Kind> logKind, List<String> problems) {

    private static final String PANIC = "Kernel panic - not syncing: ";
    private static final int UTS_FIELD = 65;

    /** Copies the problem list. */
    public KernelFacts {
        problems = List.copyOf(problems);
    }

    /**
     * The kernel's {@code struct new_utsname}.
     *
     * @param sysname e.g. {@code Linux}
     * @param nodename the host name
     * @param release e.g. {@code 6.1.0-27-amd64}
     * @param version the build string, e.g. {@code #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)}
     * @param machine e.g. {@code x86_64}
     * @param domainname the NIS domain name
     */
    public record Utsname(String sysname, String nodename, String release, String version, String machine,
            String domainname) {
    }

    /**
     * The panic as the log tells it.
     *
     * @param message the panic message (after {@code "Kernel panic - not syncing: "})
     * @param timestampNanos the panic record's time stamp
     * @param cpu the CPU that panicked, from the {@code CPU:} line or an interrupt-context caller id
     * @param pid the panicking task's pid, from the {@code CPU:} line
     * @param command the panicking task's name, from the {@code CPU:} line
     * @param noteIndex the index among the CPU notes of the one whose {@code pr_pid} is that pid (when
     *     exactly one is)
     */
    public record Panic(String message, long timestampNanos, OptionalInt cpu, OptionalInt pid,
            Optional<String> command, OptionalInt noteIndex) {
    }

    /** Gathers the facts of an open dump (reads the log and {@code init_uts_ns}). */
    public static KernelFacts of(Vmcore vmcore) throws IOException {
        List<String> problems = new ArrayList<>();
        AddressSpace space = null;
        try {
            space = AddressSpace.of(vmcore);
        } catch (IOException e) {
            problems.add("no address space: " + e.getMessage());
        }
        Optional<KernelLog> log = Optional.empty();
        Optional<VmcoreInfo> info = VmcoreInfoScan.of(vmcore);
        if (space != null && info.isPresent()) {
            try {
                log = Optional.of(KernelLog.read(space, info.get()));
            } catch (IOException e) {
                problems.add("kernel log: " + e.getMessage());
            }
        }
        return of(vmcore, Optional.ofNullable(space), log, problems);
    }

    /** Gathers the facts from parts already at hand (nothing is read twice). */
    public static KernelFacts of(Vmcore vmcore, Optional<AddressSpace> space, Optional<KernelLog> log)
            throws IOException {
        return of(vmcore, space, log, new ArrayList<>());
    }

    private static KernelFacts of(Vmcore vmcore, Optional<AddressSpace> space, Optional<KernelLog> log,
            List<String> problems) throws IOException {
        Objects.requireNonNull(vmcore, "vmcore");
        Optional<VmcoreInfo> info = VmcoreInfoScan.of(vmcore);
        if (info.isEmpty()) {
            problems.add("the dump has no VMCOREINFO");
        }
        Optional<Utsname> uts = Optional.empty();
        if (space.isPresent() && info.isPresent()) {
            uts = utsname(space.get(), info.get(), problems);
        }
        Optional<Panic> panic = Optional.empty();
        Optional<Duration> uptime = Optional.empty();
        if (log.isPresent() && log.get().kind() != KernelLog.Kind.PLAIN_BUFFER) {
            List<LogRecord> records = log.get().records();
            if (!records.isEmpty()) {
                uptime = Optional.of(Duration.ofNanos(records.getLast().timestampNanos()));
            }
            panic = panic(records, vmcore.cpus());
            if (panic.isEmpty()) {
                problems.add("the log has no \"" + PANIC.strip() + "\" record");
            }
        }
        return new KernelFacts(info.flatMap(VmcoreInfo::osRelease), info.flatMap(VmcoreInfo::buildId),
                info.isPresent() && info.get().crashTime().isPresent()
                        ? Optional.of(Instant.ofEpochSecond(info.get().crashTime().getAsLong())) : Optional.empty(),
                vmcore.pageSize(), space.map(s -> s.machine().architecture()).orElse(vmcore.machine().architecture()),
                info.isPresent() ? info.get().kernelOffset() : OptionalLong.empty(), uts, panic, uptime,
                log.map(KernelLog::kind), problems);
    }

    private static Optional<Utsname> utsname(AddressSpace space, VmcoreInfo info, List<String> problems)
            throws IOException {
        OptionalLong sym = info.symbol("init_uts_ns");
        OptionalLong off = info.offset("uts_namespace.name");
        if (sym.isEmpty() || off.isEmpty()) {
            problems.add("VMCOREINFO lacks SYMBOL(init_uts_ns) or OFFSET(uts_namespace.name)");
            return Optional.empty();
        }
        try {
            byte[] b = space.readVirtual(sym.getAsLong() + off.getAsLong(), 6 * UTS_FIELD);
            String[] f = new String[6];
            for (int i = 0; i < 6; i++) {
                int end = i * UTS_FIELD;
                while (end < (i + 1) * UTS_FIELD && b[end] != 0) {
                    end++;
                }
                f[i] = new String(b, i * UTS_FIELD, end - i * UTS_FIELD, StandardCharsets.UTF_8);
            }
            return Optional.of(new Utsname(f[0], f[1], f[2], f[3], f[4], f[5]));
        } catch (TranslationException e) {
            problems.add("init_uts_ns: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Finds the last panic record and the {@code CPU:} line that belongs to it. */
    static Optional<Panic> panic(List<LogRecord> records, List<CpuState> cpus) {
        int at = -1;
        for (int i = records.size() - 1; i >= 0; i--) {
            if (records.get(i).textString().startsWith(PANIC)) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return Optional.empty();
        }
        LogRecord p = records.get(at);
        String message = p.textString().substring(PANIC.length());
        int nl = message.indexOf('\n');
        if (nl >= 0) {
            message = message.substring(0, nl);
        }
        CpuLine cpuLine = null;
        // panic() prints the CPU line right after its message; after an oops, panic("Fatal exception")
        // prints none and the oops's own CPU line comes before
        for (int i = at + 1; i < Math.min(records.size(), at + 4) && cpuLine == null; i++) {
            cpuLine = CpuLine.parse(records.get(i).textString());
        }
        for (int i = at - 1; i >= Math.max(0, at - 200) && cpuLine == null; i--) {
            cpuLine = CpuLine.parse(records.get(i).textString());
        }
        OptionalInt cpu = OptionalInt.empty();
        OptionalInt pid = OptionalInt.empty();
        Optional<String> command = Optional.empty();
        if (cpuLine != null) {
            try {
                cpu = OptionalInt.of(Integer.parseInt(cpuLine.cpu()));
                pid = OptionalInt.of(Integer.parseInt(cpuLine.pid()));
                command = Optional.of(cpuLine.command());
            } catch (NumberFormatException e) {
                // numbers too long: leave unknown
            }
        }
        if (cpu.isEmpty() && p.callerId().isPresent() && (p.callerId().getAsLong() & 0x8000_0000L) != 0) {
            cpu = OptionalInt.of((int) (p.callerId().getAsLong() & 0x7fff_ffffL));
        }
        OptionalInt note = OptionalInt.empty();
        if (pid.isPresent()) {
            int found = -1;
            int matches = 0;
            for (int i = 0; i < cpus.size(); i++) {
                if (cpus.get(i).pid().isPresent() && cpus.get(i).pid().getAsInt() == pid.getAsInt()) {
                    found = i;
                    matches++;
                }
            }
            if (matches == 1) {
                note = OptionalInt.of(found);
            }
        }
        return Optional.of(new Panic(message, p.timestampNanos(), cpu, pid, command, note));
    }

    /**
     * The start of the line {@code dump_stack()} and {@code panic()} print: {@code "CPU: 3 UID: 0 PID: 42
     * Comm: kworker/3:1 Tainted: ..."} (newer kernels print the {@code UID:} part). Matched by hand, exactly as the
     * pattern {@code ^CPU: (\d+) (?:UID: \d+ )?PID: (\d+) Comm: (.{0,16}?)(?: Kdump: | Not tainted |
     * Tainted: |$)} would {@code find()} it, so that reading the facts compiles no pattern.
     *
     * @param cpu the CPU number's digits
     * @param pid the pid's digits
     * @param command the task name: the shortest run of at most 16 code points, none a line terminator,
     *     that the next field or the end of the text follows
     */
    record CpuLine(String cpu, String pid, String command) {
        private static final String[] AFTER_COMMAND = {" Kdump: ", " Not tainted ", " Tainted: "};
        private static final int MAX_COMMAND = 16;

        /** The fields of a {@code CPU:} line, or {@code null} when {@code text} does not start with one. */
        static CpuLine parse(String text) {
            if (!text.startsWith("CPU: ")) {
                return null;
            }
            int cpuEnd = digits(text, 5);
            if (cpuEnd == 5 || !text.startsWith(" ", cpuEnd)) {
                return null;
            }
            int at = cpuEnd + 1;
            if (text.startsWith("UID: ", at)) {
                int uidEnd = digits(text, at + 5);
                if (uidEnd > at + 5 && text.startsWith(" ", uidEnd)) {
                    at = uidEnd + 1;
                }
            }
            if (!text.startsWith("PID: ", at)) {
                return null;
            }
            int pidStart = at + 5;
            int pidEnd = digits(text, pidStart);
            if (pidEnd == pidStart || !text.startsWith(" Comm: ", pidEnd)) {
                return null;
            }
            int commStart = pidEnd + 7;
            int end = commStart;
            for (int n = 0; ; n++) {
                if (endsCommand(text, end)) {
                    return new CpuLine(text.substring(5, cpuEnd), text.substring(pidStart, pidEnd),
                            text.substring(commStart, end));
                }
                if (n == MAX_COMMAND || end >= text.length()) {
                    return null;
                }
                int cp = text.codePointAt(end);
                if (isLineTerminator(cp)) {
                    return null;
                }
                end += Character.charCount(cp);
            }
        }

        /** Whether a field follows at {@code at}, or {@code $} matches there (end, or a final line break). */
        private static boolean endsCommand(String text, int at) {
            for (String s : AFTER_COMMAND) {
                if (text.startsWith(s, at)) {
                    return true;
                }
            }
            int left = text.length() - at;
            return left == 0 || left == 1 && isLineTerminator(text.charAt(at))
                    || left == 2 && text.charAt(at) == '\r' && text.charAt(at + 1) == '\n';
        }

        /** What {@code .} does not match and {@code $} may stand before (no {@code UNIX_LINES}). */
        private static boolean isLineTerminator(int c) {
            return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
        }

        private static int digits(String text, int from) {
            int i = from;
            while (i < text.length() && ReleaseNumbers.isDigit(text.charAt(i))) {
                i++;
            }
            return i;
        }
    }
}
