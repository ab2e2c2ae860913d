package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kdump4j.boot.MemorySize.GIB;
import static org.kdump4j.boot.MemorySize.MIB;

import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Canonical formatting keeps exactly what the kernel reads for every RAM size. */
class CrashKernelSpecTest {

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @DisplayName("canonical form: numbers in shortest suffix form, unread text dropped")
    @CsvSource(delimiter = '|', value = {
        "256M|256M",
        "0x10000000|256M",
        "0100M|64M",
        "268435456|256M",
        "256M@0|256M",
        "256M@|256M",
        "256M@xyz|256M",
        "256M@16Mxyz|256M@16M",
        "256M@0x1000000|256M@16M",
        "16E|0",
        "512M-2G:64M,2G-:128M|512M-2G:64M,2G-:128M",
        "0x20000000-2048M:65536K,2G-:0x8000000@16M|512M-2G:64M,2G-:128M@16M",
        // entries after one that covers every RAM size are never read
        "0-:128M,garbage|0-:128M",
        "0-1G:64M,1G-:128M,garbage@16M|0-1G:64M,1G-:128M@16M",
        // a non-comma ends the list; the kernel still finds '@' after the match
        "0-1G:64Mjunk@16M|0-1G:64M@16M",
        "0-1G:64M@16Mjunk|0-1G:64M@16M",
        "512M,high|512M,high",
        "0x20000000,high|512M,high",
        "0,low|0,low",
        "1G,cma|1G,cma",
    })
    void canonicalForm(String value, String canonical) throws Exception {
        CrashKernelSpec spec = CrashKernelSpec.parse(value);
        assertEquals(canonical, spec.format());
        assertEquals(spec, CrashKernelSpec.parse(spec.format()));
    }

    @Test
    @DisplayName("the parsed model: ranges with open end, base, suffix kind")
    void model() throws Exception {
        CrashKernelSpec.Ranges r = assertInstanceOf(CrashKernelSpec.Ranges.class, CrashKernelSpec.parse("512M-2G:64M,2G-:128M@16M"));
        assertEquals(List.of(new CrashKernelRange(512 * MIB, OptionalLong.of(2 * GIB), 64 * MIB),
                new CrashKernelRange(2 * GIB, OptionalLong.empty(), 128 * MIB)), r.ranges());
        assertEquals(16 * MIB, r.base());
        assertEquals(new CrashKernelSpec.Suffixed(512 * MIB, CrashKernelSpec.Suffix.HIGH), CrashKernelSpec.parse("512M,high"));
        assertEquals(new CrashKernelSpec.Simple(256 * MIB, 16 * MIB), CrashKernelSpec.parse("256M@16M"));
    }

    @ParameterizedTest(name = "\"{0}\" rejected: {1} at {2}")
    @DisplayName("rejected: what the kernel rejects for every RAM size, or for some")
    @CsvSource(delimiter = '|', value = {
        "256MB|UNRECOGNIZED_CHARACTER|4",
        "auto|MEMORY_VALUE_EXPECTED|0",
        "''|MEMORY_VALUE_EXPECTED|0",
        "1G:64M|DASH_EXPECTED|2",
        "2G-1G:64M|END_NOT_ABOVE_START|3",
        "0-1Gx:64M|COLON_EXPECTED|4",
        "0-1G:|MEMORY_VALUE_EXPECTED|5",
        "0-:128M@|BASE_EXPECTED|8",
        // reached by machines with 1G or more
        "0-1G:64M,garbage|MEMORY_VALUE_EXPECTED|9",
        // reached by machines below 512M: the prefix [0,512M) is not covered
        "512M-2G:64M,2G-:128M,junk|MEMORY_VALUE_EXPECTED|21",
        "512M,highx|UNRECOGNIZED_CHARACTER|4",
        "1Gx,cma|UNRECOGNIZED_CHARACTER|2",
        "0-:1G,high|UNRECOGNIZED_CHARACTER|1",
    })
    void rejected(String value, CrashKernelProblem problem, int position) {
        CrashKernelException e = assertThrows(CrashKernelException.class, () -> CrashKernelSpec.parse(value));
        assertEquals(problem, e.problem());
        assertEquals(position, e.position());
    }

    @Test
    @DisplayName("evaluate(): the canonical form gives the kernel's value for every RAM size")
    void evaluateMatchesKernel() throws Exception {
        CrashKernelSpec spec = CrashKernelSpec.parse("0-2G:64M,2G-:128M,junk");
        CrashKernelRules rules = CrashKernelRules.mainline();
        for (long ram : new long[] {400 * MIB, GIB, 2047 * MIB, 2 * GIB, 64 * GIB}) {
            assertEquals(CrashKernel.ofValue("0-2G:64M,2G-:128M,junk").parse(ram, rules), spec.evaluate(ram, rules));
        }
    }

    @Test
    @DisplayName("caller mistakes: a space or NUL cannot be in one value; a range end must be above its start")
    void callerMistakes() {
        assertThrows(IllegalArgumentException.class, () -> CrashKernelSpec.parse("1G 2G"));
        assertThrows(IllegalArgumentException.class, () -> new CrashKernelRange(2, OptionalLong.of(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new CrashKernelSpec.Ranges(List.of(), 0));
    }
}
