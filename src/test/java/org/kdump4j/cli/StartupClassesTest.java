package org.kdump4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kdump4j.testing.TestData;

/**
 * {@code info} and {@code dmesg} load none of the JDK's formatting machinery: every class a run loads
 * costs start-up time (and a place in {@code bin/kdump4j}'s class-data-sharing archive). Runs the CLI in a
 * fresh JVM with {@code -Xlog:class+load} on the dumps {@code bin/kdump4j} trains on.
 */
class StartupClassesTest {
    /** Class name prefixes that must not load: Formatter, locale data, java.time formatting, regex. */
    private static final List<String> FORBIDDEN = List.of("java.util.Formatter", "java.util.regex.",
            "java.time.format.", "java.time.chrono.", "java.time.LocalDate", "java.time.ZoneOffset",
            "java.time.temporal.IsoFields", "java.time.temporal.ChronoField", "java.text.",
            "sun.util.locale.provider.", "sun.util.cldr.", "sun.util.resources.", "sun.text.",
            "java.util.ResourceBundle", "java.util.ServiceLoader", "jdk.internal.jimage.");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "info --lenient x86_64-6.1-kexec-c.vmcore.head.gz",
        "info --json --lenient x86_64-6.1-kexec-c.vmcore.head.gz",
        "info x86_64-6.1-kexec-c.d31.kdump-lzo.gz",
        "info --json x86_64-6.1-kexec-c.d31.kdump-lzo.gz",
        "dmesg x86_64-6.1-kexec-c.d31.kdump-lzo.gz",
        "dmesg --json x86_64-6.1-kexec-c.d31.kdump-lzo.gz",
    })
    void loadsNoFormattingClasses(String commandLine) throws Exception {
        Path log = dir.resolve("classes.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xshare:off", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xlog:class+load=info:file=" + log, "--enable-native-access=ALL-UNNAMED",
                "-cp", cp, Main.class.getName()));
        for (String a : commandLine.split(" ")) {
            cmd.add(a.endsWith(".gz") ? TestData.file(a).toString() : a);
        }
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI did not finish");
        assertEquals(0, p.exitValue(), commandLine);
        List<String> loaded = Files.readAllLines(log).stream().map(StartupClassesTest::className).toList();
        assertTrue(loaded.contains(Main.class.getName()), "the log lists the classes loaded");
        List<String> bad = loaded.stream().filter(c -> FORBIDDEN.stream().anyMatch(c::startsWith)).toList();
        assertEquals(List.of(), bad, commandLine);
    }

    /** {@code [0.012s][info][class,load] java.lang.Object source: ...} to {@code java.lang.Object}. */
    private static String className(String line) {
        int at = line.indexOf("] ", line.indexOf("class,load"));
        if (at < 0) {
            return "";
        }
        int end = line.indexOf(' ', at + 2);
        return end < 0 ? line.substring(at + 2) : line.substring(at + 2, end);
    }
}
