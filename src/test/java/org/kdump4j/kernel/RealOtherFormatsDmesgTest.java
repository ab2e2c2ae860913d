package org.kdump4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kdump4j.cli.Main;
import org.kdump4j.testing.CliRun;
import org.kdump4j.testing.TestData;

/**
 * {@code kdump4j dmesg} on the committed non-ELF variants of the real dumps (kdump-compressed with each
 * codec, flattened) against makedumpfile's committed output for the same file (1.7.2 without callers,
 * 1.7.6 with callers), and against our own vmcore-dmesg-identical output for the ELF dump they were made
 * from; and the caller-id mode on the ELF dumps against makedumpfile 1.7.6 on their compressed copies.
 */
class RealOtherFormatsDmesgTest {
    private static final Pattern VARIANT = Pattern.compile("^(.*?)\\.(kdump-[a-z0-9]+(\\.flat)?|flat)$");
    private static final Pattern REFERENCE = Pattern.compile("^(.*)\\.makedumpfile(-1\\.7\\.6)?-dmesg\\.txt$");

    private static CliRun.Result cli(String... args) {
        return CliRun.run(args);
    }

    private static List<String> names() {
        try (Stream<Path> s = Files.list(TestData.vmcores())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every committed non-ELF single-file dump stem ({@code *.kdump-*}, {@code *.flat}). */
    static List<String> variants() {
        List<String> v = names().stream().filter(n -> n.endsWith(".gz")).map(n -> n.substring(0, n.length() - 3))
                .filter(n -> VARIANT.matcher(n).matches()).toList();
        assertFalse(v.isEmpty(), "no committed kdump-compressed or flattened dumps");
        return v;
    }

    /** Every committed makedumpfile reference output whose dump is a committed single file. */
    static List<String> references() {
        return names().stream().filter(n -> REFERENCE.matcher(n).matches()).filter(n -> {
            Matcher m = REFERENCE.matcher(n);
            m.matches();
            return Files.isRegularFile(TestData.vmcores().resolve(m.group(1) + ".gz"));
        }).toList();
    }

    private static CliRun.Result dmesg(String stem, String... options) {
        String[] args = Stream.concat(Stream.concat(Stream.of("dmesg"), Stream.of(options)),
                Stream.of(TestData.dump(stem).toString())).toArray(String[]::new);
        CliRun.Result run = cli(args);
        assertEquals(0, run.code(), run.err());
        return run;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("references")
    void dmesgIsByteIdenticalToMakedumpfile(String reference) {
        Matcher m = REFERENCE.matcher(reference);
        assertTrue(m.matches());
        String stem = m.group(1);
        boolean callers = m.group(2) != null; // 1.7.6 prints caller ids, 1.7.2 does not
        CliRun.Result run = callers ? dmesg(stem, "--makedumpfile", "--caller-id") : dmesg(stem, "--makedumpfile");
        assertEquals(TestData.reference(stem, reference.substring(stem.length() + 1)), run.out());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void variantGivesTheSameLogAsItsElfDump(String stem) {
        Matcher m = VARIANT.matcher(stem);
        assertTrue(m.matches());
        String elf = m.group(1) + ".elf";
        Assumptions.assumeTrue(TestData.elfDumps().contains(elf), "no ELF dump " + elf + " to compare with");
        CliRun.Result variant = dmesg(stem);
        CliRun.Result original = cli("dmesg", TestData.dump(elf).toString());
        assertEquals(0, original.code(), original.err());
        assertEquals(original.out(), variant.out());
        assertTrue(variant.out().contains("KDUMP4J-MARKER"));
    }

    /** Every committed raw memory image ({@code *.oldmem}) made from an ELF dump that is committed too. */
    static List<String> oldmemImages() {
        List<String> v = names().stream().filter(n -> n.endsWith(".oldmem.gz")).map(n -> n.substring(0, n.length() - 3))
                .filter(n -> TestData.elfDumps().contains(n.replaceFirst("\\.oldmem$", ".d31.elf"))).toList();
        assertFalse(v.isEmpty(), "no committed oldmem image");
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oldmemImages")
    void rawImageWithoutHeadersGivesTheLogOfItsSource(String stem) {
        // no ELF headers, no notes: VMCOREINFO is found in memory, then the page tables do the rest
        String elf = stem.replaceFirst("\\.oldmem$", ".d31.elf");
        String expected = TestData.reference(elf, "vmcore-dmesg.txt");
        CliRun.Result run = cli("dmesg", "--oldmem", TestData.dump(stem).toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(expected, run.out());
        Path iomem = TestData.vmcores().resolve(stem + ".iomem");
        if (Files.isRegularFile(iomem)) {
            CliRun.Result ranged = cli("dmesg", "--oldmem", "--iomem", iomem.toString(), TestData.dump(stem).toString());
            assertEquals(0, ranged.code(), ranged.err());
            assertEquals(expected, ranged.out());
        }
    }

    /** The 1.7.6 references of compressed copies, for the ELF dump each was made from. */
    static List<String> callerReferencesWithElfSource() {
        return names().stream().filter(n -> n.endsWith(".makedumpfile-1.7.6-dmesg.txt")).filter(n -> {
            Matcher m = VARIANT.matcher(n.substring(0, n.length() - ".makedumpfile-1.7.6-dmesg.txt".length()));
            return m.matches() && TestData.elfDumps().contains(m.group(1) + ".elf");
        }).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("callerReferencesWithElfSource")
    void callerIdModeOnTheElfDumpMatchesMakedumpfile176(String reference) {
        String stem = reference.substring(0, reference.length() - ".makedumpfile-1.7.6-dmesg.txt".length());
        Matcher m = VARIANT.matcher(stem);
        assertTrue(m.matches());
        CliRun.Result run = cli("dmesg", "--makedumpfile", "--caller-id", TestData.dump(m.group(1) + ".elf").toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(TestData.reference(stem, "makedumpfile-1.7.6-dmesg.txt"), run.out());
    }
}
