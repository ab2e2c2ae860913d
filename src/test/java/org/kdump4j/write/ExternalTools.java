package org.kdump4j.write;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external oracles (binutils, elfutils, gdb, kexec-tools, makedumpfile). A missing tool FAILS the
 * test with the package to install: CI runs on this machine and installs them ({@code .ci/run}).
 */
final class ExternalTools {
    private ExternalTools() {
    }

    /** What a tool printed. */
    record Run(int exit, String out, String err) {
    }

    /** The tool's path, or a failure naming the Debian package that provides it. */
    static String require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            for (String d : new String[] {dir, "/usr/sbin", "/sbin"}) {
                Path p = Path.of(d, tool);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return fail("external oracle '" + tool + "' is not installed: apt-get install -y " + debianPackage);
    }

    static Run run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("kdump4j-tool", ".out");
        Path err = Files.createTempFile("kdump4j-tool", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + cmd);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                    Files.readString(err, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
