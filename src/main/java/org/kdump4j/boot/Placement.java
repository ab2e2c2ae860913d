package org.kdump4j.boot;

/** Where the reservation code looks for the crash region, because the same size lands differently per form and architecture. */
public enum Placement {
    /** Exactly at the requested base ({@code @offset}); one attempt, no fallback. */
    FIXED,
    /** Highest fitting aligned block below the low limit; if none, above it plus the default low area. */
    LOW_FIRST,
    /** Above the low limit first ({@code ,high}); if none, below it. A low area is added when it lands high. */
    HIGH_FIRST,
    /** Chosen by architecture code that kdump4j does not model in detail (ppc64 RMA rule, s390x, ia64). */
    ARCH_CHOOSES
}
