package org.kdump4j.vmcore;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.kdump4j.memory.PhysicalMemory;

/**
 * A content digest of physical memory that is the same for two files holding the same memory,
 * whatever their formats: SHA-256 over, for each present page that is not all zero, in ascending page
 * order, the page frame number as 8 little-endian bytes followed by the page's bytes (bytes of a
 * present page that the dump does not hold count as zero).
 *
 * @param sha256 the digest
 * @param pages how many pages were hashed (present and not all zero)
 */
public record MemoryDigest(byte[] sha256, long pages) {

    /** Copies the digest in. */
    public MemoryDigest {
        sha256 = sha256.clone();
    }

    /** Computes the digest of {@code memory}. */
    public static MemoryDigest of(PhysicalMemory memory) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required on every Java platform", e);
        }
        MemorySegment zero = MemorySegment.ofArray(new byte[memory.pageSize()]);
        ByteBuffer pfnBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        long[] count = {0};
        memory.forEachStoredPage((pfn, page) -> {
            if (page.mismatch(zero) == -1) {
                return;
            }
            md.update(pfnBytes.clear().putLong(pfn).flip());
            md.update(page.asByteBuffer());
            count[0]++;
        });
        return new MemoryDigest(md.digest(), count[0]);
    }

    /** A copy of the digest bytes. */
    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** The digest in lowercase hex. */
    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemoryDigest d && java.util.Arrays.equals(d.sha256, sha256) && d.pages == pages;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(sha256) * 31 + Long.hashCode(pages);
    }

    @Override
    public String toString() {
        return "sha256 " + hex() + " pages " + pages;
    }
}
