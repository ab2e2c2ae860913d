package org.kdump4j.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.kdump4j.write.WriteProgress;

/**
 * A one-line progress bar on standard error, drawn only when there is a terminal ({@code System.console()}
 * is not null), so pipes and log files never get carriage returns. Redraws at most ten times a second.
 */
final class ProgressBar implements WriteProgress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    private ProgressBar(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** A bar on {@code err} when the process has a terminal, else one that prints nothing. */
    static ProgressBar forTerminal(PrintStream err) {
        return new ProgressBar(err, System.console() != null);
    }

    @Override
    public void update(Phase phase, long done, long total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (drawn && now - lastDraw < 100_000_000L && done != total) {
            return;
        }
        lastDraw = now;
        drawn = true;
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        String label = phase == Phase.SCAN ? "scan " : "write";
        if (total <= 0) {
            err.printf(Locale.ROOT, "\r%s %8.1f MiB  %7.1f MiB/s", label, done / 1048576.0, done / 1048576.0 / seconds);
            return;
        }
        int fill = (int) Math.min(WIDTH, done * WIDTH / total);
        err.printf(Locale.ROOT, "\r%s [%s%s] %3d%% %8.1f/%.1f MiB %7.1f MiB/s", label, "#".repeat(fill),
                ".".repeat(WIDTH - fill), done * 100 / total, done / 1048576.0, total / 1048576.0,
                done / 1048576.0 / seconds);
    }

    /** Ends the line if anything was drawn. */
    void finish() {
        if (drawn) {
            err.println();
            drawn = false;
        }
    }
}
