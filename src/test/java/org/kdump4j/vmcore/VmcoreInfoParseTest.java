package org.kdump4j.vmcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link VmcoreInfo#parse} against the plain rule it implements, on generated texts. */
class VmcoreInfoParseTest {
    /** The rule, written the obvious way: lines split at '\n', key up to the first '=', first key wins. */
    private static Map<String, String> reference(byte[] text) {
        int len = Math.min(text.length, VmcoreInfo.MAX_BYTES);
        for (int i = 0; i < len; i++) {
            if (text[i] == 0) {
                len = i;
                break;
            }
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : new String(text, 0, len, StandardCharsets.ISO_8859_1).split("\n", -1)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                map.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return map;
    }

    static LongStream seeds() {
        return LongStream.range(0, 400);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void parsesLikeTheRule(long seed) {
        Random r = new Random(seed);
        byte[] alphabet = "AB=\n\r(x).0\u00e9 ".getBytes(StandardCharsets.ISO_8859_1);
        List<Byte> bytes = new ArrayList<>();
        int n = r.nextInt(seed % 50 == 0 ? 3000 : 120);
        for (int i = 0; i < n; i++) {
            bytes.add(r.nextInt(40) == 0 ? 0 : alphabet[r.nextInt(alphabet.length)]);
        }
        byte[] text = new byte[bytes.size()];
        for (int i = 0; i < text.length; i++) {
            text[i] = bytes.get(i);
        }
        VmcoreInfo info = VmcoreInfo.parse(text);
        Map<String, String> expected = reference(text);
        assertEquals(expected, info.entries());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(info.entries().keySet()), "file order");
        int cut = 0;
        while (cut < text.length && text[cut] != 0) {
            cut++;
        }
        assertArrayEquals(java.util.Arrays.copyOf(text, cut), info.text());
    }
}
