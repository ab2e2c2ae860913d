package org.kdump4j.kernel;

/**
 * The leading numbers of a kernel release string ({@code 6.1.0-27-amd64} starts with {@code 6}, {@code 1},
 * {@code 0}), found by hand: what {@code ^(\d+)\.(\d+)} and {@code ^(\d+)\.(\d+)\.(\d+)} find, without
 * compiling a pattern on the way to the kernel log.
 */
final class ReleaseNumbers {
    private ReleaseNumbers() {
    }

    /**
     * The first {@code count} runs of ASCII digits at the start of {@code release}, separated by single
     * dots, each as long as it goes; {@code null} when the release does not start that way.
     */
    static String[] leading(String release, int count) {
        String[] runs = new String[count];
        int pos = 0;
        for (int k = 0; k < count; k++) {
            if (k > 0) {
                if (pos >= release.length() || release.charAt(pos) != '.') {
                    return null;
                }
                pos++;
            }
            int start = pos;
            while (pos < release.length() && isDigit(release.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                return null;
            }
            runs[k] = release.substring(start, pos);
        }
        return runs;
    }

    /** {@code \d} without {@code UNICODE_CHARACTER_CLASS}: ASCII digits only. */
    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
