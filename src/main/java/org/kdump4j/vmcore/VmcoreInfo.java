package org.kdump4j.vmcore;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The crashed kernel's VMCOREINFO: {@code KEY=VALUE} lines the kernel writes for dump tools (symbol
 * addresses, structure sizes and offsets, page size, release, crash time).
 *
 * <p>Numbers follow the kernel's encodings: {@code SYMBOL(x)}, {@code KERNELOFFSET},
 * {@code KERNELOFFPHYS} and {@code IDENTITYBASE} are hex without {@code 0x}; values with {@code 0x} are
 * hex; everything else is signed decimal, stored as 64-bit two's complement. Lines without {@code =}
 * are ignored; the first occurrence of a key wins; a last line without a newline is kept.
 */
public final class VmcoreInfo {
    /** The most bytes parsed (VMCOREINFO is at most a page; generous for 64 KiB pages). */
    public static final int MAX_BYTES = 1 << 20;

    private final Map<String, String> entries;
    private final byte[] text;

    private VmcoreInfo(Map<String, String> entries, byte[] text) {
        this.entries = Collections.unmodifiableMap(entries);
        this.text = text;
    }

    /**
     * Parses VMCOREINFO text (the descriptor of a {@code VMCOREINFO} note). Parsing stops at the first
     * NUL byte; the input is cut at {@link #MAX_BYTES}.
     */
    public static VmcoreInfo parse(byte[] text) {
        int len = Math.min(text.length, MAX_BYTES);
        for (int i = 0; i < len; i++) {
            if (text[i] == 0) {
                len = i;
                break;
            }
        }
        // scanned as bytes, not split as a string: this runs on every open, right after JVM start
        Map<String, String> map = new LinkedHashMap<>();
        int start = 0;
        while (start <= len) {
            int end = start;
            int eq = -1;
            while (end < len && text[end] != '\n') {
                if (eq < 0 && text[end] == '=') {
                    eq = end;
                }
                end++;
            }
            if (eq > start) {
                map.putIfAbsent(new String(text, start, eq - start, StandardCharsets.ISO_8859_1),
                        new String(text, eq + 1, end - eq - 1, StandardCharsets.ISO_8859_1));
            }
            start = end + 1;
        }
        return new VmcoreInfo(map, java.util.Arrays.copyOf(text, len));
    }

    /** The text as parsed: the bytes up to the first NUL (at most {@link #MAX_BYTES}), a fresh copy. */
    public byte[] text() {
        return text.clone();
    }

    /** Every key/value pair in file order. */
    public Map<String, String> entries() {
        return entries;
    }

    /** The raw value of a key. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** {@code OSRELEASE}: the kernel release, e.g. {@code 6.1.0-27-amd64}. */
    public Optional<String> osRelease() {
        return get("OSRELEASE");
    }

    /** {@code BUILD-ID}: the kernel's GNU build id in hex. */
    public Optional<String> buildId() {
        return get("BUILD-ID");
    }

    /** {@code PAGESIZE}. */
    public OptionalLong pageSize() {
        return number("PAGESIZE", false);
    }

    /** {@code CRASHTIME}: seconds since the epoch at the panic (absent in live VMCOREINFO). */
    public OptionalLong crashTime() {
        return number("CRASHTIME", false);
    }

    /** {@code KERNELOFFSET}: the KASLR offset of the kernel image (hex). */
    public OptionalLong kernelOffset() {
        return number("KERNELOFFSET", true);
    }

    /** {@code SYMBOL(name)}: a runtime address (hex). */
    public OptionalLong symbol(String name) {
        return number("SYMBOL(" + name + ")", true);
    }

    /** {@code SIZE(name)}: a structure size. */
    public OptionalLong size(String name) {
        return number("SIZE(" + name + ")", false);
    }

    /** {@code OFFSET(struct.field)}: a member offset. */
    public OptionalLong offset(String structAndField) {
        return number("OFFSET(" + structAndField + ")", false);
    }

    /** {@code LENGTH(name)}: an array length. */
    public OptionalLong length(String name) {
        return number("LENGTH(" + name + ")", false);
    }

    /** {@code NUMBER(name)}: a signed number, or hex when written with {@code 0x}. */
    public OptionalLong number(String name) {
        return number("NUMBER(" + name + ")", false);
    }

    /** Whether {@code CONFIG_name=y} is present. */
    public boolean config(String name) {
        return "y".equals(entries.get("CONFIG_" + name));
    }

    private OptionalLong number(String key, boolean hexByDefault) {
        String v = entries.get(key);
        if (v == null) {
            return OptionalLong.empty();
        }
        return parseNumber(v.strip(), hexByDefault);
    }

    /**
     * Parses a VMCOREINFO number: {@code 0x} prefix means hex, else hex or signed decimal as the key's
     * family says. Returns empty for text that is not a number.
     */
    static OptionalLong parseNumber(String v, boolean hexByDefault) {
        try {
            if (v.startsWith("0x") || v.startsWith("0X")) {
                return OptionalLong.of(Long.parseUnsignedLong(v.substring(2), 16));
            }
            if (hexByDefault) {
                return OptionalLong.of(Long.parseUnsignedLong(v, 16));
            }
            if (v.startsWith("-")) {
                return OptionalLong.of(Long.parseLong(v));
            }
            return OptionalLong.of(Long.parseUnsignedLong(v));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public String toString() {
        return "VmcoreInfo[" + entries.size() + " entries, " + osRelease().orElse("?") + "]";
    }
}
