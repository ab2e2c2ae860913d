package org.kdump4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three kernel log formats on constructed buffers (no real dump of a kernel before 5.10 could be
 * made here): record fields, vmcore-dmesg and makedumpfile output, the ring's wrap cases including the
 * Linux 6.18 block that ends exactly at the end of the ring, and damage handling.
 */
class SyntheticLogTest {

    /** vmcore-dmesg's line, written independently of the code under test. */
    private static String line(long ts, String escapedText) {
        return String.format("[%5d.%06d] %s%n", ts / 1_000_000_000L, ts % 1_000_000_000L / 1000, escapedText);
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    private static KernelLog read(SyntheticMemory mem) throws IOException {
        return KernelLog.read(LogBuilders.space(mem), mem.vmcoreInfo());
    }

    @Test
    void locklessRecordsCarryEveryField() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 16);
        LogBuilders.Lockless ring = new LogBuilders.Lockless(mem, 4, 10);
        ring.add("Linux version 6.18.0", 0, 5, 0, 0, "", "");
        ring.add("e1000 0000:00:03.0: link up", 1_234_567_891L, 6, 0, 0x8000_0001L, "pci", "+pci:0000:00:03.0");
        ring.add("KDUMP4J-MARKER test", 987_654_321_012L, 4, 1, 77, "", "");
        KernelLog log = read(mem);
        assertEquals(KernelLog.Kind.LOCKLESS_RINGBUFFER, log.kind());
        assertEquals(List.of(), log.problems());
        List<LogRecord> r = log.records();
        assertEquals(3, r.size());
        assertEquals(List.of(0L, 1L, 2L), r.stream().map(LogRecord::sequence).toList());
        assertEquals(5, r.get(0).level().getAsInt());
        assertEquals(0, r.get(0).facility().getAsInt());
        assertEquals(2, r.get(0).flags().getAsInt());
        assertEquals("C1", r.get(1).caller().orElseThrow());
        assertEquals("pci", r.get(1).subsystem().orElseThrow());
        assertEquals("+pci:0000:00:03.0", r.get(1).device().orElseThrow());
        assertEquals("T77", r.get(2).caller().orElseThrow());
        assertEquals(1, r.get(2).facility().getAsInt());
        assertEquals(4, r.get(2).level().getAsInt());
        assertFalse(r.get(0).subsystem().isPresent());
        assertEquals(line(0, "Linux version 6.18.0") + line(1_234_567_891L, "e1000 0000:00:03.0: link up")
                + line(987_654_321_012L, "KDUMP4J-MARKER test"), log.formatVmcoreDmesg());
        String withCallers = new String(log.format(DmesgFormat.VMCORE_DMESG.withCallerIds(true)),
                StandardCharsets.ISO_8859_1);
        assertTrue(withCallers.contains("[    1.234567] [      C1] e1000"), withCallers);
        assertTrue(withCallers.contains("[  987.654321] [     T77] KDUMP4J"), withCallers);
    }

    @Test
    void blockEndingExactlyAtTheRingEndIsNotTakenForWrapped() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 16);
        LogBuilders.Lockless ring = new LogBuilders.Lockless(mem, 4, 8); // 256-byte text ring
        ring.add(repeat('a', 104), 1_000, 6, 0, 1, "", ""); // [0, 112)
        ring.add(repeat('b', 136), 2_000, 6, 0, 1, "", ""); // [112, 256): ends exactly at the end
        ring.add(repeat('c', 80), 3_000, 6, 0, 1, "", ""); // [256, 344): overwrites the first
        assertEquals(256, mem.u64(LogBuilders.Lockless.DESCS + 24 + 16), "the end-of-ring block's next lpos");
        KernelLog log = read(mem);
        assertEquals(List.of(repeat('b', 136), repeat('c', 80)),
                log.records().stream().map(LogRecord::textString).toList());
        assertEquals(line(2_000, repeat('b', 136)) + line(3_000, repeat('c', 80)), log.formatVmcoreDmesg());
    }

    @Test
    void wrappedBlockIsReadFromTheStartOfTheRing() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 16);
        LogBuilders.Lockless ring = new LogBuilders.Lockless(mem, 4, 8);
        ring.add(repeat('a', 192), 1_000, 6, 0, 1, "", ""); // [0, 200)
        ring.add(repeat('b', 96), 2_000, 6, 0, 1, "", ""); // begins at 200, does not fit: stored at 0
        ring.add(repeat('c', 40), 3_000, 6, 0, 1, "", "");
        KernelLog log = read(mem);
        assertEquals(List.of(repeat('b', 96), repeat('c', 40)),
                log.records().stream().map(LogRecord::textString).toList());
    }

    @Test
    void ringThatWrappedManyTimesKeepsTheNewestRecords() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 16);
        LogBuilders.Lockless ring = new LogBuilders.Lockless(mem, 3, 9); // 8 descriptors, 512 bytes
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String s = "line " + i + " " + repeat((char) ('a' + i % 26), i % 37);
            all.add(s);
            ring.add(s, i * 1_000_000L, 6, 0, 1, "", "");
        }
        List<String> got = read(mem).records().stream().map(LogRecord::textString).toList();
        assertFalse(got.isEmpty());
        assertTrue(got.size() <= 8);
        assertEquals(all.subList(all.size() - got.size(), all.size()), got);
    }

    @Test
    void dataLessRecordsAsEachToolPrintsThem() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 16);
        LogBuilders.Lockless ring = new LogBuilders.Lockless(mem, 4, 10);
        ring.add("before", 1_000_000, 6, 0, 1, "", "");
        ring.addDataLess(2_000_000, 1); // text lost
        ring.addDataLess(3_000_000, 3); // empty line
        ring.add("after", 4_000_000, 6, 0, 1, "", "");
        KernelLog log = read(mem);
        assertTrue(log.records().get(1).dataLess());
        assertEquals(line(1_000_000, "before") + line(2_000_000, "") + line(3_000_000, "") + line(4_000_000, "after"),
                log.formatVmcoreDmesg());
        assertEquals(line(1_000_000, "before") + line(4_000_000, "after"),
                new String(log.format(DmesgFormat.MAKEDUMPFILE), StandardCharsets.ISO_8859_1));
    }

    @Test
    void timeStampsPrintAsUnsignedSecondsAndMicrosecondsOfAnyWidth() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 16);
        LogBuilders.Lockless ring = new LogBuilders.Lockless(mem, 4, 10);
        ring.add("zero", 0, 6, 0, 1, "", "");
        ring.add("wide", 123_456_789_012_345_678L, 6, 0, 1, "", "");
        ring.add("top", -1L, 6, 0, 1, "", ""); // 2^64 - 1 ns, printed unsigned as the C tools do
        ring.add("sub-microsecond", 999, 6, 0, 1, "", "");
        assertEquals("[    0.000000] zero\n[123456789.012345] wide\n[18446744073.709551] top\n"
                + "[    0.000000] sub-microsecond\n", read(mem).formatVmcoreDmesg());
    }

    @Test
    void escapingFollowsVmcoreDmesgAndMakedumpfileIndentsContinuationLines() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 16);
        LogBuilders.Lockless ring = new LogBuilders.Lockless(mem, 4, 10);
        byte[] text = {'a', 1, 0x7f, (byte) 0xe9, '\t', 'b', '\n', 'c', '\\', (byte) 0x80};
        ring.add(text, 5_000_000_000L, 6, 0, 1, "", "");
        KernelLog log = read(mem);
        assertArrayEquals(text, log.records().getFirst().text());
        assertEquals("[    5.000000] a\\x01\\x7f\\xe9\tb\nc\\\\x80\n", log.formatVmcoreDmesg());
        assertEquals("[    5.000000] a\\x01\\x7f\\xe9\tb\n" + repeat(' ', 15) + "c\\\\x80\n",
                new String(log.format(DmesgFormat.MAKEDUMPFILE), StandardCharsets.ISO_8859_1));
        assertEquals("[    5.000000] [      T1] a\\x01\\x7f\\xe9\tb\n" + repeat(' ', 26) + "c\\\\x80\n",
                new String(log.format(DmesgFormat.MAKEDUMPFILE.withCallerIds(true)), StandardCharsets.ISO_8859_1));
    }

    @Test
    void descriptorRangeLongerThanTheRingIsBounded() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 16);
        LogBuilders.Lockless ring = new LogBuilders.Lockless(mem, 4, 10);
        for (int i = 0; i < 5; i++) {
            ring.add("r" + i, i, 6, 0, 1, "", "");
        }
        mem.u64(LogBuilders.Lockless.RB + 32, 4 - 1_000_000_000L & ~(3L << 62)); // tail far behind head
        KernelLog log = read(mem);
        assertEquals(5, log.records().size());
        assertTrue(log.problems().stream().anyMatch(p -> p.contains("span more than")), log.problems().toString());
    }

    @Test
    void pagesMissingBesideTheRecordsCostNothing() throws IOException {
        // the walk reads the rings through windows; a window over a page the dump lacks falls back to
        // reading each record on its own, so records in present pages read as if the page were there
        SyntheticMemory mem = LogBuilders.kernel(1 << 16);
        LogBuilders.Lockless ring = new LogBuilders.Lockless(mem, 7, 13);
        ring.add("one", 1, 6, 0, 1, "", "");
        ring.add("two", 2, 6, 0, 1, "", "");
        ring.add("three", 3, 6, 0, 1, "", "");
        mem.hole(0x5000, 0x1000); // printk_info entries 47-92: never written
        mem.hole(0x9000, 0x1000); // the second page of the text ring: empty
        KernelLog log = read(mem);
        assertEquals(List.of("one", "two", "three"), log.records().stream().map(LogRecord::textString).toList());
        assertEquals(List.of(), log.problems());
    }

    @Test
    void aMissingTextPageLosesOnlyItsRecords() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 16);
        LogBuilders.Lockless ring = new LogBuilders.Lockless(mem, 7, 14);
        ring.add("a".repeat(3000), 1, 6, 0, 1, "", "");
        ring.add("b".repeat(2000), 2, 6, 0, 1, "", ""); // [3008, 5016) of the ring: in both pages
        ring.add("c".repeat(3500), 3, 6, 0, 1, "", ""); // [5016, 8524): in the second and third
        // d, [8524, 8632), lies in the third page only
        ring.add("d".repeat(100), 4, 6, 0, 1, "", "");
        mem.hole(0x9000, 0x1000);
        KernelLog log = read(mem);
        assertEquals(List.of(3000, 0, 0, 100), log.records().stream().map(r -> r.textString().length()).toList());
        assertEquals(2, log.problems().size(), log.problems().toString());
        assertTrue(log.problems().stream().allMatch(p -> p.contains("text not readable")), log.problems().toString());
    }

    @Test
    void descriptorHoldingAnotherIdIsSkipped() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 16);
        LogBuilders.Lockless ring = new LogBuilders.Lockless(mem, 4, 10);
        ring.add("one", 1, 6, 0, 1, "", "");
        long id = ring.add("two", 2, 6, 0, 1, "", "");
        ring.add("three", 3, 6, 0, 1, "", "");
        mem.u64(ring.desc(id), LogBuilders.Lockless.FINALIZED | (id + 16));
        KernelLog log = read(mem);
        assertEquals(List.of("one", "three"), log.records().stream().map(LogRecord::textString).toList());
        assertEquals(1, log.problems().size());
    }

    @Test
    void descriptorsSharingOneBlockCannotMultiplyTheText() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 16);
        LogBuilders.Lockless ring = new LogBuilders.Lockless(mem, 4, 8);
        long first = ring.add(repeat('x', 200), 1, 6, 0, 1, "", "");
        for (int i = 0; i < 15; i++) {
            long id = ring.add("y", 2 + i, 6, 0, 1, "", "");
            mem.u64(ring.desc(id) + 8, mem.u64(ring.desc(first) + 8)).u64(ring.desc(id) + 16,
                    mem.u64(ring.desc(first) + 16)).u16(ring.info(id) + 16, 200);
        }
        mem.u64(LogBuilders.Lockless.RB + 32, first);
        KernelLog log = read(mem);
        assertTrue(log.records().stream().mapToInt(LogRecord::textLength).sum() <= 256);
        assertTrue(log.problems().stream().anyMatch(p -> p.contains("more text than")), log.problems().toString());
    }

    @Test
    void implausibleSizesAndMissingKeysAreTypedErrors() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 16);
        new LogBuilders.Lockless(mem, 4, 10).add("x", 1, 6, 0, 1, "", "");
        mem.u32(LogBuilders.Lockless.RB, 31);
        KernelLogException big = assertThrows(KernelLogException.class, () -> read(mem));
        assertTrue(big.getMessage().contains("descriptor count"), big.getMessage());
        mem.u32(LogBuilders.Lockless.RB, 4);
        mem.info.remove("OFFSET(prb_desc_ring.head_id)");
        KernelLogException missing = assertThrows(KernelLogException.class, () -> read(mem));
        assertTrue(missing.getMessage().contains("OFFSET(prb_desc_ring.head_id)"), missing.getMessage());
        mem.info.clear();
        mem.info("OSRELEASE", "x");
        assertThrows(KernelLogException.class, () -> read(mem));
    }

    @ParameterizedTest(name = "struct {0}")
    @ValueSource(strings = {"printk_log", "log"})
    void structuredBufferWalksAcrossTheWrapMarker(String struct) throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 17);
        LogBuilders.Structured buf = new LogBuilders.Structured(mem, 256, struct);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String s = "msg " + i + repeat('.', i % 23);
            all.add(s);
            buf.add(s, i % 3 == 0 ? "SUBSYSTEM=pci" : "", 1_000_000L * i + 7, i % 8, i % 2);
        }
        KernelLog log = read(mem);
        assertEquals(KernelLog.Kind.STRUCTURED_BUFFER, log.kind());
        assertEquals(List.of(), log.problems());
        List<String> got = log.records().stream().map(LogRecord::textString).toList();
        assertEquals(buf.live.size(), got.size());
        assertTrue(got.size() >= 3);
        assertEquals(all.subList(all.size() - got.size(), all.size()), got);
        int firstIndex = all.size() - got.size();
        LogRecord last = log.records().getLast();
        assertEquals(19 % 8, last.level().getAsInt());
        assertEquals(19 % 2, last.facility().getAsInt());
        StringBuilder expected = new StringBuilder();
        for (int i = firstIndex; i < all.size(); i++) {
            expected.append(line(1_000_000L * i + 7, all.get(i)));
        }
        assertEquals(expected.toString(), log.formatVmcoreDmesg());
    }

    @Test
    void structuredBufferWithCorruptLengthStops() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 17);
        LogBuilders.Structured buf = new LogBuilders.Structured(mem, 256, "printk_log");
        buf.add("first", "", 1, 6, 0);
        buf.add("second", "", 2, 6, 0);
        mem.u16(LogBuilders.Structured.BUF + 8, 250); // first record claims to run past the buffer
        KernelLog log = read(mem);
        assertEquals("first", log.records().getFirst().textString());
        assertFalse(log.problems().isEmpty());
    }

    @Test
    void plainBufferIsTheLastBytesInWriteOrder() throws IOException {
        SyntheticMemory mem = LogBuilders.kernel(1 << 17);
        LogBuilders.Plain buf = new LogBuilders.Plain(mem, 64);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            String s = "<6>[    0.00000" + i % 10 + "] line " + i + "\n";
            all.append(s);
            buf.write(s);
        }
        KernelLog log = read(mem);
        assertEquals(KernelLog.Kind.PLAIN_BUFFER, log.kind());
        String expected = all.substring(all.length() - 64);
        assertEquals(expected, log.formatVmcoreDmesg());
        assertEquals("line 11", log.records().getLast().textString().replaceAll("^\\[[^]]*\\] ", ""));
        assertEquals(6, log.records().getLast().level().getAsInt());

        SyntheticMemory small = LogBuilders.kernel(1 << 17);
        new LogBuilders.Plain(small, 64).write("<4>short\n");
        assertEquals("<4>short\n", read(small).formatVmcoreDmesg());
    }
}
