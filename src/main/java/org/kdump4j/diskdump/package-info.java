/**
 * kdump-compressed dumps ({@code "KDUMP   "}, written by makedumpfile and QEMU), their flattened form
 * ({@code makedumpfile -F}, QEMU's default) and {@code --split} sets, with every page codec built in.
 *
 * <p>{@link org.kdump4j.diskdump.KdumpFile} opens one file or the parts of a split set (checked to belong
 * together) and gives the header, sub-header, notes, VMCOREINFO and a
 * {@link org.kdump4j.diskdump.KdumpMemory} that implements {@link org.kdump4j.memory.PhysicalMemory}:
 * {@code org.kdump4j.vmcore.Vmcore#open} uses it for these formats. Every page has a
 * {@link org.kdump4j.diskdump.PageStatus}; reading a page that is not present is an error that says
 * why, unless the caller asks for zeros ({@link org.kdump4j.diskdump.KdumpMemory#withZeroFill}).
 * {@link org.kdump4j.diskdump.Compression} decodes zlib, LZO1X, Snappy and Zstandard pages in pure Java;
 * {@link org.kdump4j.diskdump.Flattened} rearranges a flattened stream into the ordinary file.
 */
package org.kdump4j.diskdump;
