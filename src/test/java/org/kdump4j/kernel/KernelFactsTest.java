package org.kdump4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.kdump4j.vmcore.CpuState;

/** How {@link KernelFacts} reads the panic from the log in the cases the real dumps do not show. */
class KernelFactsTest {

    private static LogRecord record(long ts, long caller, String text) {
        return new LogRecord(ts, ts, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                caller < 0 ? OptionalLong.empty() : OptionalLong.of(caller), Optional.empty(), Optional.empty(),
                text.getBytes(StandardCharsets.UTF_8), false);
    }

    private static CpuState cpu(int index, int pid) {
        return new CpuState(index, "NT_PRSTATUS", "x86_64", OptionalInt.of(pid), Map.of(), 0);
    }

    @Test
    void panicAfterAnOopsTakesTheOopsCpuLine() {
        List<LogRecord> log = new ArrayList<>();
        log.add(record(1, 5, "BUG: kernel NULL pointer dereference, address: 0000000000000000"));
        log.add(record(2, 42, "CPU: 3 UID: 0 PID: 42 Comm: kworker/3:1 Tainted: G      D            6.12.0 #1"));
        log.add(record(3, 42, "RIP: 0010:some_function+0x10/0x20"));
        log.add(record(4, 42, "Kernel panic - not syncing: Fatal exception"));
        log.add(record(5, 42, "Kernel Offset: 0x1e000000 from 0xffffffff81000000"));
        KernelFacts.Panic p = KernelFacts.panic(log, List.of(cpu(0, 0), cpu(1, 0), cpu(2, 42))).orElseThrow();
        assertEquals("Fatal exception", p.message());
        assertEquals(3, p.cpu().getAsInt());
        assertEquals(42, p.pid().getAsInt());
        assertEquals("kworker/3:1", p.command().orElseThrow());
        assertEquals(2, p.noteIndex().getAsInt());
        assertEquals(4, p.timestampNanos());
    }

    @Test
    void panicInInterruptContextWithoutCpuLineTakesTheCallerCpu() {
        List<LogRecord> log = List.of(record(1, 0x8000_0002L, "Kernel panic - not syncing: Watchdog detected hard LOCKUP"));
        KernelFacts.Panic p = KernelFacts.panic(log, List.of(cpu(0, 0), cpu(1, 0))).orElseThrow();
        assertEquals(2, p.cpu().getAsInt());
        assertTrue(p.pid().isEmpty());
        assertTrue(p.noteIndex().isEmpty());
    }

    @Test
    void idleTaskOnSeveralCpusGivesNoNote() {
        List<LogRecord> log = List.of(record(1, 0, "Kernel panic - not syncing: x"),
                record(2, 0, "CPU: 1 PID: 0 Comm: swapper/1 Not tainted 6.1.0 #1"));
        KernelFacts.Panic p = KernelFacts.panic(log, List.of(cpu(0, 0), cpu(1, 0))).orElseThrow();
        assertEquals(1, p.cpu().getAsInt());
        assertEquals("swapper/1", p.command().orElseThrow());
        assertTrue(p.noteIndex().isEmpty());
    }

    @Test
    void noPanicRecordNoPanic() {
        assertTrue(KernelFacts.panic(List.of(record(1, 1, "hello")), List.of()).isEmpty());
    }
}
