package org.kdump4j.diskdump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.kdump4j.testing.ExternalTools;
import org.kdump4j.testing.TestData;
import org.kdump4j.vmcore.DumpFormat;
import org.kdump4j.vmcore.MemoryDigest;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreOptions;

/**
 * The makedumpfile outputs too large to commit (uncompressed pages, {@code -F} flattened, {@code --split}),
 * made here by the real makedumpfile from the committed {@code -d 31} ELF dump, read as the same memory as
 * the committed LZO file; {@code reassemble} of the real flattened stream equals {@code makedumpfile -R}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MakedumpfileVariantsTest {
    private static final String STEM = "x86_64-6.1-kexec-c.d31";
    private Path dir;
    private MemoryDigest reference;
    private String makedumpfile;

    @BeforeAll
    void makeVariants() throws Exception {
        makedumpfile = ExternalTools.require("makedumpfile", "makedumpfile");
        dir = Path.of("target", "testdata", "makedumpfile");
        Files.createDirectories(dir);
        try (Vmcore v = Vmcore.open(TestData.dump(STEM + ".kdump-lzo"))) {
            reference = MemoryDigest.of(v.memory());
        }
        assertTrue(reference.pages() > 1000, reference.toString());
    }

    private Path make(String name, List<String> args) throws Exception {
        Path out = dir.resolve(name);
        Files.deleteIfExists(out);
        List<String> cmd = new java.util.ArrayList<>(List.of(makedumpfile));
        cmd.addAll(args);
        ExternalTools.Run r = ExternalTools.run(cmd);
        assertEquals(0, r.exit(), r.err());
        return out;
    }

    @Test
    void uncompressedPagesReadAsTheSameMemory() throws Exception {
        String elf = TestData.dump(STEM + ".elf").toString();
        Path raw = make("uncompressed.kdump", List.of("-d", "31", elf, dir.resolve("uncompressed.kdump").toString()));
        try (Vmcore v = Vmcore.open(raw)) {
            assertEquals(DumpFormat.KDUMP_COMPRESSED, v.format());
            assertEquals(reference, MemoryDigest.of(v.memory()));
        }
    }

    @Test
    void splitPartsReadAsTheSameMemory() throws Exception {
        String elf = TestData.dump(STEM + ".elf").toString();
        Path p1 = dir.resolve("part1");
        Path p2 = dir.resolve("part2");
        Files.deleteIfExists(p1);
        Files.deleteIfExists(p2);
        make("part1", List.of("-l", "-d", "31", "--split", "--splitblock-size", "16384", elf, p1.toString(),
                p2.toString()));
        try (Vmcore v = Vmcore.open(List.of(p2, p1), VmcoreOptions.defaults())) {
            assertEquals(reference, MemoryDigest.of(v.memory()));
        }
    }

    @Test
    void flattenedStreamReadsInPlaceAndReassemblesLikeMakedumpfile() throws Exception {
        Path flat = dir.resolve("flat");
        ExternalTools.Run r = ExternalTools.run(List.of(makedumpfile, "-F", "-l", "-d", "31",
                TestData.dump(STEM + ".elf").toString()), Path.of("/dev/null"), flat);
        assertEquals(0, r.exit(), r.err());
        try (Vmcore v = Vmcore.open(flat)) {
            assertEquals(DumpFormat.FLATTENED, v.format());
            assertEquals(reference, MemoryDigest.of(v.memory()));
        }
        Path theirs = dir.resolve("reassembled-by-makedumpfile");
        Path ours = dir.resolve("reassembled-by-kdump4j");
        Files.deleteIfExists(theirs);
        Files.deleteIfExists(ours);
        ExternalTools.Run back = ExternalTools.run(List.of(makedumpfile, "-R", theirs.toString()), flat, null);
        assertEquals(0, back.exit(), back.err());
        Flattened.reassemble(flat, ours);
        assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours));
    }

    @Test
    void convertToElfIsReadByReadelfAndMakedumpfileLikeTheOriginal() throws Exception {
        Path elf = dir.resolve("converted.elf");
        Files.deleteIfExists(elf);
        org.kdump4j.write.DumpWriter.write(TestData.dump(STEM + ".kdump-lzo"), VmcoreOptions.defaults(), elf,
                org.kdump4j.write.DumpWriteOptions.defaults());
        ExternalTools.Run readelf = ExternalTools.run(List.of(ExternalTools.require("readelf", "binutils"), "-a", "-W",
                elf.toString()));
        assertEquals(0, readelf.exit(), readelf.err());
        assertEquals("", readelf.err().strip(), "readelf warnings");
        Path log = dir.resolve("converted.dmesg");
        Files.deleteIfExists(log);
        ExternalTools.Run dmesg = ExternalTools.run(List.of(makedumpfile, "--dump-dmesg", elf.toString(),
                log.toString()));
        assertEquals(0, dmesg.exit(), dmesg.err());
        assertEquals(TestData.reference(STEM + ".kdump-lzo", "makedumpfile-dmesg.txt"),
                Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1));
        try (Vmcore v = Vmcore.open(elf)) {
            assertEquals(reference, MemoryDigest.of(v.memory()));
        }
    }
}
