package org.kdump4j.boot;

/**
 * Why the kernel refuses a {@code crashkernel=} setting (and so reserves nothing), as a closed set a
 * caller can switch on; each constant names the kernel rule.
 */
public enum CrashKernelProblem {
    /** A number was required but no digit is there ({@code crashkernel=auto}, {@code crashkernel= 256M}). */
    MEMORY_VALUE_EXPECTED,
    /** A character follows a number where only the end of the token (or {@code @}) may ({@code 256MB}). */
    UNRECOGNIZED_CHARACTER,
    /** A range entry's start is not followed by {@code -} ({@code 1G:64M}). */
    DASH_EXPECTED,
    /** A range entry's end is not followed by {@code :}. */
    COLON_EXPECTED,
    /** A range entry's end is not above its start ({@code 2G-1G:64M}, {@code 1G-1G:64M}). */
    END_NOT_ABOVE_START,
    /** A range entry's size is not below the (rounded) RAM size; checked on every entry visited, matching or not. */
    RANGE_SIZE_NOT_BELOW_RAM,
    /** No range entry contains the RAM size, so the size is 0 and nothing is reserved. */
    NO_RANGE_MATCHES,
    /** {@code @} in the range syntax is not followed by a number ({@code 0-:128M@}). */
    BASE_EXPECTED,
    /** The size is 0 ({@code crashkernel=0}, {@code crashkernel=16E} which wraps to 0). */
    ZERO_SIZE,
    /** The size is not below the RAM size ({@code crashkernel=8G} on an 8 GiB machine). */
    SIZE_NOT_BELOW_RAM,
    /** {@code crashkernel=Y,low} without {@code crashkernel=X,high} (and without a plain token). */
    LOW_WITHOUT_HIGH,
    /** {@code crashkernel=Z,cma} without a plain or {@code ,high} reservation. */
    CMA_WITHOUT_RESERVATION,
    /** Only {@code ,high}/{@code ,low}/{@code ,cma} tokens, which this architecture or release does not read. */
    SUFFIX_NOT_READ
}
