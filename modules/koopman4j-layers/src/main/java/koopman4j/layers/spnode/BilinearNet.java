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

/**
 * The low-rank bilinear network g(u) = Σ_{r=1}^R (C^{(r)}u) ⊙ (D^{(r)}u) + b (seed 001, §2.2, eq. 6).
 * Every term is quadratic in u, so with b = 0 the Jacobian at u = 0 vanishes and g adds nothing to
 * the linear operator: A_L alone is the linearisation.
 *
 * <p>Parameters: C [R·n, n] and D [R·n, n], the C^{(r)} (D^{(r)}) stacked block by block (rows
 * (r−1)n … rn−1), and b [n] when {@link Options#bias()} is set. For rows u [batch, n] the graph is
 * two matmuls u·Cᵀ, u·Dᵀ [batch, R·n], their product, and a sum over the R blocks.
 */
public final class BilinearNet implements Nonlinearity {

    public static final String C = "C";
    public static final String D = "D";
    public static final String B = "b";

    /** n, the rank R (1 ≤ R ≤ n, as in eq. 6), and whether b is trained (false: b ≡ 0). */
    public record Options(int dimension, int rank, boolean bias) {
        public Options {
            if (dimension < 1) {
                throw new InvalidDataException("model.nonlinear.dimension must be at least 1, got " + dimension);
            }
            if (rank < 1 || rank > dimension) {
                throw new InvalidDataException("model.nonlinear.rank must be between 1 and the dimension " + dimension
                        + ", got " + rank);
            }
        }

        /** 2Rn² (+ n with b). */
        public int parameterCount() {
            return 2 * rank * dimension * dimension + (bias ? dimension : 0);
        }
    }

    private final Options options;
    private final SDVariable c;
    private final SDVariable d;
    private final SDVariable b; // null without bias

    private BilinearNet(Options options, SDVariable c, SDVariable d, SDVariable b) {
        this.options = options;
        this.c = c;
        this.d = d;
        this.b = b;
    }

    /** Declares prefix+C, prefix+D (and prefix+b) in sd with {@link #initialValues}. */
    public static BilinearNet declare(SameDiff sd, String prefix, Options options, DataType type, long seed) {
        Map<String, double[]> init = initialValues(options, seed);
        int n = options.dimension();
        int rows = options.rank() * n;
        return new BilinearNet(options,
                Init.variable(sd, prefix + C, init.get(C), type, rows, n),
                Init.variable(sd, prefix + D, init.get(D), type, rows, n),
                options.bias() ? Init.variable(sd, prefix + B, init.get(B), type, n) : null);
    }

    /** Wraps existing variables C, D [R·n, n] and b (broadcastable to [batch, n]; null without bias). */
    public static BilinearNet of(Options options, SDVariable c, SDVariable d, SDVariable b) {
        if ((b == null) == options.bias()) {
            throw new IllegalArgumentException("b must be given exactly when the options ask for a bias");
        }
        return new BilinearNet(options, c, d, b);
    }

    /** Seeded start: C, D entries N(0, 1/n), so each (C^{(r)}u)_i has the size of ‖u‖/√n; b = 0. */
    public static Map<String, double[]> initialValues(Options options, long seed) {
        Random rng = new Random(seed);
        int n = options.dimension();
        int count = options.rank() * n * n;
        Map<String, double[]> values = new LinkedHashMap<>();
        values.put(C, Init.gaussian(rng, count, 1 / Math.sqrt(n)));
        values.put(D, Init.gaussian(rng, count, 1 / Math.sqrt(n)));
        if (options.bias()) {
            values.put(B, new double[n]);
        }
        return values;
    }

    public Options options() {
        return options;
    }

    @Override
    public int dimension() {
        return options.dimension();
    }

    @Override
    public List<SDVariable> parameters() {
        List<SDVariable> p = new ArrayList<>(List.of(c, d));
        if (b != null) {
            p.add(b);
        }
        return p;
    }

    /** eq. 6 for rows u [batch, n]. */
    @Override
    public SDVariable apply(SameDiff sd, SDVariable u) {
        int n = options.dimension();
        int rank = options.rank();
        SDVariable products = sd.mmul(u, c, false, true, false).mul(sd.mmul(u, d, false, true, false));
        SDVariable g = rank == 1 ? products : products.reshape(-1, rank, n).sum(1);
        return b == null ? g : g.add(b);
    }

    @Override
    public double[][] evaluate(double[][] u) {
        int n = options.dimension();
        double[] cv = Init.values(c);
        double[] dv = Init.values(d);
        double[] bv = b == null ? new double[n] : Init.values(b);
        double[][] g = new double[u.length][n];
        for (int row = 0; row < u.length; row++) {
            for (int r = 0; r < options.rank(); r++) {
                for (int i = 0; i < n; i++) {
                    int offset = (r * n + i) * n; // row i of C^{(r)}
                    double cu = 0;
                    double du = 0;
                    for (int j = 0; j < n; j++) {
                        cu += cv[offset + j] * u[row][j];
                        du += dv[offset + j] * u[row][j];
                    }
                    g[row][i] += cu * du;
                }
            }
            for (int i = 0; i < n; i++) {
                g[row][i] += bv[i];
            }
        }
        return g;
    }
}
