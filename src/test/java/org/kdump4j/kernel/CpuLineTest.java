package org.kdump4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelFacts.CpuLine} against the pattern it replaced, on real lines and on random lines made of
 * the pieces that matter (digits, the field names, spaces, line terminators, surrogate pairs).
 */
class CpuLineTest {
    private static final Pattern CPU_LINE = Pattern.compile(
            "^CPU: (\\d+) (?:UID: \\d+ )?PID: (\\d+) Comm: (.{0,16}?)(?: Kdump: | Not tainted | Tainted: |$)");

    private static final String[] PIECES = {"CPU: ", "CPU:", "UID: ", "PID: ", " Comm: ", "Comm: ", " Kdump: ",
        " Not tainted ", " Tainted: ", "Tainted:", " ", " ", "0", "1", "42", "123456789012", "\u0661", "x", "kworker/3:1",
        "swapper/0", "sh", "\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029", "\ud83d\ude00", "\ud83d", "\ude00", "é",
        "abcdefghijklmnop", "abcdefghijklmnopq", "6.1.0-56-amd64 #1", "G      D"};

    private static void check(String text) {
        Matcher m = CPU_LINE.matcher(text);
        KernelFacts.CpuLine line = KernelFacts.CpuLine.parse(text);
        if (m.find()) {
            assertEquals(new KernelFacts.CpuLine(m.group(1), m.group(2), m.group(3)), line, () -> quote(text));
        } else {
            assertNull(line, () -> quote(text));
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.chars().forEach(c -> sb.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : "\\u%04x".formatted(c)));
        return sb.append('"').toString();
    }

    @Test
    void realLines() {
        List<String> lines = List.of(
                "CPU: 0 PID: 1 Comm: init Kdump: loaded Not tainted 6.1.0-56-amd64 #1 Debian 6.1.192-2",
                "CPU: 3 UID: 0 PID: 42 Comm: kworker/3:1 Tainted: G      D            6.12.0 #1",
                "CPU: 1 PID: 0 Comm: swapper/1 Not tainted 6.1.0 #1",
                "CPU: 1 PID: 0 Comm: swapper/1",
                "CPU: 1 PID: 0 Comm: swapper/1\n",
                "CPU: 1 PID: 0 Comm: swapper/1\r\n",
                "CPU: 1 PID: 0 Comm: swapper/1\n\n",
                "CPU: 1 PID: 0 Comm: 0123456789abcdef",
                "CPU: 1 PID: 0 Comm: 0123456789abcdefg",
                "CPU: 1 PID: 0 Comm: ",
                "CPU: 1 PID: 0 Comm:  Not tainted ",
                "CPU: 1 UID: PID: 0 Comm: x",
                "CPU: 1 UID: 5 PID: 0 Comm: a b Tainted: x",
                "CPU: 99999999999 PID: 0 Comm: x",
                " CPU: 1 PID: 0 Comm: x",
                "CPU: \u0661 PID: 0 Comm: x",
                "CPU: 1 PID: 0 Comm: \ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00"
                        + "\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00"
                        + "\ud83d\ude00\ud83d\ude00",
                "CPU: 1 PID: 0 Comm: a\rb",
                "CPU: 1 PID: 0 Comm: ab\u2028",
                "", "CPU", "hello");
        lines.forEach(CpuLineTest::check);
        KernelFacts.CpuLine l = KernelFacts.CpuLine.parse(lines.get(1));
        assertEquals(new KernelFacts.CpuLine("3", "42", "kworker/3:1"), l);
    }

    @Test
    void randomLines() {
        SplittableRandom r = new SplittableRandom(20261126);
        List<String> prefixes = new ArrayList<>(List.of("", "CPU: 1 ", "CPU: 1 PID: 2", "CPU: 1 PID: 2 Comm: ",
                "CPU: 12 UID: 0 PID: 345 Comm: ", "CPU: 1 UID: 7 "));
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder(prefixes.get(r.nextInt(prefixes.size())));
            int n = r.nextInt(12);
            for (int k = 0; k < n; k++) {
                sb.append(PIECES[r.nextInt(PIECES.length)]);
            }
            check(sb.toString());
        }
    }
}
