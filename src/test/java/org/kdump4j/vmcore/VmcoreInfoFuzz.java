package org.kdump4j.vmcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Fuzzes {@link VmcoreInfo#parse}: it never throws, every typed getter answers (a number or empty, never
 * an exception), keys and values hold no line break, and whatever follows the first NUL is ignored.
 */
class VmcoreInfoFuzz {

    @FuzzTest(maxDuration = "60s")
    void fuzz(byte[] data) {
        VmcoreInfo info = VmcoreInfo.parse(data);
        int nul = 0;
        while (nul < data.length && data[nul] != 0) {
            nul++;
        }
        for (Map.Entry<String, String> e : info.entries().entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            assertFalse(k.isEmpty());
            assertFalse(k.contains("\n") || v.contains("\n") || k.contains("=") || k.contains("\0")
                    || v.contains("\0"), k);
            assertEquals(v, info.get(k).orElseThrow());
            typed(info, k, v);
            VmcoreInfo.parseNumber(v, true);
            VmcoreInfo.parseNumber(v, false);
        }
        info.osRelease();
        info.buildId();
        info.pageSize();
        info.crashTime();
        info.kernelOffset();
        info.config("KASAN");
        info.toString();
        if (nul < data.length) {
            VmcoreInfo cut = VmcoreInfo.parse(Arrays.copyOf(data, nul));
            assertEquals(cut.entries(), info.entries(), "bytes after the first NUL are ignored");
        }
        // a line appended after a newline never changes earlier keys (first occurrence wins)
        if (nul == data.length && data.length < 4096) {
            byte[] more = Arrays.copyOf(data, data.length + 8);
            System.arraycopy("\nOSR=1\n".getBytes(StandardCharsets.ISO_8859_1), 0, more, data.length, 7);
            VmcoreInfo longer = VmcoreInfo.parse(Arrays.copyOf(more, data.length + 7));
            info.entries().forEach((k, v) -> {
                if (!longer.entries().containsKey(k)) {
                    throw new AssertionError("key lost: " + k);
                }
            });
        }
    }

    private static void typed(VmcoreInfo info, String k, String v) {
        int paren = k.indexOf('(');
        if (paren < 0 || !k.endsWith(")")) {
            return;
        }
        String family = k.substring(0, paren);
        String inner = k.substring(paren + 1, k.length() - 1);
        OptionalLong n = switch (family) {
            case "SYMBOL" -> info.symbol(inner);
            case "SIZE" -> info.size(inner);
            case "OFFSET" -> info.offset(inner);
            case "LENGTH" -> info.length(inner);
            case "NUMBER" -> info.number(inner);
            default -> null;
        };
        if (n == null) {
            return;
        }
        String s = v.strip();
        // cross-check plain decimals against the JDK
        if (!family.equals("SYMBOL") && digits(s, 18, 10)) {
            assertEquals(Long.parseLong(s), n.orElseThrow(), k);
        }
        if (family.equals("SYMBOL") && digits(s, 15, 16)) {
            assertEquals(Long.parseLong(s, 16), n.orElseThrow(), k);
        }
        if (n.isPresent()) {
            assertTrue(!s.isEmpty(), k);
        }
    }

    /** Whether {@code s} is 1..max digits of the radix (no sign, no prefix). */
    private static boolean digits(String s, int max, int radix) {
        if (s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), radix) < 0 || s.charAt(i) > 'f') {
                return false;
            }
        }
        return true;
    }
}
