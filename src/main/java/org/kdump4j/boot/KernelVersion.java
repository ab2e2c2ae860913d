package org.kdump4j.boot;

import java.util.Objects;

/**
 * A Linux kernel release as major.minor, because the meaning of {@code crashkernel=} changed between
 * releases (128 MiB rounding in 5.17, {@code ,cma} in 6.17, generic reservation in 6.6).
 *
 * @param major the major number, e.g. 6
 * @param minor the minor number, e.g. 17
 */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
    /** The newest behaviour modelled (Linux 6.17, which added {@code crashkernel=size,cma}). */
    public static final KernelVersion MAINLINE = new KernelVersion(6, 17);

    /** Checks that both numbers are non-negative. */
    public KernelVersion {
        if (major < 0 || minor < 0 || major > 999 || minor > 999) {
            throw new IllegalArgumentException("bad kernel version " + major + "." + minor);
        }
    }

    /**
     * Reads {@code X.Y} from the start of a release string such as {@code 6.1}, {@code 5.14.0-427.el9.x86_64}
     * or {@code 6.8.0-45-generic}.
     *
     * @throws IllegalArgumentException if the text does not start with {@code digits.digits}
     */
    public static KernelVersion parse(String release) {
        Objects.requireNonNull(release, "release");
        int i = 0;
        int major = 0;
        int start = i;
        while (i < release.length() && i - start < 3 && Character.isDigit(release.charAt(i)) && release.charAt(i) < 0x80) {
            major = major * 10 + (release.charAt(i++) - '0');
        }
        if (i == start || i >= release.length() || release.charAt(i) != '.') {
            throw new IllegalArgumentException("kernel version must look like X.Y (e.g. 6.1): '" + release + "'");
        }
        start = ++i;
        int minor = 0;
        while (i < release.length() && i - start < 3 && Character.isDigit(release.charAt(i)) && release.charAt(i) < 0x80) {
            minor = minor * 10 + (release.charAt(i++) - '0');
        }
        if (i == start || i < release.length() && Character.isDigit(release.charAt(i))) {
            throw new IllegalArgumentException("kernel version must look like X.Y (e.g. 6.1): '" + release + "'");
        }
        return new KernelVersion(major, minor);
    }

    /** Whether this release is {@code major.minor} or newer. */
    public boolean atLeast(int major, int minor) {
        return compareTo(new KernelVersion(major, minor)) >= 0;
    }

    @Override
    public int compareTo(KernelVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    /** {@code major.minor}. */
    @Override
    public String toString() {
        return major + "." + minor;
    }
}
