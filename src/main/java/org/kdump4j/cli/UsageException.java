package org.kdump4j.cli;

/** A command-line mistake by the user: reported with the command's synopsis and exit code 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
