package org.kdump4j.kexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed errors: the errno, its name, the call and the likely cause from the spec's table. */
class KexecExceptionTest {
    @Test
    void errnoNamesAreStableAndUnknownNumbersRoundTrip() {
        assertEquals("EPERM", Errno.of(1).name());
        assertEquals("EADDRNOTAVAIL", Errno.of(99).name());
        assertEquals("EKEYREJECTED", Errno.of(129).name());
        assertEquals("errno 250", Errno.of(250).name());
        assertEquals(250, Errno.of(250).value());
        assertEquals("ENOEXEC (8)", Errno.ENOEXEC.toString());
    }

    @Test
    void everyErrorOfTheTableHasItsOwnExplanation() {
        for (Errno e : List.of(Errno.EPERM, Errno.EKEYREJECTED, Errno.ENOEXEC, Errno.EINVAL, Errno.EBUSY,
                Errno.EADDRNOTAVAIL, Errno.ENOSYS, Errno.EACCES, Errno.EBADF, Errno.ENOMEM)) {
            assertFalse(e.explanation("kexec_file_load").equals("unexpected error"), e.toString());
        }
        assertTrue(Errno.EPERM.explanation("kexec_file_load").contains("CAP_SYS_BOOT"));
        assertTrue(Errno.EPERM.explanation("kexec_file_load").contains("kexec_load_disabled"));
        assertTrue(Errno.EPERM.explanation("kexec_load").contains("use kexec_file_load"), "lockdown");
        assertTrue(Errno.EKEYREJECTED.explanation("kexec_file_load").contains("signature"));
        assertTrue(Errno.ENOEXEC.explanation("kexec_file_load").contains("format"));
        assertTrue(Errno.EADDRNOTAVAIL.explanation("kexec_file_load").contains("crashkernel="));
        assertTrue(Errno.EBUSY.explanation("kexec_load").contains("retry"));
        assertTrue(Errno.ENOSYS.explanation("kexec_file_load").contains("CONFIG_KEXEC_FILE"));
        assertTrue(Errno.ENOSYS.explanation("kexec_load").contains("CONFIG_KEXEC)"));
        assertTrue(Errno.EINVAL.explanation("kexec_load").contains("16 segments"));
        assertTrue(Errno.ENOENT.explanation("open").contains("does not exist"));
    }

    @Test
    void messageNamesTheCallTheErrnoTheCauseAndTheDetail() {
        KexecException e = new KexecException("kexec_file_load", Errno.ENOEXEC, "crash kernel /x");
        assertEquals("kexec_file_load", e.syscall());
        assertEquals(Errno.ENOEXEC, e.errno());
        assertEquals("ENOEXEC", e.errnoName());
        assertFalse(e.beforeCall());
        assertTrue(e.getMessage().startsWith("kexec_file_load failed: ENOEXEC (8): the kernel image format"), e.getMessage());
        assertTrue(e.getMessage().endsWith("[crash kernel /x]"), e.getMessage());
        KexecException pre = new KexecException("kexec_load", Errno.EADDRNOTAVAIL, "segment", true);
        assertTrue(pre.beforeCall());
        assertTrue(pre.getMessage().startsWith("kexec_load refused before the call (the kernel would return EADDRNOTAVAIL (99))"),
                pre.getMessage());
        KexecUnavailableException u = new KexecUnavailableException("kexec_file_load", "not Linux");
        assertEquals(Errno.NONE, u.errno());
        assertEquals("not Linux", u.reason());
        assertTrue(u.getMessage().contains("no kexec loader is available: not Linux"), u.getMessage());
    }

    @Test
    void probeOutcomes() {
        assertEquals(KexecProbe.Outcome.USABLE, new KexecProbe("kexec_file_load", Errno.EINVAL).outcome());
        assertEquals(KexecProbe.Outcome.NOT_PERMITTED, new KexecProbe("kexec_load", Errno.EPERM).outcome());
        assertEquals(KexecProbe.Outcome.NOT_PERMITTED, new KexecProbe("kexec_load", Errno.EACCES).outcome());
        assertEquals(KexecProbe.Outcome.ABSENT, new KexecProbe("kexec_load", Errno.ENOSYS).outcome());
        assertEquals(KexecProbe.Outcome.UNEXPECTED, new KexecProbe("kexec_load", Errno.NONE).outcome());
        assertTrue(new KexecProbe("kexec_file_load", Errno.EINVAL).describe().startsWith("kexec_file_load: usable"));
    }
}
