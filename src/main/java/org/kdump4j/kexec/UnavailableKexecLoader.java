package org.kdump4j.kexec;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The loader {@link KexecLoader#best()} returns when no native one works: every operation says why. */
final class UnavailableKexecLoader implements KexecLoader {
    private final String reason;

    UnavailableKexecLoader(String reason) {
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String name() {
        return "unavailable";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.of(reason);
    }

    @Override
    public boolean isNative() {
        return false;
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public void load(KexecRequest request) throws KexecException {
        throw new KexecUnavailableException("kexec_file_load", reason);
    }

    @Override
    public void load(SegmentLoad request) throws KexecException {
        throw new KexecUnavailableException("kexec_load", reason);
    }

    @Override
    public void unloadCrash() throws KexecException {
        throw new KexecUnavailableException("kexec_file_load", reason);
    }

    @Override
    public void unloadReboot() throws KexecException {
        throw new KexecUnavailableException("kexec_file_load", reason);
    }

    @Override
    public KexecStatus status() throws IOException {
        return KexecStatus.read();
    }

    @Override
    public List<KexecProbe> probe() {
        return List.of();
    }

    @Override
    public String toString() {
        return "unavailable kexec loader: " + reason;
    }
}
