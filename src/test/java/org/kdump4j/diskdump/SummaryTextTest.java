package org.kdump4j.diskdump;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The text of {@link KdumpSummary#lines()} and the small string checks of {@link KdumpHeader} and
 * {@link KdumpFile}, against the {@code String.format}, {@code Instant} and regex code they replaced.
 */
class SummaryTextTest {

    /** {@code lines()} as it was written with {@code String.format} and {@code Instant.toString()}. */
    private static List<String> formatted(Map<String, Object> map) {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add("Kdump-compressed dump:");
        out.add(String.format("  Container:     %s (signature '%s', header version %s, %s, %s)", map.get("container"),
                map.get("signature"), map.get("headerVersion"), map.get("layout"), map.get("byteOrder")));
        out.add(String.format("  utsname:       machine '%s', release '%s'", map.get("utsMachine"), map.get("utsRelease")));
        long ts = (Long) map.get("timestamp");
        if (ts != 0) {
            out.add(String.format("  Timestamp:     %s (%d)", Instant.ofEpochSecond(ts), ts));
        }
        out.add(String.format("  Block size:    %s bytes, max_mapnr %s, nr_cpus %s, phys_base %s", map.get("blockSize"),
                map.get("maxMapnr"), map.get("nrCpus"), map.get("physBase")));
        out.add(String.format("  Dump level:    %s", map.get("dumpLevelMeaning")));
        out.add(String.format("  Status:        %s%s%s", map.get("status"),
                Boolean.TRUE.equals(map.get("incomplete")) ? ", INCOMPLETE" : "",
                Boolean.TRUE.equals(map.get("excludedVmemmap")) ? ", vmemmap excluded" : ""));
        out.add(String.format("  Compression:   requested %s; pages stored as %s (%s share the zero page)",
                map.get("requestedCompression"), map.get("pagesByCompression"), map.get("sharedZeroPages")));
        out.add(String.format("  Pages:         %s", map.get("pagesByStatus")));
        if (map.containsKey("flattenedRecords")) {
            out.add(String.format("  Flattened:     %s records, indexed in place", map.get("flattenedRecords")));
        }
        if (map.containsKey("splitParts")) {
            for (Object o : (List<?>) map.get("splitParts")) {
                Map<?, ?> p = (Map<?, ?>) o;
                out.add(String.format("  Split part:    %s PFNs [%s, %s)", p.get("file"), p.get("startPfn"),
                        p.get("endPfn")));
            }
        }
        return out;
    }

    private static Map<String, Object> summary(SplittableRandom r, long timestamp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("container", r.nextBoolean() ? "kdump" : r.nextBoolean() ? "flattened" : "split");
        m.put("signature", r.nextBoolean() ? "KDUMP" : "DISKDUMP");
        m.put("headerVersion", r.nextInt(-1, 8));
        m.put("layout", r.nextBoolean() ? "LP64" : "ILP32_ALIGNED");
        m.put("byteOrder", r.nextBoolean() ? "LITTLE_ENDIAN" : "BIG_ENDIAN");
        m.put("utsMachine", r.nextBoolean() ? "x86_64" : "");
        m.put("utsRelease", r.nextBoolean() ? "6.1.0-56-amd64" : "we'ird\u00e9");
        m.put("timestamp", timestamp);
        m.put("blockSize", r.nextInt());
        m.put("maxMapnr", r.nextLong());
        m.put("nrCpus", r.nextInt());
        m.put("status", "0x" + Integer.toHexString(r.nextInt()));
        m.put("incomplete", r.nextBoolean());
        m.put("excludedVmemmap", r.nextBoolean());
        m.put("dumpLevel", 31);
        m.put("dumpLevelMeaning", new DumpLevel(r.nextInt(-1, 40)).describe());
        m.put("physBase", "0x" + Long.toHexString(r.nextLong()));
        m.put("requestedCompression", r.nextBoolean() ? List.of("lzo") : List.of());
        Map<String, Object> used = new LinkedHashMap<>();
        used.put("raw", r.nextLong(1 << 20));
        used.put("zstd", r.nextLong(1 << 20));
        m.put("pagesByCompression", used);
        m.put("sharedZeroPages", r.nextLong(1 << 20));
        m.put("pagesByStatus", Map.of("present", r.nextLong(1 << 20)));
        m.put("vmcoreinfoBytes", r.nextInt(5000));
        m.put("eraseinfoBytes", 0);
        if (r.nextBoolean()) {
            m.put("flattenedRecords", r.nextLong(1 << 20));
        }
        if (r.nextBoolean()) {
            List<Object> parts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("file", "/tmp/dump." + i);
                p.put("startPfn", "0x" + Long.toHexString(r.nextLong(1 << 20)));
                p.put("endPfn", r.nextBoolean() ? "0x" + Long.toHexString(r.nextLong(1 << 20)) : null);
                parts.add(p);
            }
            m.put("splitParts", parts);
        }
        return m;
    }

    @Test
    void linesAreWhatStringFormatWrote() {
        SplittableRandom r = new SplittableRandom(20261126);
        List<Long> times = new ArrayList<>(List.of(0L, 1L, -1L, 1_795_732_867L, 253_402_300_799L, 253_402_300_800L,
                -62_167_219_200L, -62_167_219_201L, 0xffff_ffffL));
        for (int i = 0; i < 2000; i++) {
            times.add(r.nextLong(-100_000_000_000L, 300_000_000_000L));
        }
        for (long t : times) {
            Map<String, Object> m = summary(r, t);
            assertEquals(formatted(m), new KdumpSummary(m).lines(), () -> Long.toString(t));
        }
    }

    @Test
    void i386NamesAreThePattern() {
        List<String> names = new ArrayList<>(List.of("i386", "i486", "i586", "i686", "i286", "i786", "i86", "i3866",
                "I386", "x86", "x86_64", "", "i38", "i3a6", "i398", "ı386"));
        String alphabet = "i3456789x_";
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(6); k > 0; k--) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            names.add(sb.toString());
        }
        for (String n : names) {
            assertEquals(n.matches("i[3-6]86"), KdumpHeader.isI386(n), n);
        }
    }

    @Test
    void printableSignatureIsTheReplacement() {
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[8];
            r.nextBytes(b);
            String sig = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertEquals(sig.replaceAll("[^ -~]", "?"), KdumpFile.printable(sig));
        }
        assertEquals("KD?MP ~ ", KdumpFile.printable("KD\u0000MP ~ "));
    }
}
