package org.kdump4j.write;

import java.nio.file.FileAlreadyExistsException;

/** The output file already exists and overwriting was not asked for; nothing was changed. */
public final class OutputExistsException extends FileAlreadyExistsException {
    /** For the given target. */
    public OutputExistsException(String target) {
        super(target, null, "output exists; not overwriting it without being asked (CLI: --force)");
    }
}
