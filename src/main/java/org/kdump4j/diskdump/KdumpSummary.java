package org.kdump4j.diskdump;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kdump4j.internal.text.UtcTime;

/**
 * What {@code kdump4j info} shows about a kdump-compressed, flattened or split dump: format, header
 * version, block size, dump level and its meaning, codecs requested and used, page counts by status,
 * split parts and flattened records. As an ordered map (for JSON) or as text lines.
 *
 * @param map the facts in display order (values are strings, numbers, booleans, lists and maps)
 */
public record KdumpSummary(Map<String, Object> map) {

    /** Copies the map (keeping its order). */
    public KdumpSummary {
        map = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Summarises a dump (scans its descriptors once for the counts). */
    public static KdumpSummary of(KdumpFile f) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        KdumpHeader h = f.header();
        KdumpSubHeader s = f.subHeader();
        m.put("container", f.isFlattened() ? "flattened" : f.partNames().size() > 1 ? "split" : "kdump");
        m.put("signature", h.signature().strip());
        m.put("headerVersion", h.headerVersion());
        m.put("layout", f.layout().name());
        m.put("byteOrder", h.byteOrder().toString());
        m.put("utsMachine", h.utsname().machine());
        m.put("utsRelease", h.utsname().release());
        m.put("timestamp", h.timestampSeconds());
        m.put("blockSize", f.blockSize());
        m.put("maxMapnr", f.maxMapnr());
        m.put("nrCpus", h.nrCpus());
        m.put("status", "0x" + Integer.toHexString(h.status()));
        m.put("incomplete", f.isIncomplete());
        m.put("excludedVmemmap", (h.status() & KdumpHeader.STATUS_EXCLUDED_VMEMMAP) != 0);
        m.put("dumpLevel", s.dumpLevel().value());
        m.put("dumpLevelMeaning", s.dumpLevel().describe());
        m.put("physBase", "0x" + Long.toHexString(s.physBase()));
        m.put("requestedCompression", h.requestedCompressions().stream().map(Compression::displayName).toList());
        KdumpStatistics st = f.statistics();
        Map<String, Object> used = new LinkedHashMap<>();
        for (Compression c : Compression.values()) {
            long n = st.byCompression().getOrDefault(c, 0L);
            if (n > 0) {
                used.put(c.displayName(), n);
            }
        }
        m.put("pagesByCompression", used);
        m.put("sharedZeroPages", st.sharedZeroPages());
        Map<String, Object> byStatus = new LinkedHashMap<>();
        for (PageStatus p : PageStatus.values()) {
            byStatus.put(p.name().toLowerCase(java.util.Locale.ROOT), st.count(p));
        }
        m.put("pagesByStatus", byStatus);
        m.put("vmcoreinfoBytes", f.vmcoreInfo().map(b -> b.length).orElse(0));
        m.put("eraseinfoBytes", f.eraseInfo().map(b -> b.length).orElse(0));
        if (f.isFlattened()) {
            m.put("flattenedRecords", f.flattenedRecords());
        }
        if (f.isSplit()) {
            List<Object> parts = new ArrayList<>();
            List<String> names = f.partNames();
            List<KdumpSubHeader> subs = f.partSubHeaders();
            for (int i = 0; i < names.size(); i++) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("file", names.get(i));
                p.put("startPfn", "0x" + Long.toHexString(subs.get(i).startPfn()));
                p.put("endPfn", "0x" + Long.toHexString(subs.get(i).endPfn()));
                parts.add(p);
            }
            m.put("splitParts", parts);
        }
        return new KdumpSummary(m);
    }

    /** The summary as text lines for {@code info}. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add("Kdump-compressed dump:");
        out.add(line("  Container:     ", map.get("container"), " (signature '", map.get("signature"),
                "', header version ", map.get("headerVersion"), ", ", map.get("layout"), ", ", map.get("byteOrder"),
                ")"));
        out.add(line("  utsname:       machine '", map.get("utsMachine"), "', release '", map.get("utsRelease"), "'"));
        long ts = (Long) map.get("timestamp");
        if (ts != 0) {
            out.add(line("  Timestamp:     ", UtcTime.ofEpochSecond(ts), " (", ts, ")"));
        }
        out.add(line("  Block size:    ", map.get("blockSize"), " bytes, max_mapnr ", map.get("maxMapnr"), ", nr_cpus ",
                map.get("nrCpus"), ", phys_base ", map.get("physBase")));
        out.add(line("  Dump level:    ", map.get("dumpLevelMeaning")));
        out.add(line("  Status:        ", map.get("status"),
                Boolean.TRUE.equals(map.get("incomplete")) ? ", INCOMPLETE" : "",
                Boolean.TRUE.equals(map.get("excludedVmemmap")) ? ", vmemmap excluded" : ""));
        out.add(line("  Compression:   requested ", map.get("requestedCompression"), "; pages stored as ",
                map.get("pagesByCompression"), " (", map.get("sharedZeroPages"), " share the zero page)"));
        out.add(line("  Pages:         ", map.get("pagesByStatus")));
        if (map.containsKey("flattenedRecords")) {
            out.add(line("  Flattened:     ", map.get("flattenedRecords"), " records, indexed in place"));
        }
        if (map.containsKey("splitParts")) {
            for (Object o : (List<?>) map.get("splitParts")) {
                Map<?, ?> p = (Map<?, ?>) o;
                out.add(line("  Split part:    ", p.get("file"), " PFNs [", p.get("startPfn"), ", ", p.get("endPfn"), ")"));
            }
        }
        return List.copyOf(out);
    }

    /** The parts as {@code String.valueOf} gives them, one after the other (what {@code %s} printed). */
    private static String line(Object... parts) {
        StringBuilder sb = new StringBuilder(80);
        for (Object p : parts) {
            sb.append(p);
        }
        return sb.toString();
    }
}
