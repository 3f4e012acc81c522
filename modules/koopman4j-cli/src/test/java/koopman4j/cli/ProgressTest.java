package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The progress display on a clock the test moves: what it prints, when, and its rate and ETA. */
class ProgressTest {

    private long now = 5_000_000_000L; // any origin: only differences count
    private final StringWriter out = new StringWriter();

    private Progress progress(Progress.Mode mode) {
        return new Progress(new PrintWriter(out), mode, () -> now);
    }

    private void advance(double seconds) {
        now += (long) (seconds * 1e9);
    }

    @Test
    void durationsAndRatesReadAsPeopleWriteThem() {
        assertEquals("0s", Progress.duration(0.2));
        assertEquals("45s", Progress.duration(45));
        assertEquals("2m01s", Progress.duration(121));
        assertEquals("59m59s", Progress.duration(3599));
        assertEquals("1h05m", Progress.duration(3900));
        assertEquals("26h40m", Progress.duration(96_000));
        assertEquals("?", Progress.duration(Double.POSITIVE_INFINITY));
        assertEquals("1234", Progress.rate(1234.4));
        assertEquals("41.2", Progress.rate(41.23));
        assertEquals("3.50", Progress.rate(3.5));
        assertEquals("0.0123", Progress.rate(0.01234));
    }

    @Test
    void liveLineShowsStepLossRateAndEtaRedrawnInPlaceAtMostFourTimesASecond() {
        Progress p = progress(Progress.Mode.LIVE);
        p.start("train", 1000); // a resumed run: its pace counts from step 1000
        advance(10);
        p.update(1400, 9000, "steps", "loss 1.234e-03");
        // 400 steps in 10 s: 40 steps/s, 7600 left: 190 s
        assertEquals("\rtrain: step 1400/9000  loss 1.234e-03  40.0 steps/s  ETA 3m10s", out.toString());
        advance(0.1);
        p.update(1404, 9000, "steps", "loss 1.000e-03");
        assertEquals("\rtrain: step 1400/9000  loss 1.234e-03  40.0 steps/s  ETA 3m10s", out.toString(), "redrawn within 250 ms");
        advance(0.15);
        p.update(1410, 9000, "steps", "");
        String second = out.toString().substring(out.toString().lastIndexOf('\r'));
        // 410 steps in 10.25 s = 40 steps/s; the shorter line blanks what is left of the longer one
        assertEquals("\rtrain: step 1410/9000  40.0 steps/s  ETA 3m10s" + " ".repeat(16), second);
        p.line("step 1410/9000 evaluated");
        assertTrue(out.toString().endsWith("\r" + " ".repeat(46) + "\rstep 1410/9000 evaluated" + System.lineSeparator()),
                out.toString().replace("\r", "<CR>"));
    }

    @Test
    void aLongLiveLineIsCutToTheTerminalWidth() {
        Progress p = progress(Progress.Mode.LIVE);
        p.start("compare 2/5 D-DMD", 0);
        advance(1);
        p.update(3, 10, "trajectories", "x".repeat(100));
        String line = out.toString();
        assertEquals(1 + Progress.MAX_WIDTH, line.length());
        assertTrue(line.endsWith("…"));
    }

    @Test
    void plainLinesComeEveryThirtySecondsWithoutCarriageReturns() {
        Progress p = progress(Progress.Mode.LINES);
        p.start("simulate", 0);
        advance(5);
        p.update(10, 1000, "trajectories", "");
        assertEquals("", out.toString(), "no line in the first 30 s");
        advance(25);
        p.update(150, 1000, "trajectories", "");
        advance(10);
        p.update(200, 1000, "trajectories", "");
        advance(20);
        p.update(300, 1000, "trajectories", "");
        p.status("no status lines in a log");
        p.clear();
        String n = System.lineSeparator();
        // 150 in 30 s = 5/s, 850 left = 170 s; 300 in 60 s = 5/s, 700 left = 140 s
        assertEquals("simulate: 150/1000 trajectories  5.00 trajectories/s  ETA 2m50s" + n
                + "simulate: 300/1000 trajectories  5.00 trajectories/s  ETA 2m20s" + n, out.toString());
        assertFalse(out.toString().contains("\r"));
    }

    @Test
    void quietShowsNothing() {
        Progress p = progress(Progress.Mode.QUIET);
        p.start("train", 0);
        for (int i = 1; i <= 100; i++) {
            advance(1);
            p.update(i, 100, "steps", "loss 1");
        }
        p.status("x");
        p.line("done");
        p.clear();
        assertEquals("", out.toString());
    }

    @Test
    void inTheFirstSecondTheLineShowsTimeNotARate() {
        Progress p = progress(Progress.Mode.LIVE);
        p.start("train", 0);
        advance(0.001);
        p.update(1, 100, "steps", "");
        assertEquals("\rtrain: step 1/100  0s elapsed", out.toString());
    }

    @Test
    void beforeAnyTimeHasPassedTheLineShowsNoRate() {
        assertEquals("train: step 0/10  0s elapsed", Progress.format("train", 0, 10, "steps", "", Double.NaN, 0));
    }
}
