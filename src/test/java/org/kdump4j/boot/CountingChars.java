package org.kdump4j.boot;

import java.util.concurrent.atomic.AtomicLong;

/** A character sequence that counts every character read, so tests can bound a parser's work without clocks. */
final class CountingChars implements CharSequence {
    private final String s;
    private final AtomicLong reads;

    CountingChars(String s) {
        this(s, new AtomicLong());
    }

    private CountingChars(String s, AtomicLong reads) {
        this.s = s;
        this.reads = reads;
    }

    long reads() {
        return reads.get();
    }

    @Override
    public int length() {
        return s.length();
    }

    @Override
    public char charAt(int index) {
        reads.incrementAndGet();
        return s.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new CountingChars(s.substring(start, end), reads);
    }

    @Override
    public String toString() {
        reads.addAndGet(s.length());
        return s;
    }
}
