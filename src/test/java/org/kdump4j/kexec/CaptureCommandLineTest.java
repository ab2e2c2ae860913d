package org.kdump4j.kexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The capture kernel's command line: arch options, reuse of the running line, root= and init arguments. */
class CaptureCommandLineTest {
    @Test
    void captureOptionsPerArchitecture() {
        assertEquals("1 irqpoll maxcpus=1 reset_devices", CaptureCommandLine.forAbi(KexecAbi.X86_64).build());
        assertEquals("1 irqpoll maxcpus=1 reset_devices", CaptureCommandLine.forAbi(KexecAbi.AARCH64).build());
        assertEquals("1 maxcpus=1 noirqdistrib reset_devices", CaptureCommandLine.forAbi(KexecAbi.PPC64).build());
    }

    @Test
    void reuseDropsBootImageCrashkernelAndWhatTheOptionsReplace() {
        String running = "BOOT_IMAGE=/vmlinuz-6.1.0 root=UUID=abc ro quiet crashkernel=256M maxcpus=8 console=ttyS0\n";
        assertEquals("root=UUID=abc ro quiet console=ttyS0 1 irqpoll maxcpus=1 reset_devices",
                CaptureCommandLine.forAbi(KexecAbi.X86_64).reuse(running).build());
    }

    @Test
    void givenBaseIsKeptAndOptionsAreNotRepeated() {
        assertEquals("console=ttyS0 maxcpus=2 1 irqpoll reset_devices",
                CaptureCommandLine.forAbi(KexecAbi.X86_64).base("console=ttyS0 maxcpus=2").build());
        assertEquals("console=ttyS0", CaptureCommandLine.forAbi(KexecAbi.X86_64).base("console=ttyS0").captureOptions(false).build());
    }

    @Test
    void rootReplacesAndCustomPartsAndInitArgumentsKeepTheirPlace() {
        String line = CaptureCommandLine.forAbi(KexecAbi.X86_64)
                .reuse("root=/dev/sda1 \"acpi=off\" -- --init-arg x")
                .root("/dev/vda").add("nr_cpus=1 systemd.unit=kdump.service").build();
        assertEquals("\"acpi=off\" 1 irqpoll maxcpus=1 reset_devices root=/dev/vda nr_cpus=1 systemd.unit=kdump.service"
                + " -- --init-arg x", line);
        assertThrows(IllegalArgumentException.class, () -> CaptureCommandLine.forAbi(KexecAbi.X86_64).root("a b"));
    }
}
