package org.kdump4j.diskdump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kdump4j.testing.TestData;

/**
 * Page by page against Debian's libkdumpfile (python3-libkdumpfile), where it is installed: the same
 * pages are readable, with the same bytes, and every page libkdumpfile cannot read is one we report as
 * not present. Skipped when {@code /usr/bin/python3} cannot import {@code kdumpfile} (an optional
 * system package, not a project dependency).
 */
class LibkdumpfileComparisonTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SCRIPT = String.join("\n",
            "import sys, hashlib, kdumpfile",
            "k = kdumpfile.kdumpfile(sys.argv[1])",
            "out = sys.stdout",
            "for pfn in range(int(sys.argv[2])):",
            "    try:",
            "        d = k.read(kdumpfile.KDUMP_MACHPHYSADDR, pfn * 4096, 4096)",
            "        out.write('%x %s\\n' % (pfn, hashlib.sha256(d).hexdigest()))",
            "    except kdumpfile.exceptions.NoDataException as e:",
            "        pass",
            "    except kdumpfile.exceptions.KDumpBaseException as e:",
            "        out.write('%x ERR %s\\n' % (pfn, type(e).__name__))");

    private static boolean libkdumpfileAvailable() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import kdumpfile").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"x86_64-6.1-kexec-c.d31.kdump-lzo", "x86_64-6.1-kexec-c.d31.kdump-zlib"})
    void samePagesSameBytesAsLibkdumpfile(String stem) throws Exception {
        Assumptions.assumeTrue(libkdumpfileAvailable(), "python3-libkdumpfile is not installed");
        Path path = TestData.dump(stem);
        try (KdumpFile f = KdumpFile.open(path)) {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT, path.toString(), Long.toString(f.maxMapnr()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES));
            assertEquals(0, p.exitValue());
            Map<Long, String> theirs = new TreeMap<>();
            for (String line : out.split("\n")) {
                if (!line.isEmpty()) {
                    String[] w = line.split(" ");
                    theirs.put(Long.parseLong(w[0], 16), w[1]);
                }
            }
            Map<Long, String> ours = new TreeMap<>();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            f.memory().forEachPage((pfn, page) -> {
                md.update(page.asByteBuffer());
                ours.put(pfn, HexFormat.of().formatHex(md.digest()));
            });
            assertTrue(ours.size() > 1000);
            assertEquals(theirs.keySet(), ours.keySet(), "the same pages are readable");
            assertEquals(theirs, ours, "with the same bytes");
            for (long pfn = 0; pfn < f.maxMapnr(); pfn += 97) {
                if (!theirs.containsKey(pfn)) {
                    PageStatus s = f.status(pfn);
                    assertTrue(s == PageStatus.EXCLUDED || s == PageStatus.OUTSIDE, "pfn 0x" + Long.toHexString(pfn) + " " + s);
                }
            }
        }
    }
}
