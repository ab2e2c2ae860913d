package org.kdump4j.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kdump4j.elf.Machine;
import org.kdump4j.io.ByteSource;
import org.kdump4j.memory.MemoryExtent;
import org.kdump4j.memory.PhysicalMemory;
import org.kdump4j.vmcore.VmcoreInfo;

/**
 * Constructed physical memory for tests: a byte array from physical address 0, a page allocator, typed
 * stores, optional holes (page ranges left out of the dump) and a VMCOREINFO text builder.
 */
final class SyntheticMemory {
    final byte[] bytes;
    final ByteOrder order;
    final Map<String, String> info = new LinkedHashMap<>();
    private final List<long[]> holes = new ArrayList<>();
    private long next;

    SyntheticMemory(int size, ByteOrder order) {
        this.bytes = new byte[size];
        this.order = order;
    }

    /** Allocates {@code size} bytes aligned to {@code size}, zeroed, and returns the physical address. */
    long alloc(int size) {
        long p = (next + size - 1) & -(long) size;
        next = p + size;
        if (next > bytes.length) {
            throw new IllegalStateException("synthetic memory full");
        }
        return p;
    }

    /** Moves the allocator to {@code address} (for placing things at fixed addresses). */
    void allocateFrom(long address) {
        next = address;
    }

    SyntheticMemory u64(long pa, long v) {
        ByteBuffer.wrap(bytes).order(order).putLong((int) pa, v);
        return this;
    }

    long u64(long pa) {
        return ByteBuffer.wrap(bytes).order(order).getLong((int) pa);
    }

    SyntheticMemory u32(long pa, long v) {
        ByteBuffer.wrap(bytes).order(order).putInt((int) pa, (int) v);
        return this;
    }

    SyntheticMemory u16(long pa, int v) {
        ByteBuffer.wrap(bytes).order(order).putShort((int) pa, (short) v);
        return this;
    }

    SyntheticMemory u8(long pa, int v) {
        bytes[(int) pa] = (byte) v;
        return this;
    }

    SyntheticMemory put(long pa, byte[] b) {
        System.arraycopy(b, 0, bytes, (int) pa, b.length);
        return this;
    }

    SyntheticMemory put(long pa, String s) {
        return put(pa, s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Leaves {@code [pa, pa + size)} out of the dump. */
    SyntheticMemory hole(long pa, long size) {
        holes.add(new long[] {pa, size});
        return this;
    }

    SyntheticMemory info(String key, String value) {
        info.put(key, value);
        return this;
    }

    VmcoreInfo vmcoreInfo() {
        StringBuilder sb = new StringBuilder();
        info.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return VmcoreInfo.parse(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The memory as a dump would present it (holes left out). */
    PhysicalMemory memory(int pageSize) {
        List<long[]> sorted = new ArrayList<>(holes);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        List<MemoryExtent> extents = new ArrayList<>();
        long at = 0;
        for (long[] h : sorted) {
            if (h[0] > at) {
                extents.add(new MemoryExtent(at, h[0] - at, at, h[0] - at, "ram@" + at));
            }
            at = Math.max(at, h[0] + h[1]);
        }
        if (at < bytes.length) {
            extents.add(new MemoryExtent(at, bytes.length - at, at, bytes.length - at, "ram@" + at));
        }
        try {
            return PhysicalMemory.ofExtents(ByteSource.of("synthetic", bytes), extents, pageSize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    AddressSpace space(Machine machine, int pageSize) {
        try {
            return AddressSpace.of(memory(pageSize), Optional.of(vmcoreInfo()), machine, order, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String hex(long v) {
        return Long.toHexString(v);
    }
}
