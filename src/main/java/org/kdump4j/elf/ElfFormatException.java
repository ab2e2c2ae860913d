package org.kdump4j.elf;

import org.kdump4j.io.DumpFormatException;

/** An ELF header, program header or note is malformed; carries the source and the byte offset. */
public final class ElfFormatException extends DumpFormatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param source the file name
     * @param offset where the bad structure or field lies
     * @param problem what is wrong
     */
    public ElfFormatException(String source, long offset, String problem) {
        super(source, offset, problem);
    }
}
