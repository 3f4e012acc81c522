package koopman4j.edmd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import koopman4j.benchmarks.BenchResult;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;

/**
 * {@code bench edmd-fit}: seconds of one least-squares E-DMD fit (Legendre dictionary of total degree p,
 * G and C over every one-step pair, K by Cholesky; {@link Edmd#fit}) on the data of the NumPy/SciPy peer
 * {@code benchmarks/peers/numpy_edmd_fit.py}: 100 trajectories of 501 samples (50 000 pairs) of a stable
 * random linear map with noise in n = 7 states, the glycolysis model's size.
 */
public final class EdmdFitBenchmark {

    private EdmdFitBenchmark() {
    }

    public static List<BenchResult> run(int[] degrees, int repeats) {
        TrajectorySet data = data(7, 100, 501, 0);
        List<BenchResult> results = new ArrayList<>();
        for (int degree : degrees) {
            Edmd.Options options = Edmd.Options.of("legendre", degree, 0, 0, 0, 0);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("dictionary", "legendre");
            params.put("degree", degree);
            params.put("functions", Edmd.fit(data, options).dictionary().size()); // also the warm-up
            params.put("pairs", 100 * 500);
            results.add(BenchResult.measure("edmd-fit", params, 1, repeats, () -> Edmd.fit(data, options)));
        }
        return results;
    }

    /** x_{k+1} = 0.97·Q x_k + 0.05·ξ_k with Q a random rotation-like map, from x₀ uniform in [−1, 1]ⁿ. */
    static TrajectorySet data(int n, int trajectories, int samples, long seed) {
        Random rng = new Random(seed);
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q[i][j] = (i == j ? 0.9 : 0) + 0.1 * rng.nextGaussian() / Math.sqrt(n);
            }
        }
        List<Trajectory> list = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("x" + (i + 1));
        }
        for (int t = 0; t < trajectories; t++) {
            double[] times = new double[samples];
            double[][] x = new double[samples][n];
            for (int i = 0; i < n; i++) {
                x[0][i] = 2 * rng.nextDouble() - 1;
            }
            for (int k = 1; k < samples; k++) {
                times[k] = k;
                for (int i = 0; i < n; i++) {
                    double s = 0.05 * rng.nextGaussian();
                    for (int j = 0; j < n; j++) {
                        s += 0.97 * q[i][j] * x[k - 1][j];
                    }
                    x[k][i] = s;
                }
            }
            list.add(new Trajectory(times, x));
        }
        return new TrajectorySet(names, list);
    }
}
