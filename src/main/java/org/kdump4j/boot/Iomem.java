package org.kdump4j.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The resource tree of {@code /proc/iomem}, because it is how user space learns where RAM, the crash
 * kernel region and the running kernel's image are in physical memory.
 *
 * <p>Format (the kernel's {@code r_show()}): one resource per line in pre-order,
 * {@code <2*depth spaces><start>-<end> : <name>}, with start and end in lowercase hex zero-padded to
 * at least 8 digits, no {@code 0x}, and the end inclusive. The printed depth is capped at 5 levels
 * ({@code MAX_IORES_LEVEL}): a deeper resource is printed at depth 5 and so reads here as a sibling
 * of its parent. Readers without {@code CAP_SYS_ADMIN} see {@code 00000000-00000000} on every line
 * (Linux 4.15+); {@link #addressesHidden()} reports that, and address queries then refuse to answer.
 *
 * <p>Parsing is strict about what the kernel prints and linear in the text length.
 *
 * @param resources the top-level resources, in order
 */
public record Iomem(List<IomemResource> resources) {
    /** The deepest level the kernel prints ({@code MAX_IORES_LEVEL}). */
    public static final int MAX_DEPTH = 5;

    /** Copies the list. */
    public Iomem {
        resources = List.copyOf(resources);
    }

    /**
     * Parses the text of {@code /proc/iomem} (or {@code /proc/ioports}); an empty text is an empty tree.
     *
     * @throws BootParseException on a line the kernel cannot have printed, with its position
     */
    public static Iomem parse(String text) throws BootParseException {
        return parse((CharSequence) Objects.requireNonNull(text, "text"));
    }

    /** For tests that count the work done: parses any character sequence. */
    static Iomem parse(CharSequence text) throws BootParseException {
        List<Node> roots = new ArrayList<>();
        Node[] open = new Node[MAX_DEPTH + 1];
        int lineNo = 0;
        int pos = 0;
        int previousDepth = -1;
        while (pos < text.length()) {
            int nl = Chars.indexOf(text, '\n', pos);
            int lineEnd = nl < 0 ? text.length() : nl;
            lineNo++;
            Node node = parseLine(text, pos, lineEnd, lineNo);
            if (node.depth > previousDepth + 1) {
                throw error(lineNo, pos + 2 * (previousDepth + 1), "indented " + node.depth
                        + " levels, but the previous line is at level " + Math.max(previousDepth, 0));
            }
            if (node.depth == 0) {
                roots.add(node);
            } else {
                open[node.depth - 1].children.add(node);
            }
            open[node.depth] = node;
            previousDepth = node.depth;
            pos = lineEnd + 1;
        }
        List<IomemResource> out = new ArrayList<>(roots.size());
        for (Node n : roots) {
            out.add(n.build());
        }
        return new Iomem(out);
    }

    private static final class Node {
        final int depth;
        final long start;
        final long end;
        final String name;
        final List<Node> children = new ArrayList<>();

        Node(int depth, long start, long end, String name) {
            this.depth = depth;
            this.start = start;
            this.end = end;
            this.name = name;
        }

        IomemResource build() { // recursion depth is at most MAX_DEPTH + 1
            List<IomemResource> kids = new ArrayList<>(children.size());
            for (Node c : children) {
                kids.add(c.build());
            }
            return new IomemResource(start, end, name, kids);
        }
    }

    private static Node parseLine(CharSequence text, int from, int to, int lineNo) throws BootParseException {
        int i = from;
        while (i < to && text.charAt(i) == ' ') {
            i++;
        }
        int spaces = i - from;
        if (spaces % 2 != 0) {
            throw error(lineNo, i, "odd indentation (" + spaces + " spaces; the kernel indents by two per level)");
        }
        if (spaces / 2 > MAX_DEPTH) {
            throw error(lineNo, from + 2 * MAX_DEPTH, "indented " + spaces / 2 + " levels; the kernel prints at most "
                    + MAX_DEPTH);
        }
        long[] start = new long[1];
        i = hex(text, i, to, lineNo, start, "start address");
        if (i >= to || text.charAt(i) != '-') {
            throw error(lineNo, i, "'-' expected after the start address, found " + found(text, i, to));
        }
        long[] end = new long[1];
        i = hex(text, i + 1, to, lineNo, end, "end address");
        if (i + 3 > to || !Chars.startsWith(text, " : ", i)) {
            throw error(lineNo, i, "\" : \" expected after the end address, found " + found(text, i, to));
        }
        return new Node(spaces / 2, start[0], end[0], Chars.substring(text, i + 3, to));
    }

    private static int hex(CharSequence text, int i, int to, int lineNo, long[] out, String what) throws BootParseException {
        int begin = i;
        long v = 0;
        for (; i < to; i++) {
            int d = Character.digit(text.charAt(i), 16);
            if (d < 0 || text.charAt(i) >= 0x80) {
                break;
            }
            if ((v >>> 60) != 0) {
                throw error(lineNo, i, what + " does not fit in 64 bits");
            }
            v = v << 4 | d;
        }
        if (i == begin) {
            throw error(lineNo, i, "hexadecimal " + what + " expected, found " + found(text, i, to));
        }
        out[0] = v;
        return i;
    }

    private static String found(CharSequence text, int i, int to) {
        return i >= to ? "end of line" : MemorySize.describe(text.charAt(i));
    }

    private static BootParseException error(int lineNo, int position, String reason) {
        return new BootParseException("iomem line " + lineNo, reason, position);
    }

    /**
     * Whether every address is zero, as the kernel shows the file to readers without
     * {@code CAP_SYS_ADMIN}; the names are real, the addresses are not. False for an empty tree.
     */
    public boolean addressesHidden() {
        List<IomemResource> all = all();
        return !all.isEmpty() && all.stream().allMatch(r -> r.start() == 0 && r.end() == 0);
    }

    /** Every resource in pre-order (the order of the file's lines). */
    public List<IomemResource> all() {
        List<IomemResource> out = new ArrayList<>();
        for (IomemResource r : resources) {
            collect(r, out);
        }
        return out;
    }

    private static void collect(IomemResource r, List<IomemResource> out) { // depth <= MAX_DEPTH + 1 when parsed
        out.add(r);
        for (IomemResource c : r.children()) {
            collect(c, out);
        }
    }

    /** Every resource with exactly this name, in pre-order. */
    public List<IomemResource> named(String name) {
        Objects.requireNonNull(name, "name");
        return all().stream().filter(r -> r.name().equals(name)).toList();
    }

    /**
     * The RAM ranges: every resource named {@code System RAM} or {@code System RAM (...)} (hot-plugged
     * {@code kmem}, {@code virtio_mem}), in address order of the file.
     *
     * @throws IllegalStateException if {@link #addressesHidden()}
     */
    public List<IomemResource> systemRam() {
        requireAddresses();
        return all().stream().filter(r -> r.name().equals("System RAM") || r.name().startsWith("System RAM (")).toList();
    }

    /**
     * The sum of the sizes of the top-level {@code System RAM} ranges: what the kernel's
     * {@code memblock_phys_mem_size()} counts at boot on x86, arm64 and riscv (hot-plugged memory excluded).
     *
     * @throws IllegalStateException if {@link #addressesHidden()}
     */
    public long bootSystemRamBytes() {
        requireAddresses();
        long sum = 0;
        for (IomemResource r : resources) {
            if (r.name().equals("System RAM")) {
                sum += r.size();
            }
        }
        return sum;
    }

    /**
     * The crash kernel regions ({@code crashk_res} and, with {@code ,high}, {@code crashk_low_res};
     * both are named {@code Crash kernel}), in file order.
     *
     * @throws IllegalStateException if {@link #addressesHidden()}
     */
    public List<IomemResource> crashKernel() {
        requireAddresses();
        return named("Crash kernel");
    }

    /** The {@code Kernel code} range, if present. */
    public Optional<IomemResource> kernelCode() {
        return first("Kernel code");
    }

    /** The {@code Kernel rodata} range, if present. */
    public Optional<IomemResource> kernelRodata() {
        return first("Kernel rodata");
    }

    /** The {@code Kernel data} range, if present. */
    public Optional<IomemResource> kernelData() {
        return first("Kernel data");
    }

    /** The {@code Kernel bss} range, if present. */
    public Optional<IomemResource> kernelBss() {
        return first("Kernel bss");
    }

    private Optional<IomemResource> first(String name) {
        requireAddresses();
        return named(name).stream().findFirst();
    }

    private void requireAddresses() {
        if (addressesHidden()) {
            throw new IllegalStateException("all /proc/iomem addresses are zero: the file was read without "
                    + "CAP_SYS_ADMIN (read it as root); only the names are meaningful");
        }
    }

    /** The text as the kernel prints it (lowercase hex padded to 8 digits, two spaces per level). */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (IomemResource r : resources) {
            format(sb, r, 0);
        }
        return sb.toString();
    }

    private static void format(StringBuilder sb, IomemResource r, int depth) {
        sb.repeat("  ", depth).append(r).append('\n');
        for (IomemResource c : r.children()) {
            format(sb, c, depth + 1);
        }
    }

    static String hex(long v) {
        String h = Long.toHexString(v);
        return h.length() >= 8 ? h : "0".repeat(8 - h.length()) + h;
    }
}
