package org.kdump4j.internal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * The libc downcalls kdump4j makes, each with {@code errno} captured by the linker (a later call in
 * the JVM cannot overwrite it), because neither kexec call has a libc wrapper.
 *
 * <p>{@code syscall} is variadic: every call site is declared with
 * {@code Linker.Option.firstVariadicArg(1)} and passes every integer argument as a 64-bit long (glibc
 * reads full registers), pointers as {@code ADDRESS} (the linker keeps their memory alive for the
 * call). {@code open} is variadic from its third argument (the mode). The handles are bound on first
 * use, so a process that never loads a kernel never touches a restricted method.
 */
final class Syscalls {
    /** {@code O_RDONLY}. */
    static final int O_RDONLY = 0;
    /** {@code O_CLOEXEC} on x86_64, aarch64, riscv64, ppc64 and s390x. */
    static final int O_CLOEXEC = 0x80000;

    private Syscalls() {
    }

    /** A call's return value and, when it is -1, the captured {@code errno}. */
    record Result(long value, int errno) {
        boolean failed() {
            return value == -1;
        }
    }

    @SuppressWarnings("restricted")
    private static final class Handles {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final long ERRNO_OFFSET = CAPTURE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
        static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
        /** {@code int open(const char *path, int flags, ...)} called with a mode. */
        static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                ERRNO, Linker.Option.firstVariadicArg(2));
        /** {@code int close(int fd)}. */
        static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
        /** {@code long syscall(long nr, long, long, long, void *, long)}: the kexec_file_load shape. */
        static final MethodHandle SYSCALL_LLLAL = bind("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
                ERRNO, Linker.Option.firstVariadicArg(1));
        /** {@code long syscall(long nr, long, long, void *, long)}: the kexec_load shape. */
        static final MethodHandle SYSCALL_LLAL = bind("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
                ERRNO, Linker.Option.firstVariadicArg(1));

        private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
            MemorySegment symbol = LINKER.defaultLookup().find(name)
                    .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol '" + name + "'"));
            return LINKER.downcallHandle(symbol, fd, options);
        }
    }

    /** Binds every handle now, so a missing capability shows at selection rather than at the first load. */
    static void bindAll() {
        if (Handles.OPEN == null || Handles.CLOSE == null || Handles.SYSCALL_LLLAL == null || Handles.SYSCALL_LLAL == null) {
            throw new AssertionError("unbound handle");
        }
    }

    /** {@code open(path, flags, 0)}: the fd, or -1 and errno. */
    static Result open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Handles.CAPTURE);
            MemorySegment cpath = arena.allocateFrom(path);
            int fd = (int) Handles.OPEN.invokeExact(state, cpath, flags, 0);
            return new Result(fd, fd == -1 ? errno(state) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code close(fd)}. */
    static Result close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Handles.CAPTURE);
            int r = (int) Handles.CLOSE.invokeExact(state, fd);
            return new Result(r, r == -1 ? errno(state) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code syscall(nr, a1, a2, a3, a4, a5)} with a pointer as the fourth argument (kexec_file_load's shape). */
    static Result syscall(long nr, long a1, long a2, long a3, MemorySegment a4, long a5) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Handles.CAPTURE);
            long r = (long) Handles.SYSCALL_LLLAL.invokeExact(state, nr, a1, a2, a3, a4, a5);
            return new Result(r, r == -1 ? errno(state) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code syscall(nr, a1, a2, a3, a4)} with a pointer as the third argument (kexec_load's shape). */
    static Result syscall(long nr, long a1, long a2, MemorySegment a3, long a4) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Handles.CAPTURE);
            long r = (long) Handles.SYSCALL_LLAL.invokeExact(state, nr, a1, a2, a3, a4);
            return new Result(r, r == -1 ? errno(state) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int errno(MemorySegment state) {
        return state.get(JAVA_INT, Handles.ERRNO_OFFSET);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new AssertionError("unexpected checked exception from a downcall", t);
    }

    /** An open file descriptor, closed by {@link #close()}. */
    record Fd(int value) implements AutoCloseable {
        /** {@code -1}: no descriptor. */
        static final Fd NONE = new Fd(-1);

        @Override
        public void close() {
            if (value >= 0) {
                Syscalls.close(value);
            }
        }
    }
}
