package koopman4j.layers.integrators;

import java.util.function.UnaryOperator;
import koopman4j.core.data.InvalidDataException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The IMEX baseline of seed 001 §5.1, semi-implicit Euler: (I − hA)u₊ = u + h·g(u) — the linear part
 * implicit, g explicit.
 *
 * <p>SameDiff M2.1 has no gradient for solve (and fails to build gradients through it even behind a
 * stop-gradient) and a wrong one for matrixInverse, whose forward value is also inaccurate for nearly
 * triangular matrices (relative error 6·10⁻⁸ when the off-triangle entry is 10⁻⁷). So the graph step
 * takes matrixInverse, refines it by two Newton–Schulz steps X ← X + X(I − MX) (each squares the error),
 * holds the result under stop-gradient, and attaches the exact derivative by hand.
 * Differentiating (I − hA)u₊ = r, r = u + h·g(u), gives −h·dA·u₊ + (I − hA)du₊ = dr, i.e.
 * <pre>
 *   du₊ = M⁻¹(dr + h·dA·u₊),   M = I − hA,
 * </pre>
 * which is the derivative of q = M⁻¹_c(r + h·A·u₊_c) with M⁻¹_c and u₊_c held constant. So
 * u₊ = stop(M⁻¹r) + q − stop(q): its value is M⁻¹r (q − stop(q) is exactly 0) and its gradient that of
 * the implicit step, with respect to A, u and every parameter inside g.
 */
public final class Imex {
    private static final String ROUTINE = "imex";

    private Imex() {
    }

    /** One IMEX step in the graph: u [B, n] → u₊ [B, n]. */
    public static SDVariable step(SameDiff sd, SDVariable a, VectorField g, SDVariable u, double h) {
        Checks.step(ROUTINE, h);
        long[] shape = Checks.shape(a); // known for variables and constants; SameDiff leaves op outputs' shapes unknown
        SDVariable eye;
        if (shape != null) {
            if (shape.length != 2 || shape[0] != shape[1] || shape[0] < 1) {
                throw new InvalidDataException(ROUTINE + ": A must be a square matrix, got shape " + java.util.Arrays.toString(shape));
            }
            Checks.dimension(ROUTINE, "u", u, 1, shape[0], "the order of A");
            eye = sd.constant(Nd4j.eye(shape[0]).castTo(a.dataType()));
        } else {
            eye = sd.math.diag(sd.math.diagPart(a).mul(0.0).add(1.0)); // I of A's order from shape-agnostic ops (used under stop-gradient only)
        }
        SDVariable r = u.add(g.apply(sd, u).mul(h));                            // r = u + h g(u)
        SDVariable m = eye.sub(a.mul(h));                                        // M = I − hA
        SDVariable x = sd.math.matrixInverse(m);
        for (int i = 0; i < 2; i++) {
            x = x.add(sd.mmul(x, eye.sub(sd.mmul(m, x))));                       // Newton–Schulz: X ← X + X(I − MX)
        }
        SDVariable inverse = stop(sd, x);                                        // M⁻¹, value only
        SDVariable next = stop(sd, sd.mmul(r, inverse, false, true, false));     // rows: u₊ᵀ = rᵀ M⁻ᵀ
        SDVariable q = sd.mmul(r.add(sd.mmul(next, a, false, true, false).mul(h)), inverse, false, true, false);
        return next.add(q.sub(stop(sd, q)));                                     // value M⁻¹r, derivative M⁻¹(dr + h dA u₊)
    }

    private static SDVariable stop(SameDiff sd, SDVariable x) {
        return new StopGradient(sd, x).outputVariable();
    }

    /** One IMEX step on arrays (rows are states): an LU solve with partial pivoting. */
    public static double[][] step(double[][] a, UnaryOperator<double[][]> g, double[][] u, double h) {
        int n = Checks.square(ROUTINE, "A", a);
        int batch = Checks.rows(ROUTINE, "u", u, n);
        Checks.step(ROUTINE, h);
        double[][] gu = g.apply(u);
        Checks.rows(ROUTINE, "g(u)", gu, n);
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        DMatrixRMaj r = new DMatrixRMaj(n, batch);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m.set(i, j, (i == j ? 1 : 0) - h * a[i][j]);
            }
            for (int b = 0; b < batch; b++) {
                r.set(i, b, u[b][i] + h * gu[b][i]);
            }
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.lu(n);
        if (!solver.setA(m)) {
            throw new InvalidDataException(ROUTINE + ": I − hA is singular for h = " + h);
        }
        DMatrixRMaj x = new DMatrixRMaj(n, batch);
        solver.solve(r, x);
        double[][] next = new double[batch][n];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                next[b][i] = x.get(i, b);
            }
        }
        return next;
    }
}
