package koopman4j.layers.integrators;

import java.util.Arrays;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.linalg.Expm;
import koopman4j.core.linalg.Expmv;
import koopman4j.core.linalg.Precision;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The expmv op e^{hA}B inside a SameDiff graph (seed 001, eq. 18–19; Al-Mohy &amp; Higham 2011),
 * differentiable with respect to A and B because it is nothing but mmul, add and scalar ops.
 *
 * <p>SameDiff has no loop gradients, so the recurrence is unrolled in Java: the {@link Plan} — degree m
 * and steps s, or the dense path — is fixed outside the graph by {@link #plan} from the current value of
 * hA, with the same selection, θ tables and cost model as the array {@link Expmv} (a trainer re-plans
 * every step and rebuilds only when the plan changes: the graph's structure depends on the plan alone).
 * Inside, the trace shift μ = tr(A)/n is computed from A itself and
 * <pre>
 *   e^{hA}B = e^{hμ} (T_m(h(A − μI)/s))^s B                 (Taylor path, s·m products with B)
 *   e^{hA}B = (Expm scheme of hA) · B                        (dense path, Bader–Blanes–Casas 2019)
 * </pre>
 * The dense path is taken where {@link Expmv#prefersDense} would take it (stiff hA: ‖hA‖₁ of 10⁶–10¹⁰)
 * or where the Taylor graph would exceed {@value #MAX_TAYLOR_PRODUCTS} products; it emits the very
 * evaluation schemes of {@link Expm} through {@link Expm.Algebra}. Unlike the array version, the
 * graph has no early termination: the terms it keeps are below the tolerance and the length stays fixed.
 */
public final class ExpmvGraph {
    private static final Logger LOG = LogManager.getLogger(ExpmvGraph.class);
    private static final String ROUTINE = "expmv";

    /** The largest number of Taylor products (m·s) the graph unrolls before it takes the dense path instead. */
    public static final int MAX_TAYLOR_PRODUCTS = 4096;

    /** Which evaluation the graph unrolls. */
    public enum Path { TAYLOR, DENSE }

    /**
     * The structure of one expmv graph for an A of the given order: the Taylor path with degree m ≥ 1 and
     * s steps, or the dense path with the {@link Expm.Plan} (degree, squarings). Equal plans give graphs
     * of equal structure. m is at least 1 even where core's plan has m = 0 (A = μI): the value is the
     * same, and the derivative with respect to A is then right as well.
     */
    public record Plan(int order, Path path, int m, int s, int degree, int squarings) {
        public Plan {
            if (order < 1) {
                throw new IllegalArgumentException("expmv plan: order must be positive, got " + order);
            }
            if (path == Path.TAYLOR && (m < 1 || s < 1)) {
                throw new IllegalArgumentException("expmv plan: Taylor path needs m >= 1 and s >= 1, got m = " + m + ", s = " + s);
            }
        }

        public static Plan taylor(int order, int m, int s) {
            return new Plan(order, Path.TAYLOR, m, s, 0, 0);
        }

        public static Plan dense(int order, Expm.Plan dense) {
            return new Plan(order, Path.DENSE, 0, 0, dense.degree(), dense.squarings());
        }

        public Expm.Plan densePlan() {
            return new Expm.Plan(degree, squarings);
        }
    }

    private ExpmvGraph() {
    }

    /**
     * The plan for e^{hA}B with B of {@code columns} columns (for a batch of row states, columns = the
     * batch size) in the given precision, from the current numeric A: {@link Expmv#plan} and
     * {@link Expmv#prefersDense}, with {@link Expm#plan} for the dense path.
     */
    public static Plan plan(double[][] a, double h, Precision precision, int columns) {
        int n = Checks.square(ROUTINE, "A", a);
        if (!Double.isFinite(h)) {
            throw new InvalidDataException(ROUTINE + ": time step h is " + h + ", expected a finite number");
        }
        if (columns < 1) {
            throw new InvalidDataException(ROUTINE + ": B has " + columns + " columns, expected at least 1");
        }
        Expmv.Plan taylor = Expmv.plan(a, h, precision, columns);
        boolean tooLong = (double) taylor.m() * taylor.s() > MAX_TAYLOR_PRODUCTS;
        Plan plan;
        if (tooLong || Expmv.prefersDense(a, h, taylor, precision, columns)) {
            plan = Plan.dense(n, Expm.plan(Math.abs(h) * norm1(a), precision));
        } else {
            plan = Plan.taylor(n, Math.max(1, taylor.m()), (int) taylor.s());
        }
        LOG.debug("expmv graph n={} columns={} h={} {}: core m={} s={} -> {}", n, columns, h, precision, taylor.m(), taylor.s(), plan);
        return plan;
    }

    /** {@link #plan(double[][], double, Precision, int)} for A held in an INDArray (e.g. the current A_L). */
    public static Plan plan(INDArray a, double h, Precision precision, int columns) {
        return plan(a.toDoubleMatrix(), h, precision, columns);
    }

    /** The working precision of a graph data type: FLOAT → single (u = 2⁻²⁴), DOUBLE → double (u = 2⁻⁵³). */
    public static Precision precision(DataType type) {
        return switch (type) {
            case DOUBLE -> Precision.DOUBLE;
            case FLOAT -> Precision.SINGLE;
            default -> throw new InvalidDataException(ROUTINE + ": data type " + type + " is not supported, expected FLOAT or DOUBLE");
        };
    }

    /** e^{hA}B for A [n, n] and B [n, k] (columns), unrolled as the plan says. */
    public static SDVariable apply(SameDiff sd, SDVariable a, SDVariable b, double h, Plan plan) {
        return prepare(sd, a, h, plan).apply(b);
    }

    /** e^{hA} applied to every row of U [k, n]: U·(e^{hA})ᵀ, the layout of a batch of states. */
    public static SDVariable applyToRows(SameDiff sd, SDVariable a, SDVariable u, double h, Plan plan) {
        return prepare(sd, a, h, plan).applyToRows(u);
    }

    /**
     * The part of e^{hA}B that does not depend on B, emitted once: the dense exponential, or the trace
     * shift and the scaled matrices h/(s j)·(A − μI) of the Taylor path. Steps of equal h share it.
     */
    public static Exponential prepare(SameDiff sd, SDVariable a, double h, Plan plan) {
        if (!Double.isFinite(h)) {
            throw new InvalidDataException(ROUTINE + ": time step h is " + h + ", expected a finite number");
        }
        int n = plan.order();
        Checks.dimension(ROUTINE, "A", a, 0, n, "the order the plan was made for");
        Checks.dimension(ROUTINE, "A", a, 1, n, "the order the plan was made for");
        SDVariable eye = sd.constant(Nd4j.eye(n).castTo(a.dataType()));
        if (plan.path() == Path.DENSE) {
            return new Exponential(sd, plan, Expm.evaluate(new GraphAlgebra(sd, eye), a.mul(h), plan.densePlan()), null, null);
        }
        int m = plan.m();
        int s = plan.s();
        SDVariable mu = sd.math.trace(a).div(n);                        // trace shift μ = tr(A)/n
        SDVariable shifted = a.sub(eye.mul(mu));
        SDVariable eta = sd.math.exp(mu.mul(h / s));                    // e^{hμ/s} undoes the shift, step by step
        SDVariable[] x = new SDVariable[m + 1];
        for (int j = 1; j <= m; j++) {
            x[j] = shifted.mul(h / ((double) s * j));                   // h/(s j)·(A − μI)
        }
        return new Exponential(sd, plan, null, x, eta);
    }

    /** e^{hA} ready to act on blocks: see {@link #prepare}. */
    public static final class Exponential {
        private final SameDiff sd;
        private final Plan plan;
        private final SDVariable dense;
        private final SDVariable[] x;
        private final SDVariable eta;

        private Exponential(SameDiff sd, Plan plan, SDVariable dense, SDVariable[] x, SDVariable eta) {
            this.sd = sd;
            this.plan = plan;
            this.dense = dense;
            this.x = x;
            this.eta = eta;
        }

        public Plan plan() {
            return plan;
        }

        /** e^{hA}B for B [n, k]. */
        public SDVariable apply(SDVariable b) {
            Checks.dimension(ROUTINE, "B", b, 0, plan.order(), "the order of A");
            return dense != null ? sd.mmul(dense, b) : taylor(b, false);
        }

        /** U·(e^{hA})ᵀ for rows U [k, n]. */
        public SDVariable applyToRows(SDVariable u) {
            Checks.dimension(ROUTINE, "U", u, 1, plan.order(), "the order of A");
            return dense != null ? sd.mmul(u, dense, false, true, false) : taylor(u, true);
        }

        /**
         * s steps of the recurrence (19a–c). The sum lists b_{i,0} first: SameDiff's subgraph search (M2.1)
         * re-queues an input once per consumer it meets before that input, and this order keeps it linear.
         */
        private SDVariable taylor(SDVariable b, boolean rows) {
            int m = plan.m();
            SDVariable f = b;                                               // b_{1,0} = B  (19a)
            for (int i = 0; i < plan.s(); i++) {
                SDVariable[] terms = new SDVariable[m + 1];
                terms[0] = f;
                for (int j = 1; j <= m; j++) {                              // b_{i,j} = h/(s j)·(A − μI) b_{i,j−1}  (19b)
                    terms[j] = rows ? sd.mmul(terms[j - 1], x[j], false, true, false) : sd.mmul(x[j], terms[j - 1]);
                }
                f = sd.math.mergeAdd(terms).mul(eta);                      // f_i = e^{hμ/s} Σ_j b_{i,j}  (19c)
            }
            return f;
        }
    }

    private static double norm1(double[][] a) {
        double max = 0;
        for (int j = 0; j < a.length; j++) {
            double sum = 0;
            for (double[] row : a) {
                sum += Math.abs(row[j]);
            }
            max = Math.max(max, sum);
        }
        return max;
    }

    /** {@link Expm}'s schemes as graph ops: products are mmuls, combinations one mergeAdd of scaled terms. */
    private record GraphAlgebra(SameDiff sd, SDVariable eye) implements Expm.Algebra<SDVariable> {
        @Override
        public SDVariable identity() {
            return eye;
        }

        @Override
        public SDVariable product(SDVariable a, SDVariable b) {
            return sd.mmul(a, b);
        }

        /**
         * 2E + E² as core sums it, but with E reached by the product alone and its other uses through one
         * identity op: SameDiff M2.1's subgraph search re-queues a variable once per consumer it meets
         * before it, which for E feeding both terms directly is 3^s visits for s squarings.
         */
        @Override
        public SDVariable squaring(SDVariable e) {
            SDVariable copy = sd.identity(e);
            return sd.math.mergeAdd(sd.mmul(e, copy), copy.mul(2));
        }

        @Override
        public SDVariable combination(double[] c, List<SDVariable> x) {
            SDVariable[] terms = new SDVariable[c.length];
            int used = 0;
            for (int i = 0; i < c.length; i++) {
                if (c[i] != 0) {
                    terms[used++] = c[i] == 1 ? x.get(i) : x.get(i).mul(c[i]);
                }
            }
            if (used == 1) {
                return terms[0];
            }
            return sd.math.mergeAdd(Arrays.copyOf(terms, used));
        }
    }
}
