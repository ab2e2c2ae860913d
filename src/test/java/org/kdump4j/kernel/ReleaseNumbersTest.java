package org.kdump4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link ReleaseNumbers} against the patterns it replaced. */
class ReleaseNumbersTest {
    private static final Pattern TWO = Pattern.compile("^(\\d+)\\.(\\d+)");
    private static final Pattern THREE = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    private static void check(String release) {
        for (Pattern p : List.of(TWO, THREE)) {
            Matcher m = p.matcher(release);
            String[] numbers = ReleaseNumbers.leading(release, m.groupCount());
            if (m.find()) {
                String[] groups = new String[m.groupCount()];
                for (int g = 0; g < groups.length; g++) {
                    groups[g] = m.group(g + 1);
                }
                assertArrayEquals(groups, numbers, release);
            } else {
                assertNull(numbers, release);
            }
        }
    }

    @Test
    void releases() {
        assertArrayEquals(new String[] {"6", "1", "0"}, ReleaseNumbers.leading("6.1.0-56-amd64", 3));
        assertArrayEquals(new String[] {"2", "6"}, ReleaseNumbers.leading("2.6.24", 2));
        assertNull(ReleaseNumbers.leading("6.1", 3));
        List<String> releases = new ArrayList<>(List.of("", "6", "6.", "6.1", "6.1.", "6.1.0", "6.12.0-rc1",
                "2.6.24.7", "5.4.0-generic", "v6.1", "6..1", ".6.1", "6.1.0a", "10.20.30.40", "\u0661.2.3", "6.\u06612",
                "99999999999.1.1", "6-1-0", " 6.1.0"));
        SplittableRandom r = new SplittableRandom(3);
        String alphabet = "0123456789..-a\u0661";
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(10);
            for (int k = 0; k < n; k++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            releases.add(sb.toString());
        }
        releases.forEach(ReleaseNumbersTest::check);
    }
}
