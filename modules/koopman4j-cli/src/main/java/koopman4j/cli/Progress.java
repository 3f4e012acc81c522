package koopman4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What a long command shows on stderr while it works. {@link Mode#LIVE} (stderr is a terminal): one line,
 * redrawn in place with {@code \r} at most four times a second, e.g.
 * {@code train: step 3000/8000  loss 1.23e-03  41.2 steps/s  ETA 2m01s}; lines anyone else writes (log
 * lines, warnings) first wipe it ({@link #clear}). {@link Mode#LINES} (a file, a pipe, CI): a plain line
 * at most every {@value #LINE_EVERY_SECONDS} s, between the trainers' own log lines (at each evaluation), which carry no ETA.
 * {@link Mode#QUIET} ({@code --quiet}): nothing. The rate and the ETA are
 * measured from {@link #start}, on an injectable clock.
 */
final class Progress {

    /** How progress is shown. */
    enum Mode { LIVE, LINES, QUIET }

    static final long REDRAW_NANOS = 250_000_000L;
    static final int LINE_EVERY_SECONDS = 30;
    /** Longer lines wrap on an 80-column terminal, and {@code \r} then redraws only the last row. */
    static final int MAX_WIDTH = 79;

    private final PrintWriter err;
    private final Mode mode;
    private final LongSupplier nanoClock;
    private String task = "";
    private long startNanos;
    private long startDone;
    private long lastShown;
    private boolean shownOnce;
    private int drawn; // characters of the live line now on screen, 0 when none

    Progress(PrintWriter err, Mode mode, LongSupplier nanoClock) {
        this.err = err;
        this.mode = mode;
        this.nanoClock = nanoClock;
    }

    /** A new task (its own rate and ETA): e.g. "simulate", or "compare: experiment 2/5, D-DMD". */
    synchronized void start(String task, long done) {
        this.task = task;
        this.startNanos = nanoClock.getAsLong();
        this.startDone = done;
        this.shownOnce = false;
    }

    /**
     * {@code done} of {@code total} units ("steps", "trajectories") finished, with an optional detail (e.g. the
     * loss); shown if the mode and the last redraw allow.
     */
    synchronized void update(long done, long total, String unit, String detail) {
        long now = nanoClock.getAsLong();
        long every = mode == Mode.LIVE ? REDRAW_NANOS : LINE_EVERY_SECONDS * 1_000_000_000L;
        if (mode == Mode.QUIET || (shownOnce && now - lastShown < every) || (!shownOnce && mode == Mode.LINES && now - startNanos < every)) {
            return;
        }
        lastShown = now;
        shownOnce = true;
        String text = format(task, done, total, unit, detail, rate(done, now), now - startNanos);
        if (mode == Mode.LIVE) {
            draw(text);
        } else {
            err.println(text);
            err.flush();
        }
    }

    /** Redraws the live line in place, cut to {@link #MAX_WIDTH}, blanking what is left of a longer line before. */
    private void draw(String text) {
        String shown = text.length() > MAX_WIDTH ? text.substring(0, MAX_WIDTH - 1) + "…" : text;
        err.print("\r" + shown + " ".repeat(Math.max(0, drawn - shown.length())));
        err.flush();
        drawn = shown.length();
    }

    /** What a task without counted units is doing, e.g. the row an E-DMD sweep works on: on the live line only. */
    synchronized void status(String detail) {
        if (mode == Mode.LIVE) {
            draw(task + ": " + detail);
        }
    }

    /** A permanent line (e.g. "compare: experiment 2/5 done"), under the live line's wipe; nothing when quiet. */
    synchronized void line(String text) {
        if (mode == Mode.QUIET) {
            return;
        }
        clear();
        err.println(text);
        err.flush();
    }

    /** Wipes the live line, if one is drawn, so that what comes next starts on a clean line. */
    synchronized void clear() {
        if (drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
            drawn = 0;
        }
    }

    /** Units per second since {@link #start}; NaN in the first second, when one slow or fast unit would say little. */
    private double rate(long done, long now) {
        double seconds = (now - startNanos) / 1e9;
        return seconds >= 1 ? (done - startDone) / seconds : Double.NaN;
    }

    /** e.g. {@code train: step 3000/8000  loss 1.23e-03  41.2 steps/s  ETA 2m01s}. */
    static String format(String task, long done, long total, String unit, String detail, double perSecond, long elapsedNanos) {
        StringBuilder s = new StringBuilder(task).append(": ");
        s.append(unit.equals("steps") ? "step " : "").append(done).append('/').append(total);
        s.append(unit.equals("steps") ? "" : " " + unit);
        if (detail != null && !detail.isEmpty()) {
            s.append("  ").append(detail);
        }
        if (perSecond > 0 && Double.isFinite(perSecond)) {
            s.append(String.format(Locale.ROOT, "  %s %s/s  ETA %s", rate(perSecond), unit, duration((total - done) / perSecond)));
        } else {
            s.append("  ").append(duration(elapsedNanos / 1e9)).append(" elapsed");
        }
        return s.toString();
    }

    /** Three significant figures at most, no exponent for rates people read: 0.0123, 1.23, 41.2, 1234. */
    static String rate(double perSecond) {
        if (perSecond >= 100) {
            return String.format(Locale.ROOT, "%.0f", perSecond);
        }
        if (perSecond >= 10) {
            return String.format(Locale.ROOT, "%.1f", perSecond);
        }
        return perSecond >= 1 ? String.format(Locale.ROOT, "%.2f", perSecond) : String.format(Locale.ROOT, "%.3g", perSecond);
    }

    /** Seconds as 45s, 2m01s, 1h05m (a run's ETA needs no more precision than that). */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.max(0, Math.round(seconds));
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        long m = Math.round(s / 60.0);
        return String.format(Locale.ROOT, "%dh%02dm", m / 60, m % 60);
    }
}
