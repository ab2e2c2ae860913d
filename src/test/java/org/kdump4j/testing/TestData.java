package org.kdump4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The committed real dumps of {@code testdata/vmcores/} and the reference outputs of real tools beside
 * them. Gzip-wrapped dumps are unpacked once into {@code target/testdata/}. A missing file fails the
 * test: the data is committed, so absence is a bug, never a reason to skip.
 */
public final class TestData {
    private TestData() {
    }

    /** The {@code testdata} directory. */
    public static Path root() {
        String env = System.getenv("KDUMP4J_TESTDATA");
        Path p = env != null ? Path.of(env) : Path.of("testdata");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("testdata directory not found: " + p.toAbsolutePath());
        }
        return p;
    }

    /** {@code testdata/vmcores}. */
    public static Path vmcores() {
        return root().resolve("vmcores");
    }

    /** A committed file (must exist). */
    public static Path file(String name) {
        Path p = vmcores().resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing committed test file: " + p);
        }
        return p;
    }

    /** The dump {@code stem}, unpacked from {@code stem.gz} into target/testdata if needed. */
    public static synchronized Path dump(String stem) {
        Path plain = vmcores().resolve(stem);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = file(stem + ".gz");
        Path out = Path.of("target", "testdata", stem);
        try {
            if (Files.isRegularFile(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(gz)) >= 0) {
                return out;
            }
            Files.createDirectories(out.getParent());
            Path tmp = out.resolveSibling(stem + ".tmp");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16);
                    OutputStream o = Files.newOutputStream(tmp)) {
                in.transferTo(o);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + gz, e);
        }
    }

    /** Every committed ELF dump stem (files named {@code *.vmcore(.gz)} or {@code *.elf(.gz)}). */
    public static List<String> elfDumps() {
        try (Stream<Path> s = Files.list(vmcores())) {
            return s.map(p -> p.getFileName().toString()).map(n -> n.endsWith(".gz") ? n.substring(0, n.length() - 3) : n)
                    .filter(n -> n.endsWith(".vmcore") || n.endsWith(".elf")).sorted().distinct().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed unmodified first MiB of real vmcores ({@code *.vmcore.head.gz}), as stems. */
    public static List<String> headDumps() {
        try (Stream<Path> s = Files.list(vmcores())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".head.gz"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reference output beside a dump, e.g. {@code reference("x.vmcore", "readelf.txt")}. */
    public static String reference(String stem, String suffix) {
        try {
            return Files.readString(file(stem + "." + suffix), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
