package org.kdump4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI's JSON writer: escapes (against the {@code String.format} it used) and layout. */
class JsonTest {

    @Test
    void everyCharacterIsEscapedAsBefore() {
        for (int c = 0; c <= 0xffff; c++) {
            char ch = (char) c;
            String body = switch (ch) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> ch < 0x20 || ch == 0x7f ? String.format("\\u%04x", c) : String.valueOf(ch);
            };
            assertEquals("\"a" + body + "z\"", Json.write("a" + ch + "z"), Integer.toHexString(c));
        }
    }

    @Test
    void layout() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "x\u0001\u001f\u007f");
        m.put("n", -5L);
        m.put("d", 21.5);
        m.put("b", true);
        m.put("l", List.of(1, "two"));
        m.put("e", Map.of());
        m.put("z", null);
        assertEquals("""
                {
                  "s": "x\\u0001\\u001f\\u007f",
                  "n": -5,
                  "d": 21.5,
                  "b": true,
                  "l": [
                    1,
                    "two"
                  ],
                  "e": {},
                  "z": null
                }""", Json.write(m));
    }
}
