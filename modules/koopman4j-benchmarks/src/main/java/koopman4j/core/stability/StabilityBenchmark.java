package koopman4j.core.stability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import koopman4j.benchmarks.BenchResult;
import koopman4j.core.data.InvalidDataException;

/**
 * The {@code bench stability} target: time of β(A) with the exact refinement ({@link Byers#continuous}) for
 * seeded random stable n×n matrices. Each bisection or refinement step is one O(n³) eigenvalue or singular
 * value problem and their number hardly depends on n, so the time grows like n³.
 */
public final class StabilityBenchmark {

    /** Seed of the random matrices; size n uses SEED + n. */
    public static final long SEED = 42;

    private StabilityBenchmark() {
    }

    /**
     * One result per size, after an untimed first call whose iteration counts and β go into the params.
     */
    public static List<BenchResult> run(int[] sizes, int repeats) {
        if (sizes == null || sizes.length == 0) {
            throw new InvalidDataException("sizes is empty: expected matrix orders such as 10,50,100");
        }
        if (repeats < 1) {
            throw new InvalidDataException("repeats is " + repeats + ", expected at least 1");
        }
        List<BenchResult> results = new ArrayList<>();
        for (int n : sizes) {
            if (n < 1) {
                throw new InvalidDataException("size " + n + " is not a matrix order, expected at least 1");
            }
            double[][] a = randomStable(n, new Random(SEED + n));
            StabilityResult first = Byers.continuous(a, Byers.DEFAULT_TOL, true);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("n", n);
            params.put("seed", SEED + n);
            params.put("tol", Byers.DEFAULT_TOL);
            params.put("beta", first.exact());
            params.put("bisection_iterations", first.bisectionIterations());
            params.put("refinement_iterations", first.refinementIterations());
            results.add(BenchResult.measure("stability", params, 0, repeats,
                    () -> Byers.continuous(a, Byers.DEFAULT_TOL, true)));
        }
        return results;
    }

    /** G/√n shifted to spectral abscissa −0.1, G with independent standard normal entries. */
    static double[][] randomStable(int n, Random rng) {
        double[][] a = new double[n][n];
        for (double[] row : a) {
            for (int j = 0; j < n; j++) {
                row[j] = rng.nextGaussian() / Math.sqrt(n);
            }
        }
        double shift = Spectrum.abscissa(a) + 0.1;
        for (int i = 0; i < n; i++) {
            a[i][i] -= shift;
        }
        return a;
    }
}
