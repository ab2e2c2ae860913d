/**
 * kdump4j: read, understand and write Linux crash dumps (kdump vmcores) in pure Java.
 *
 * <p>Entry points: {@code org.kdump4j.vmcore.Vmcore#open} for dumps, {@code org.kdump4j.boot} for the
 * boot-side text formats ({@code crashkernel=}, {@code /proc/iomem}), {@code org.kdump4j.cli.Main} for
 * the command line.
 */
module org.kdump4j {
    exports org.kdump4j.boot;
    exports org.kdump4j.cli;
    exports org.kdump4j.diskdump;
    exports org.kdump4j.elf;
    exports org.kdump4j.io;
    exports org.kdump4j.kexec;
    exports org.kdump4j.kernel;
    exports org.kdump4j.memory;
    exports org.kdump4j.vmcore;
    exports org.kdump4j.write;

    uses org.kdump4j.kexec.KexecLoader;
    provides org.kdump4j.kexec.KexecLoader with org.kdump4j.internal.linux.LinuxKexecLoader,
            org.kdump4j.kexec.DryRunKexecLoader;
}
