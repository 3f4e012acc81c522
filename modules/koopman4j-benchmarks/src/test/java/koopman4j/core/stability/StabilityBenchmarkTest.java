package koopman4j.core.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import koopman4j.benchmarks.BenchResult;
import koopman4j.core.data.InvalidDataException;

class StabilityBenchmarkTest {

    @Test
    void smokeRunTimesEachSize() {
        List<BenchResult> results = StabilityBenchmark.run(new int[] {4, 12}, 2);

        assertEquals(2, results.size());
        assertEquals("stability", results.get(0).name());
        assertEquals(12, results.get(1).params().get("n"));
        assertTrue(results.get(1).medianMs() > 0);
        assertTrue((double) results.get(1).params().get("beta") > 0);
    }

    @Test
    void rejectsEmptySizesAndZeroRepeats() {
        assertThrows(InvalidDataException.class, () -> StabilityBenchmark.run(new int[0], 1));
        assertThrows(InvalidDataException.class, () -> StabilityBenchmark.run(new int[] {4}, 0));
        assertThrows(InvalidDataException.class, () -> StabilityBenchmark.run(new int[] {0}, 1));
    }

    /** mvn -Preproduce: the timings and the exponent of a least-squares fit of log t on log n, n ≥ 50. */
    @Test
    @Tag("reproduce")
    void timeGrowsLikeNCubed() {
        int[] sizes = {10, 20, 50, 100, 200, 300, 500};
        List<BenchResult> results = StabilityBenchmark.run(sizes, 3);
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int m = 0;
        for (BenchResult r : results) {
            System.out.println(r);
            int n = (int) r.params().get("n");
            if (n >= 50) {
                double x = Math.log(n);
                double y = Math.log(r.medianMs());
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
                m++;
            }
        }
        double exponent = (m * sxy - sx * sy) / (m * sxx - sx * sx);
        System.out.println("fitted exponent (n >= 50): " + exponent);
        assertTrue(exponent > 2 && exponent < 4, "exponent " + exponent);
    }
}
