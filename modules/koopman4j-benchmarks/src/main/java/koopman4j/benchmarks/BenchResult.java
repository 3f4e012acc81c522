package koopman4j.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One benchmark configuration's timing, in the shape of {@code koopman4j bench --json} and the peer
 * scripts in benchmarks/peers: name, parameters, median and 10th/90th percentile milliseconds.
 */
public record BenchResult(String name, Map<String, Object> params, double medianMs, double p10Ms, double p90Ms) {

    public BenchResult {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * Times {@code action} after {@code warmup} untimed calls, {@code repeats} timed calls.
     */
    public static BenchResult measure(String name, Map<String, Object> params, int warmup, int repeats, Runnable action) {
        for (int i = 0; i < warmup; i++) {
            action.run();
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            action.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return fromSamples(name, params, ms);
    }

    /** Percentiles as the peer scripts take them: sorted[min(n−1, floor(f·n))]. */
    public static BenchResult fromSamples(String name, Map<String, Object> params, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return new BenchResult(name, params, quantile(s, 0.5), quantile(s, 0.1), quantile(s, 0.9));
    }

    private static double quantile(double[] sorted, double f) {
        return sorted[Math.min(sorted.length - 1, (int) (f * sorted.length))];
    }
}
