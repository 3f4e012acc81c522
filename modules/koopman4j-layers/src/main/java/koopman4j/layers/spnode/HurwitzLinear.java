package koopman4j.layers.spnode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The linear operator A_L = (G_s + G_u) S + μI of the structure-preserving NODE (seed 001, §2.1,
 * eq. 3–5), with S = L_S L_Sᵀ (eq. 4a), G_s = −L_G L_Gᵀ (eq. 4b), G_u = L_U − L_Uᵀ (eq. 5).
 *
 * <p>The trainable numbers are exactly the free entries of the Cholesky-like factors: L_S and L_G
 * lower triangular (n(n+1)/2 each), L_U strictly lower triangular (n(n−1)/2), (3n²+n)/2 in all.
 * They are stored as vectors, row by row of the triangle (entry (i, j), j ≤ i, at i(i+1)/2 + j;
 * strictly lower (i, j), j &lt; i, at i(i−1)/2 + j), and scattered into matrices inside the graph by
 * a constant gather, so no masked-out number is ever a parameter.
 *
 * <p>For every parameter value Re λ(A_L) ≤ μ (Theorem 1: (G_s + G_u)S is similar to
 * S^{1/2}(G_s + G_u)S^{1/2}, whose symmetric part S^{1/2}G_sS^{1/2} is negative semidefinite).
 * μ is taken as given: the paper allows any real bound (μ = 0 for dissipative linear dynamics,
 * μ &gt; 0 where the linearisation may grow); it must only be finite.
 */
public final class HurwitzLinear {

    /** Parameter names (after the layer's prefix). */
    public static final String L_S = "lS";
    public static final String L_G = "lG";
    public static final String L_U = "lU";

    /**
     * n, μ and the decay rates r_i the parameters start from (empty: the default start near (μ − 1)I; see
     * {@link #initialValues}); validated on construction.
     */
    public record Options(int dimension, double mu, List<Double> initialRates) {
        public Options {
            if (dimension < 1) {
                throw new InvalidDataException("model.linear.dimension must be at least 1, got " + dimension);
            }
            if (!Double.isFinite(mu)) {
                throw new InvalidDataException("model.linear.mu must be a finite number, got " + mu);
            }
            initialRates = initialRates == null ? List.of() : List.copyOf(initialRates);
            if (!initialRates.isEmpty() && initialRates.size() != dimension) {
                throw new InvalidDataException("model.linear.initialRates has " + initialRates.size() + " rates for a " + dimension
                        + "-dimensional linear operator (the latent dimension with an autoencoder)");
            }
            for (int i = 0; i < initialRates.size(); i++) {
                Double r = initialRates.get(i);
                if (r == null || !(r > 0) || !Double.isFinite(r)) {
                    throw new InvalidDataException("model.linear.initialRates[" + i + "] must be a finite number > 0, got " + r);
                }
            }
        }

        /** The default start, near (μ − 1)I. */
        public Options(int dimension, double mu) {
            this(dimension, mu, List.of());
        }

        /** n(n+1)/2: free entries of L_S and of L_G. */
        public int lowerCount() {
            return dimension * (dimension + 1) / 2;
        }

        /** n(n−1)/2: free entries of L_U. */
        public int strictlyLowerCount() {
            return dimension * (dimension - 1) / 2;
        }

        /** (3n²+n)/2 trainable numbers in all. */
        public int parameterCount() {
            return 2 * lowerCount() + strictlyLowerCount();
        }
    }

    private final Options options;
    private final SDVariable lS;
    private final SDVariable lG;
    private final SDVariable lU; // null when n = 1: G_u = 0
    private SameDiff cachedFor;
    private SDVariable cachedMatrix;

    private HurwitzLinear(Options options, SDVariable lS, SDVariable lG, SDVariable lU) {
        this.options = options;
        this.lS = lS;
        this.lG = lG;
        this.lU = lU;
    }

    /** Declares prefix+lS, prefix+lG (and prefix+lU when n &gt; 1) in sd with {@link #initialValues}. */
    public static HurwitzLinear declare(SameDiff sd, String prefix, Options options, DataType type, long seed) {
        Map<String, double[]> init = initialValues(options, seed);
        SDVariable lU = options.dimension() > 1 ? Init.variable(sd, prefix + L_U, init.get(L_U), type, options.strictlyLowerCount()) : null;
        return new HurwitzLinear(options,
                Init.variable(sd, prefix + L_S, init.get(L_S), type, options.lowerCount()),
                Init.variable(sd, prefix + L_G, init.get(L_G), type, options.lowerCount()),
                lU);
    }

    /** Wraps existing rank-1 variables (e.g. a DL4J layer's parameters); lU is null when n = 1. */
    public static HurwitzLinear of(Options options, SDVariable lS, SDVariable lG, SDVariable lU) {
        if ((lU == null) != (options.dimension() == 1)) {
            throw new IllegalArgumentException("lU must be given exactly when n > 1");
        }
        return new HurwitzLinear(options, lS, lG, lU);
    }

    /**
     * Seeded start: L_S = L_G = I + E and L_U = E' with E, E' of entries N(0, 0.01/n), so A_L starts
     * near (μ − 1)I, one unit of decay per unit time, and away from any symmetric special case. With
     * {@link Options#initialRates} r: L_S = diag(√r_i) + E instead, so A_L starts near μI − diag(r) — decay
     * on several time scales at once. Adam moves each factor entry by about its learning rate per step and a
     * rate grows like the fourth power of the factors, so from −I a stiff spectrum (rates of 10³ and more,
     * seed 001 §5.2) takes thousands of steps to appear, and the gradient toward it is faint until it does.
     */
    public static Map<String, double[]> initialValues(Options options, long seed) {
        Random rng = new Random(seed);
        int n = options.dimension();
        double std = 0.1 / Math.sqrt(n);
        Map<String, double[]> values = new LinkedHashMap<>();
        for (String name : List.of(L_S, L_G)) {
            double[] v = Init.gaussian(rng, options.lowerCount(), std);
            for (int i = 0; i < n; i++) {
                boolean rated = L_S.equals(name) && !options.initialRates().isEmpty();
                v[i * (i + 1) / 2 + i] += rated ? Math.sqrt(options.initialRates().get(i)) : 1;
            }
            values.put(name, v);
        }
        if (n > 1) {
            values.put(L_U, Init.gaussian(rng, options.strictlyLowerCount(), std));
        }
        return values;
    }

    public Options options() {
        return options;
    }

    /** lS, lG and (n &gt; 1) lU. */
    public List<SDVariable> parameters() {
        List<SDVariable> p = new ArrayList<>(List.of(lS, lG));
        if (lU != null) {
            p.add(lU);
        }
        return p;
    }

    /** A_L [n, n] as SameDiff ops; built once per SameDiff instance and reused. */
    public SDVariable matrix(SameDiff sd) {
        if (cachedFor != sd) {
            int n = options.dimension();
            SDVariable factorS = lowerTriangular(sd, lS, n, false);
            SDVariable factorG = lowerTriangular(sd, lG, n, false);
            SDVariable s = product(sd, factorS, factorS, true); // eq. 4a
            SDVariable g = product(sd, factorG, factorG, true).neg(); // eq. 4b: G_s
            if (lU != null) {
                SDVariable factorU = lowerTriangular(sd, lU, n, true);
                g = g.add(factorU.sub(sd.transpose(factorU))); // eq. 5: G_s + G_u
            }
            SDVariable a = product(sd, g, s, false); // eq. 3
            if (options.mu() != 0) {
                a = a.add(sd.constant(Nd4j.eye(n).castTo(lS.dataType()).muli(options.mu())));
            }
            cachedMatrix = a;
            cachedFor = sd;
        }
        return cachedMatrix;
    }

    /** u·A_Lᵀ for rows u [batch, n]: each row is A_L applied to that state. */
    public SDVariable apply(SameDiff sd, SDVariable u) {
        return options.dimension() == 1 ? u.mul(matrix(sd)) : sd.mmul(u, matrix(sd), false, true, false);
    }

    /** x·y (x·yᵀ): for n = 1 an elementwise product, as M2.1's matmul_bp fails on [1,1] operands. */
    private SDVariable product(SameDiff sd, SDVariable x, SDVariable y, boolean transposeY) {
        return options.dimension() == 1 ? x.mul(y) : sd.mmul(x, y, false, transposeY, false);
    }

    /** A_L at the variables' current values, in plain double arithmetic. */
    public double[][] matrixValues() {
        return matrix(options, Init.values(lS), Init.values(lG), lU == null ? new double[0] : Init.values(lU));
    }

    /** A_L from the free vectors (the layout of the class comment), in plain double arithmetic. */
    public static double[][] matrix(Options options, double[] lS, double[] lG, double[] lU) {
        int n = options.dimension();
        check(L_S, lS, options.lowerCount());
        check(L_G, lG, options.lowerCount());
        check(L_U, lU, options.strictlyLowerCount());
        double[][] factorS = new double[n][n];
        double[][] factorG = new double[n][n];
        double[][] factorU = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                factorS[i][j] = lS[i * (i + 1) / 2 + j];
                factorG[i][j] = lG[i * (i + 1) / 2 + j];
                if (j < i) {
                    factorU[i][j] = lU[i * (i - 1) / 2 + j];
                }
            }
        }
        double[][] g = new double[n][n]; // G_s + G_u (eq. 4b, 5)
        double[][] s = new double[n][n]; // S (eq. 4a)
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                g[i][k] = -dot(factorG[i], factorG[k]) + factorU[i][k] - factorU[k][i];
                s[i][k] = dot(factorS[i], factorS[k]);
            }
        }
        double[][] a = new double[n][n]; // eq. 3 plus μI
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    a[i][j] += g[i][k] * s[k][j];
                }
            }
            a[i][i] += options.mu();
        }
        return a;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int k = 0; k < x.length; k++) {
            s += x[k] * y[k];
        }
        return s;
    }

    private static void check(String name, double[] v, int expected) {
        if (v == null || v.length != expected) {
            throw new InvalidDataException("model.linear." + name + " has " + (v == null ? 0 : v.length)
                    + " entries, expected " + expected);
        }
    }

    /**
     * The n×n (strictly) lower-triangular matrix whose triangle holds v row by row, as one scatter:
     * an unsorted segment sum of v into n² segments, entry p of v going to the flat position of its
     * (i, j); segments nothing goes to are 0. (gather would do the same forward, but its M2.1
     * gradient is a Java while-loop that fails when a graph holds two of them.)
     */
    static SDVariable lowerTriangular(SameDiff sd, SDVariable v, int n, boolean strict) {
        int[] position = new int[strict ? n * (n - 1) / 2 : n * (n + 1) / 2];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < (strict ? i : i + 1); j++) {
                position[p++] = i * n + j;
            }
        }
        return sd.unsortedSegmentSum(v, sd.constant(Nd4j.createFromArray(position)), n * n).reshape(n, n);
    }
}
