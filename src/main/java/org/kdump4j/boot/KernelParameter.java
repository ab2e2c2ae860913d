package org.kdump4j.boot;

import java.util.Objects;
import java.util.Optional;

/**
 * One parameter of a kernel command line as the kernel's tokenizer hands it to the parameter
 * handlers, so callers see the same name and value the kernel sees (quotes removed the kernel's way).
 *
 * @param name the part before the first {@code =} outside quotes (the whole token if there is none)
 * @param value the part after that {@code =}, empty when the token has no {@code =}
 * @param start index of the token's first character in the command line (a leading quote included)
 * @param end index just past the token's last character
 */
public record KernelParameter(String name, Optional<String> value, int start, int end) {

    /** Checks the arguments. */
    public KernelParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad bounds: start " + start + ", end " + end);
        }
    }

    /** The parameter as {@code name} or {@code name=value}, quotes not restored. */
    @Override
    public String toString() {
        return value.map(v -> name + "=" + v).orElse(name);
    }
}
