package org.kdump4j.io;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Unaligned value layouts in both byte orders, as constants so hot reads allocate nothing. */
final class Layouts {
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Layouts() {
    }

    static ValueLayout.OfShort shortIn(ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN ? SHORT_LE : SHORT_BE;
    }

    static ValueLayout.OfInt intIn(ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN ? INT_LE : INT_BE;
    }

    static ValueLayout.OfLong longIn(ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN ? LONG_LE : LONG_BE;
    }
}
