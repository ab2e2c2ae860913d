package org.kdump4j.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the committed outputs of real tools ({@code readelf -a -W}, {@code eu-readelf -n}). */
public final class ToolOutputs {
    private ToolOutputs() {
    }

    /** One program header line of {@code readelf -l -W}. */
    public record ReadelfSegment(String type, long offset, long vaddr, long paddr, long filesz, long memsz, String flags,
            long align) {
    }

    /** One note as {@code readelf}/{@code eu-readelf} list it. */
    public record ToolNote(String owner, long size, String type, Map<String, Long> registers, Map<String, String> text,
            byte[] descriptor) {
        ToolNote(String owner, long size, String type, Map<String, Long> registers, Map<String, String> text) {
            this(owner, size, type, registers, text, null);
        }
    }

    /** The ELF header fields of {@code readelf -h}, by label ({@code Class}, {@code Machine}, ...). */
    public static Map<String, String> readelfHeader(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        boolean in = false;
        for (String line : out.split("\n")) {
            if (line.startsWith("ELF Header:")) {
                in = true;
                continue;
            }
            if (in) {
                if (line.isBlank()) {
                    break;
                }
                int colon = line.indexOf(':');
                m.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return m;
    }

    /** The program headers of {@code readelf -l -W}. */
    public static List<ReadelfSegment> readelfSegments(String out) {
        List<ReadelfSegment> l = new ArrayList<>();
        boolean in = false;
        for (String line : out.split("\n")) {
            if (line.startsWith("Program Headers:")) {
                in = true;
                continue;
            }
            if (!in) {
                continue;
            }
            if (line.isBlank()) {
                break;
            }
            String[] t = line.strip().split("\\s+");
            if (t[0].equals("Type")) {
                continue;
            }
            String align = t[t.length - 1];
            StringBuilder flags = new StringBuilder();
            for (int i = 6; i < t.length - 1; i++) {
                flags.append(t[i]);
            }
            l.add(new ReadelfSegment(t[0], hex(t[1]), hex(t[2]), hex(t[3]), hex(t[4]), hex(t[5]), flags.toString(),
                    hex(align)));
        }
        return l;
    }

    /** The notes of {@code readelf -n} ({@code Owner  Data size  Description} tables). */
    public static List<ToolNote> readelfNotes(String out) {
        List<ToolNote> l = new ArrayList<>();
        Pattern p = Pattern.compile("^  (\\S+)\\s+0x([0-9a-f]+)\\t(.*)$");
        for (String line : out.split("\n")) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                String rest = m.group(3);
                int data = rest.indexOf("description data:");
                byte[] desc = data < 0 ? null
                        : java.util.HexFormat.of().parseHex(rest.substring(data + 17).replace(" ", "").strip());
                l.add(new ToolNote(m.group(1), Long.parseLong(m.group(2), 16), rest.strip(), Map.of(), Map.of(), desc));
            }
        }
        return l;
    }

    private static final Pattern EU_NOTE = Pattern.compile("^  (\\S+)\\s+(\\d+)  (.*)$");
    private static final Pattern EU_PAIR = Pattern.compile("([a-z][a-z0-9_.]*):\\s+(-?0x[0-9a-f]+|-?\\d+)(?=\\s|$|,)");

    /** The notes of {@code eu-readelf -n}, with PRSTATUS registers and VMCOREINFO lines decoded. */
    public static List<ToolNote> euReadelfNotes(String out) {
        List<ToolNote> l = new ArrayList<>();
        String owner = null;
        long size = 0;
        String type = null;
        Map<String, Long> regs = new LinkedHashMap<>();
        Map<String, String> text = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            Matcher m = EU_NOTE.matcher(line);
            if (m.matches() && !line.startsWith("  Owner")) {
                if (owner != null) {
                    l.add(new ToolNote(owner, size, type, regs, text));
                }
                owner = m.group(1);
                size = Long.parseLong(m.group(2));
                type = m.group(3).strip();
                regs = new LinkedHashMap<>();
                text = new LinkedHashMap<>();
                continue;
            }
            if (owner == null || !line.startsWith("    ")) {
                continue;
            }
            String body = line.strip();
            if (owner.equals("VMCOREINFO")) {
                int eq = body.indexOf('=');
                if (eq > 0) {
                    text.putIfAbsent(body.substring(0, eq), body.substring(eq + 1));
                }
                continue;
            }
            Matcher pm = EU_PAIR.matcher(body);
            while (pm.find()) {
                String v = pm.group(2);
                boolean neg = v.startsWith("-");
                String digits = neg ? v.substring(1) : v;
                long val = digits.startsWith("0x") ? Long.parseUnsignedLong(digits.substring(2), 16)
                        : Long.parseLong(digits);
                regs.put(pm.group(1), neg ? -val : val);
            }
        }
        if (owner != null) {
            l.add(new ToolNote(owner, size, type, regs, text));
        }
        return l;
    }

    private static long hex(String s) {
        String h = s.startsWith("0x") ? s.substring(2) : s;
        return Long.parseUnsignedLong(h, 16);
    }
}
