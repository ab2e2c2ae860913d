package org.kdump4j.kernel;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kdump4j.memory.MemoryNotPresentException;
import org.kdump4j.memory.PhysicalMemory;

/**
 * Reads page-table entries from physical memory through a small, thread-safe cache of whole table pages
 * (a walk touches the same few top-level pages again and again). A table page that is only partly in the
 * dump is not cached; its entries are then read one by one.
 */
final class TablePages {
    /** How many table pages are kept. */
    static final int CAPACITY = 64;

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final PhysicalMemory memory;
    private final VarHandle longs;
    private final int tableSize;
    private final Map<Long, byte[]> cache = new LinkedHashMap<>(CAPACITY * 2, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > CAPACITY;
        }
    };

    /**
     * @param memory where the tables live
     * @param order the byte order of the entries
     * @param tableSize the size of a table page (a power of two, the translation granule)
     */
    TablePages(PhysicalMemory memory, ByteOrder order, int tableSize) {
        this.memory = memory;
        this.longs = order == ByteOrder.BIG_ENDIAN ? LONG_BE : LONG_LE;
        this.tableSize = tableSize;
    }

    /**
     * Reads the 8-byte entry at physical address {@code entryAddress}.
     *
     * @param va the virtual address being translated (for the message)
     * @param level the level's name (for the message)
     * @throws TranslationException ({@link TranslationException.Kind#TABLE_NOT_IN_DUMP}) if the entry is
     *     not in the dump
     */
    long entry(long entryAddress, long va, String level) throws IOException {
        long page = entryAddress & -(long) tableSize;
        int within = (int) (entryAddress - page) & ~7;
        byte[] table = cached(page);
        if (table != null) {
            return (long) longs.get(table, within);
        }
        try {
            byte[] b = new byte[tableSize];
            memory.read(page, b, 0, tableSize);
            store(page, b);
            return (long) longs.get(b, within);
        } catch (MemoryNotPresentException | IllegalArgumentException whole) {
            try {
                byte[] b = new byte[8];
                memory.read(page + within, b, 0, 8);
                return (long) longs.get(b, 0);
            } catch (MemoryNotPresentException | IllegalArgumentException e) {
                throw new TranslationException(memory.name(), TranslationException.Kind.TABLE_NOT_IN_DUMP, va, level,
                        0, page + within, e);
            }
        }
    }

    private synchronized byte[] cached(long page) {
        return cache.get(page);
    }

    private synchronized void store(long page, byte[] b) {
        cache.put(page, b);
    }

    /** Drops every cached page. */
    synchronized void clear() {
        cache.clear();
    }
}
