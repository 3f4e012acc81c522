package koopman4j.layers.integrators;

import java.util.function.UnaryOperator;
import koopman4j.core.linalg.Expmv;
import koopman4j.core.linalg.Precision;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The first-order exponential integrator ETD1 (seed 001, eq. 17), for a batch of states at once:
 * u₊ = [I 0]·exp(h[[A, g(u)], [0, 0]])·[u; 1] = e^{hA}u + hφ₁(hA)g(u).
 *
 * <p>Eq. 17's augmented matrix carries g(u) in its last column, so it differs from sample to sample.
 * This class uses one augmented matrix for the whole batch instead, with an identity block column:
 * <pre>
 *   M = [[A, I], [0, 0]]  (2n × 2n),   exp(hM) = [[e^{hA}, hφ₁(hA)], [0, I]],
 *   [I 0]·exp(hM)·[u; g(u)] = e^{hA}u + hφ₁(hA)g(u),
 * </pre>
 * which is eq. 17 for every sample (both sides equal e^{hA}u + hφ₁(hA)g). One expmv of M on the block
 * [u_b; g(u_b)] of all B samples then advances the batch with one plan, one set of products and no
 * per-sample matrix (the tests check it against eq. 17 per sample). The plan comes from hM
 * ({@link #plan}), as in core's array expmv, which {@link #step(double[][], UnaryOperator, double[][], double)} uses.
 */
public final class Etd1 {
    private static final String ROUTINE = "etd1";

    private Etd1() {
    }

    /** M = [[A, I], [0, 0]], the augmented matrix of the whole batch. */
    public static double[][] augmented(double[][] a) {
        int n = Checks.square(ROUTINE, "A", a);
        double[][] m = new double[2 * n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        return m;
    }

    /** The expmv plan of one ETD1 step of size h for a batch of {@code batch} states, from the current A. */
    public static ExpmvGraph.Plan plan(double[][] a, double h, Precision precision, int batch) {
        Checks.step(ROUTINE, h);
        return ExpmvGraph.plan(augmented(a), h, precision, batch);
    }

    /** One ETD1 step in the graph: u [B, n] → u₊ [B, n]; the plan from {@link #plan} for the current A. */
    public static SDVariable step(SameDiff sd, SDVariable a, VectorField g, SDVariable u, double h, ExpmvGraph.Plan plan) {
        return step(sd, propagator(sd, a, h, plan), g, u);
    }

    /**
     * exp(hM) for M = [[A, I], [0, 0]], emitted once: every step of size h in a rollout shares it (for
     * the dense path, one matrix exponential per distinct h instead of one per step).
     */
    public static ExpmvGraph.Exponential propagator(SameDiff sd, SDVariable a, double h, ExpmvGraph.Plan plan) {
        Checks.step(ROUTINE, h);
        if (plan == null) {
            throw new IllegalArgumentException(ROUTINE + ": a graph step needs the expmv plan from Etd1.plan");
        }
        int n = plan.order() / 2;
        Checks.dimension(ROUTINE, "A", a, 0, n, "half the order of the plan's augmented matrix");
        Checks.dimension(ROUTINE, "A", a, 1, n, "half the order of the plan's augmented matrix");
        SDVariable eye = sd.constant(Nd4j.eye(n).castTo(a.dataType()));
        SDVariable zeros = sd.constant(Nd4j.zeros(a.dataType(), n, 2L * n));
        SDVariable m = sd.concat(0, sd.concat(1, a, eye), zeros);
        return ExpmvGraph.prepare(sd, m, h, plan);
    }

    /** One ETD1 step with a prepared exp(hM) from {@link #propagator}. */
    public static SDVariable step(SameDiff sd, ExpmvGraph.Exponential propagator, VectorField g, SDVariable u) {
        int n = propagator.plan().order() / 2;
        Checks.dimension(ROUTINE, "u", u, 1, n, "the order of A");
        SDVariable z = sd.concat(1, u, g.apply(sd, u));                    // rows [u_bᵀ, g(u_b)ᵀ]
        SDVariable next = propagator.applyToRows(z);
        return next.get(SDIndex.all(), SDIndex.interval(0, n));            // [I 0]·…
    }

    /** One ETD1 step on arrays (rows are states), through core's {@link Expmv}: the deployment twin of the graph step. */
    public static double[][] step(double[][] a, UnaryOperator<double[][]> g, double[][] u, double h) {
        int n = Checks.square(ROUTINE, "A", a);
        int batch = Checks.rows(ROUTINE, "u", u, n);
        Checks.step(ROUTINE, h);
        double[][] gu = g.apply(u);
        Checks.rows(ROUTINE, "g(u)", gu, n);
        double[][] z = new double[2 * n][batch];                             // columns [u_b; g(u_b)]
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                z[i][b] = u[b][i];
                z[n + i][b] = gu[b][i];
            }
        }
        double[][] y = Expmv.apply(augmented(a), z, h);
        double[][] next = new double[batch][n];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                next[b][i] = y[i][b];
            }
        }
        return next;
    }
}
