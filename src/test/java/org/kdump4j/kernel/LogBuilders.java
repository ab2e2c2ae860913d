package org.kdump4j.kernel;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.kdump4j.elf.Machine;

/**
 * Writes kernel logs into {@link SyntheticMemory} the way the kernel lays them out, for an x86_64 kernel
 * with {@code phys_base} 0 (kernel virtual address = 0xffffffff80000000 + physical address), so that the
 * log walkers can be tested on buffers no real dump here has: the lockless ring with wrapped and
 * end-of-ring blocks, the structured buffer of 3.5-5.9 and the plain buffer of older kernels.
 */
final class LogBuilders {
    static final long START = AddressSpace.X86_64_START_KERNEL_MAP;

    private LogBuilders() {
    }

    /** Memory with an (empty) x86_64 page-table root and the VMCOREINFO keys for the image mapping. */
    static SyntheticMemory kernel(int size) {
        SyntheticMemory mem = new SyntheticMemory(size, ByteOrder.LITTLE_ENDIAN);
        mem.allocateFrom(0xf000);
        long root = mem.alloc(4096);
        mem.info("OSRELEASE", "6.18.0-test").info("PAGESIZE", "4096")
                .info("SYMBOL(init_top_pgt)", SyntheticMemory.hex(START + root)).info("NUMBER(phys_base)", "0")
                .info("NUMBER(pgtable_l5_enabled)", "0");
        return mem;
    }

    static AddressSpace space(SyntheticMemory mem) {
        return mem.space(Machine.X86_64, 4096);
    }

    /** The lockless ring buffer with the VMCOREINFO layout of a 64-bit 6.1 kernel. */
    static final class Lockless {
        static final long PRB_VAR = 0x1000;
        static final long RB = 0x1100;
        static final long DESCS = 0x2000;
        static final long INFOS = 0x4000;
        static final long DATA = 0x8000;
        static final long FINALIZED = 2L << 62;
        static final long REUSABLE = 3L << 62;

        final SyntheticMemory mem;
        final long count;
        final long dsize;
        final List<long[]> blocks = new ArrayList<>(); // {id, begin, next, hasData}
        long headLpos;
        long nextId;

        Lockless(SyntheticMemory mem, int countBits, int sizeBits) {
            this.mem = mem;
            this.count = 1L << countBits;
            this.dsize = 1L << sizeBits;
            String[][] keys = {
                {"SIZE(printk_ringbuffer)", "88"}, {"OFFSET(printk_ringbuffer.desc_ring)", "0"},
                {"OFFSET(printk_ringbuffer.text_data_ring)", "48"}, {"OFFSET(printk_ringbuffer.fail)", "80"},
                {"SIZE(prb_desc_ring)", "48"}, {"OFFSET(prb_desc_ring.count_bits)", "0"},
                {"OFFSET(prb_desc_ring.descs)", "8"}, {"OFFSET(prb_desc_ring.infos)", "16"},
                {"OFFSET(prb_desc_ring.head_id)", "24"}, {"OFFSET(prb_desc_ring.tail_id)", "32"},
                {"SIZE(prb_desc)", "24"}, {"OFFSET(prb_desc.state_var)", "0"},
                {"OFFSET(prb_desc.text_blk_lpos)", "8"}, {"SIZE(prb_data_blk_lpos)", "16"},
                {"OFFSET(prb_data_blk_lpos.begin)", "0"}, {"OFFSET(prb_data_blk_lpos.next)", "8"},
                {"SIZE(printk_info)", "88"}, {"OFFSET(printk_info.seq)", "0"}, {"OFFSET(printk_info.ts_nsec)", "8"},
                {"OFFSET(printk_info.text_len)", "16"}, {"OFFSET(printk_info.caller_id)", "20"},
                {"OFFSET(printk_info.dev_info)", "24"}, {"SIZE(dev_printk_info)", "64"},
                {"OFFSET(dev_printk_info.subsystem)", "0"}, {"LENGTH(printk_info_subsystem)", "16"},
                {"OFFSET(dev_printk_info.device)", "16"}, {"LENGTH(printk_info_device)", "48"},
                {"SIZE(prb_data_ring)", "32"}, {"OFFSET(prb_data_ring.size_bits)", "0"},
                {"OFFSET(prb_data_ring.data)", "8"}, {"OFFSET(prb_data_ring.head_lpos)", "16"},
                {"OFFSET(prb_data_ring.tail_lpos)", "24"}, {"SIZE(atomic_long_t)", "8"},
                {"OFFSET(atomic_long_t.counter)", "0"}};
            mem.info("SYMBOL(prb)", SyntheticMemory.hex(START + PRB_VAR));
            for (String[] k : keys) {
                mem.info(k[0], k[1]);
            }
            mem.u64(PRB_VAR, START + RB);
            mem.u32(RB, countBits).u64(RB + 8, START + DESCS).u64(RB + 16, START + INFOS);
            mem.u32(RB + 48, sizeBits).u64(RB + 56, START + DATA);
            // the ring starts with one reusable dummy descriptor, as prb_init leaves it
            nextId = 0;
            mem.u64(desc(count - 1), REUSABLE | ((-count - 1) & ~(3L << 62)));
        }

        long desc(long id) {
            return DESCS + 24 * (id & (count - 1));
        }

        long info(long id) {
            return INFOS + 88 * (id & (count - 1));
        }

        /** Appends a record; returns its id. */
        long add(String text, long ts, int level, int facility, long caller, String subsystem, String device) {
            return add(text.getBytes(StandardCharsets.ISO_8859_1), ts, level, facility, caller, subsystem, device);
        }

        long add(byte[] t, long ts, int level, int facility, long caller, String subsystem, String device) {
            long id = nextId++;
            long size = (8 + t.length + 7) & ~7L;
            long begin = headLpos;
            long index = begin & (dsize - 1);
            long next;
            if (index + size > dsize) { // does not fit before the end: stored again from index 0
                mem.u64(DATA + index, id);
                next = begin - index + dsize + size;
                mem.u64(DATA, id).put(DATA + 8, t);
            } else { // fits, possibly ending exactly at the end of the ring (Linux 6.18+ keeps it there)
                next = begin + size;
                mem.u64(DATA + index, id).put(DATA + index + 8, t);
            }
            headLpos = next;
            blocks.add(new long[] {id, begin, next, 1});
            mem.u64(desc(id), FINALIZED | id).u64(desc(id) + 8, begin).u64(desc(id) + 16, next);
            writeInfo(id, ts, t.length, level, facility, caller, subsystem, device);
            updateIds();
            return id;
        }

        /** Appends a record without a data block ({@code lpos} 1: text lost; 3: empty line). */
        long addDataLess(long ts, long lpos) {
            long id = nextId++;
            blocks.add(new long[] {id, lpos, lpos, 0});
            mem.u64(desc(id), FINALIZED | id).u64(desc(id) + 8, lpos).u64(desc(id) + 16, lpos);
            writeInfo(id, ts, 0, 6, 0, 1, "", "");
            updateIds();
            return id;
        }

        private void writeInfo(long id, long ts, int len, int level, int facility, long caller, String subsystem,
                String device) {
            long in = info(id);
            for (int i = 0; i < 88; i++) {
                mem.u8(in + i, 0);
            }
            mem.u64(in, id).u64(in + 8, ts).u16(in + 16, len).u8(in + 18, facility).u8(in + 19, level << 5 | 2)
                    .u32(in + 20, caller).put(in + 24, subsystem).put(in + 40, device);
        }

        /** Head is the newest id; tail the oldest whose block still lies in the ring. */
        private void updateIds() {
            long head = nextId - 1;
            long tail = Math.max(0, head - count + 1);
            for (long[] b : blocks) {
                if (b[0] >= tail && b[3] == 1 && b[1] < headLpos - dsize) {
                    tail = b[0] + 1;
                }
            }
            mem.u64(RB + 24, head).u64(RB + 32, tail);
        }
    }

    /** The structured buffer of Linux 3.5-5.9 ({@code struct printk_log}, 16 bytes, 4-byte aligned). */
    static final class Structured {
        static final long VARS = 0x1000;
        static final long BUF = 0x10000;
        static final int HDR = 16;

        final SyntheticMemory mem;
        final int bufLen;
        final List<int[]> live = new ArrayList<>(); // {idx, len}
        int next;
        int first;

        Structured(SyntheticMemory mem, int bufLen, String struct) {
            this.mem = mem;
            this.bufLen = bufLen;
            mem.info("SYMBOL(log_buf)", SyntheticMemory.hex(START + VARS))
                    .info("SYMBOL(log_buf_len)", SyntheticMemory.hex(START + VARS + 8))
                    .info("SYMBOL(log_first_idx)", SyntheticMemory.hex(START + VARS + 12))
                    .info("SYMBOL(log_next_idx)", SyntheticMemory.hex(START + VARS + 16))
                    .info("SIZE(" + struct + ")", Integer.toString(HDR))
                    .info("OFFSET(" + struct + ".ts_nsec)", "0").info("OFFSET(" + struct + ".len)", "8")
                    .info("OFFSET(" + struct + ".text_len)", "10").info("OFFSET(" + struct + ".dict_len)", "12");
            mem.u64(VARS, START + BUF).u32(VARS + 8, bufLen);
            sync();
        }

        private boolean hasSpace(int size) {
            int free;
            if (live.isEmpty() || next > first) {
                free = Math.max(bufLen - next, first);
            } else {
                free = first - next;
            }
            return free >= size + HDR;
        }

        void add(String text, String dict, long ts, int level, int facility) {
            byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
            byte[] d = dict.getBytes(StandardCharsets.ISO_8859_1);
            int size = (HDR + t.length + d.length + 3) & ~3;
            while (!live.isEmpty() && !hasSpace(size)) {
                live.removeFirst();
                first = live.isEmpty() ? next : live.getFirst()[0];
            }
            if (next + size + HDR > bufLen) {
                for (int i = 0; i < HDR; i++) {
                    mem.u8(BUF + next + i, 0); // len 0: wrap marker
                }
                next = 0;
                while (!live.isEmpty() && live.getFirst()[0] < size + HDR && live.getFirst()[0] >= next) {
                    live.removeFirst();
                }
                first = live.isEmpty() ? 0 : live.getFirst()[0];
            }
            long at = BUF + next;
            mem.u64(at, ts).u16(at + 8, size).u16(at + 10, t.length).u16(at + 12, d.length).u8(at + 14, facility)
                    .u8(at + 15, level << 5 | 2).put(at + HDR, t).put(at + HDR + t.length, d);
            live.add(new int[] {next, size});
            next += size;
            if (live.size() == 1) {
                first = live.getFirst()[0];
            }
            sync();
        }

        private void sync() {
            mem.u32(VARS + 12, first).u32(VARS + 16, next);
        }
    }

    /** The plain character buffer of kernels before 3.5. */
    static final class Plain {
        static final long VARS = 0x1000;
        static final long BUF = 0x10000;

        final SyntheticMemory mem;
        final int bufLen;
        long end;

        Plain(SyntheticMemory mem, int bufLen) {
            this.mem = mem;
            this.bufLen = bufLen;
            mem.info("SYMBOL(log_buf)", SyntheticMemory.hex(START + VARS))
                    .info("SYMBOL(log_buf_len)", SyntheticMemory.hex(START + VARS + 8))
                    .info("SYMBOL(log_end)", SyntheticMemory.hex(START + VARS + 12))
                    .info("SYMBOL(logged_chars)", SyntheticMemory.hex(START + VARS + 16));
            mem.u64(VARS, START + BUF).u32(VARS + 8, bufLen);
        }

        void write(String s) {
            for (byte b : s.getBytes(StandardCharsets.ISO_8859_1)) {
                mem.u8(BUF + (end % bufLen), b);
                end++;
            }
            mem.u32(VARS + 12, end).u32(VARS + 16, Math.min(end, bufLen));
        }
    }
}
