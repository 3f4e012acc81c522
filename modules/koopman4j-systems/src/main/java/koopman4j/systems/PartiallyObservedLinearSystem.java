package koopman4j.systems;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import org.hipparchus.complex.Complex;
import org.hipparchus.linear.EigenDecompositionNonSymmetric;
import org.hipparchus.linear.MatrixUtils;

/**
 * A partially observed linear system (POLS) of seed 000 §3.1 and Table 1: a random stable
 * discrete-time network x_{k+1} = A x_k of N nodes of which a random subset is latent; the data hold
 * the observed nodes only, so their Koopman operator is a coarse-grained model of the latent dynamics.
 *
 * <p>The paper says only "randomly generated"; the choices made here:
 * <ul>
 *   <li>A has a self-loop on every node and each directed edge i ← j (i ≠ j) with probability
 *       {@code density}, all weights N(0, 1), then is scaled to spectral radius exactly ρ (default
 *       0.95), so every trajectory decays and the slowest mode decays as ρ^k;</li>
 *   <li>A is redrawn (from the same random stream) until it has at least one oscillatory mode, a
 *       complex-conjugate eigenvalue pair (a real Gaussian matrix almost always has several);</li>
 *   <li>round(latentFraction·N) latent nodes are drawn uniformly; the observed nodes keep their order
 *       and are named x1 … x{N_obs};</li>
 *   <li>initial states x₀ ~ N(0, I_N); the step is 1, so trajectory times are 0, 1, …, steps.</li>
 * </ul>
 * Everything is reproducible from the seeds (java.util.Random).
 */
public final class PartiallyObservedLinearSystem {

    /**
     * What to generate: N {@code nodes}, the {@code latentFraction} of them hidden (in [0, 1), at
     * least one node observed), {@code spectralRadius} ρ in (0, 1), edge {@code density} in (0, 1].
     */
    public record Options(int nodes, double latentFraction, double spectralRadius, double density, long seed) {

        public static final double DEFAULT_SPECTRAL_RADIUS = 0.95;
        public static final double DEFAULT_DENSITY = 0.5;

        public Options {
            if (nodes < 1) {
                throw new InvalidDataException("POLS: nodes must be at least 1, got " + nodes);
            }
            if (!(latentFraction >= 0 && latentFraction < 1)) {
                throw new InvalidDataException("POLS: latentFraction must be in [0, 1), got " + latentFraction);
            }
            if (nodes - Math.round(latentFraction * nodes) < 1) {
                throw new InvalidDataException("POLS: latentFraction " + latentFraction + " of " + nodes + " nodes leaves none observed");
            }
            if (!(spectralRadius > 0 && spectralRadius < 1)) {
                throw new InvalidDataException("POLS: spectralRadius must be in (0, 1), got " + spectralRadius);
            }
            if (!(density > 0 && density <= 1)) {
                throw new InvalidDataException("POLS: density must be in (0, 1], got " + density);
            }
        }

        /** N nodes, a latent fraction and a seed, with ρ = 0.95 and density 0.5. */
        public static Options of(int nodes, double latentFraction, long seed) {
            return new Options(nodes, latentFraction, DEFAULT_SPECTRAL_RADIUS, DEFAULT_DENSITY, seed);
        }
    }

    private final Options options;
    private final double[][] a;
    private final int[] observed;

    private PartiallyObservedLinearSystem(Options options, double[][] a, int[] observed) {
        this.options = options;
        this.a = a;
        this.observed = observed;
    }

    /** Draws A and the latent nodes from {@code options.seed()}. */
    public static PartiallyObservedLinearSystem generate(Options options) {
        int n = options.nodes();
        Random rng = new Random(options.seed());
        double[][] a;
        Complex[] lambda;
        do {
            a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i == j || rng.nextDouble() < options.density()) {
                        a[i][j] = rng.nextGaussian();
                    }
                }
            }
            lambda = new EigenDecompositionNonSymmetric(MatrixUtils.createRealMatrix(a)).getEigenvalues();
        } while (spectralRadius(lambda) < 1e-8 || Arrays.stream(lambda).allMatch(z -> z.getImaginary() == 0));
        double scale = options.spectralRadius() / spectralRadius(lambda);
        for (double[] row : a) {
            for (int j = 0; j < n; j++) {
                row[j] *= scale;
            }
        }

        List<Integer> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(i);
        }
        java.util.Collections.shuffle(nodes, rng);
        int latent = (int) Math.round(options.latentFraction() * n);
        int[] observed = nodes.subList(latent, n).stream().mapToInt(Integer::intValue).sorted().toArray();
        return new PartiallyObservedLinearSystem(options, a, observed);
    }

    public Options options() {
        return options;
    }

    /** A copy of the N×N system matrix A. */
    public double[][] matrix() {
        double[][] copy = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            copy[i] = a[i].clone();
        }
        return copy;
    }

    /** The observed nodes (0-based, increasing); state x{j+1} of the data is node observedNodes()[j]. */
    public int[] observedNodes() {
        return observed.clone();
    }

    /** x1 … x{N_obs}. */
    public List<String> observedNames() {
        List<String> names = new ArrayList<>();
        for (int j = 1; j <= observed.length; j++) {
            names.add("x" + j);
        }
        return names;
    }

    /**
     * {@code count} trajectories of {@code steps} steps from x₀ ~ N(0, I) drawn with {@code seed},
     * observed nodes only.
     */
    public TrajectorySet simulate(int count, int steps, long seed) {
        if (count < 1) {
            throw new InvalidDataException("POLS: --trajectories must be at least 1, got " + count);
        }
        if (steps < 1) {
            throw new InvalidDataException("POLS: --steps must be at least 1, got " + steps);
        }
        int n = a.length;
        Random rng = new Random(seed);
        double[] times = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            times[k] = k;
        }
        List<Trajectory> out = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = rng.nextGaussian();
            }
            double[][] y = new double[steps + 1][];
            for (int k = 0; k <= steps; k++) {
                y[k] = new double[observed.length];
                for (int j = 0; j < observed.length; j++) {
                    y[k][j] = x[observed[j]];
                }
                x = multiply(a, x);
            }
            out.add(new Trajectory(times, y));
        }
        return new TrajectorySet(observedNames(), out);
    }

    private static double[] multiply(double[][] a, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += a[i][j] * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    private static double spectralRadius(Complex[] lambda) {
        double r = 0;
        for (Complex z : lambda) {
            r = Math.max(r, z.norm());
        }
        return r;
    }
}
