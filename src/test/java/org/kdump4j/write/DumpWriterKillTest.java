package org.kdump4j.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed while writing a dump (SIGKILL: no shutdown hook runs) leaves nothing under the target name. */
class DumpWriterKillTest {
    @TempDir
    Path dir;

    @Test
    void aKilledWriterLeavesNoFileUnderTheTargetName() throws Exception {
        Path target = dir.resolve("dump.vmcore");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(java, "-cp", cp, KilledWriterMain.class.getName(), target.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            assertNotNull(line, "the child said nothing");
            assertTrue(line.startsWith("WRITING "), line);
            List<Path> partial = partials();
            assertEquals(1, partial.size(), "the child writes into one temporary file");
            assertTrue(Files.size(partial.getFirst()) > 0);
            assertFalse(Files.exists(target), "nothing under the target name while writing");
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertTrue(child.exitValue() != 0, "killed, not finished");
        assertFalse(Files.exists(target), "a killed write left a file under the target name");
        // what a kill can leave is the hidden temporary file, recognisable by its suffix
        for (Path p : partials()) {
            assertTrue(p.getFileName().toString().startsWith(".dump.vmcore."), p.toString());
            Files.delete(p);
        }
    }

    private List<Path> partials() throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(AtomicOutput.PARTIAL_SUFFIX)).toList();
        }
    }
}
