package koopman4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchResultTest {

    @Test
    void percentilesAreThePeerScriptsSortedIndexFloorOfFractionTimesCount() {
        // ten samples, shuffled: sorted 1…10, so p10 = sorted[1] = 2, median = sorted[5] = 6, p90 = sorted[9] = 10
        BenchResult r = BenchResult.fromSamples("x", Map.of(), new double[] {7, 3, 10, 1, 9, 2, 8, 4, 6, 5});
        assertEquals(6, r.medianMs());
        assertEquals(2, r.p10Ms());
        assertEquals(10, r.p90Ms());
        BenchResult one = BenchResult.fromSamples("x", Map.of(), new double[] {4.5});
        assertEquals(4.5, one.medianMs());
        assertEquals(4.5, one.p10Ms());
        assertEquals(4.5, one.p90Ms());
    }

    @Test
    void measureRunsTheWarmupAndTheRepeatsAndKeepsItsOwnCopyOfTheParameters() {
        int[] calls = {0};
        Map<String, Object> params = new LinkedHashMap<>(Map.of("n", 3));
        BenchResult r = BenchResult.measure("count", params, 2, 5, () -> calls[0]++);
        assertEquals(7, calls[0]);
        params.put("n", 4);
        assertEquals(Map.of("n", 3), r.params());
        assertThrows(UnsupportedOperationException.class, () -> r.params().put("m", 1));
    }
}
