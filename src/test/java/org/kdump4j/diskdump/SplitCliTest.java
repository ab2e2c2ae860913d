package org.kdump4j.diskdump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kdump4j.cli.Main;
import org.kdump4j.testing.TestData;
import org.kdump4j.vmcore.DumpFormat;
import org.kdump4j.vmcore.MemoryDigest;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreOptions;

/** Split parts through the facade and the CLI: one dump, in any order, the same digest as the whole. */
class SplitCliTest {
    private static final String STEM = "x86_64-6.1-kexec-c.d31.kdump-lzo";

    private static String run(int expectedCode, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedCode, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void splitPartsInAnyOrderReadAsTheWholeDump() throws Exception {
        List<Path> parts = new ArrayList<>(Derived.split(STEM, 3));
        String whole = run(0, List.of("digest", TestData.dump(STEM).toString()));
        java.util.Collections.reverse(parts);
        List<String> args = new ArrayList<>(List.of("digest"));
        parts.forEach(p -> args.add(p.toString()));
        assertEquals(whole, run(0, args));
        try (Vmcore v = Vmcore.open(parts, VmcoreOptions.defaults())) {
            assertEquals(DumpFormat.KDUMP_COMPRESSED, v.format());
            assertEquals(whole.split(" ")[1], MemoryDigest.of(v.memory()).hex());
        }
    }

    @Test
    void partsOfDifferentDumpsAreRefused() {
        List<Path> parts = Derived.split(STEM, 2);
        String other = TestData.dump("x86_64-6.1-kexec-c.d31.kdump-zlib").toString();
        String msg = run(1, List.of("info", parts.getFirst().toString(), other));
        assertTrue(msg.contains("kdump4j info:"), msg);
        String elf = run(1, List.of("info", parts.getFirst().toString(), TestData.dump("x86_64-6.1-kexec-c.d31.elf")
                .toString()));
        assertTrue(elf.contains("split parts"), elf);
    }
}
