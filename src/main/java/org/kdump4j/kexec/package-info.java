/**
 * Loading the dump-capture kernel: the {@link org.kdump4j.kexec.KexecLoader} service-provider
 * interface (the native Linux loader, a dry-run loader, or one that says why neither works), its
 * request types, typed errors with {@code errno}, the kernel's kexec status, the capture command line
 * and the crash-region check.
 *
 * <p>Typical use:
 * <pre>{@code
 * KexecLoader loader = KexecLoader.best();
 * String cmdline = CaptureCommandLine.forAbi(KexecAbi.X86_64).reuse(Files.readString(Path.of("/proc/cmdline"))).build();
 * loader.load(KexecRequest.crash(kernel).withInitrd(initrd).withCommandLine(cmdline));
 * }</pre>
 */
package org.kdump4j.kexec;
