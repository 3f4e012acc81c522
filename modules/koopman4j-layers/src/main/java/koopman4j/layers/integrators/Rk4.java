package koopman4j.layers.integrators;

import java.util.function.UnaryOperator;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The explicit classical Runge–Kutta baseline for du/dt = f(u) = Au + g(u) (seed 001, eq. 1):
 * k₁ = f(u), k₂ = f(u + h/2·k₁), k₃ = f(u + h/2·k₂), k₄ = f(u + h·k₃), u₊ = u + h/6·(k₁ + 2k₂ + 2k₃ + k₄).
 */
public final class Rk4 {
    private static final String ROUTINE = "rk4";

    private Rk4() {
    }

    /** One RK4 step in the graph: u [B, n] → u₊ [B, n]. */
    public static SDVariable step(SameDiff sd, SDVariable a, VectorField g, SDVariable u, double h) {
        Checks.step(ROUTINE, h);
        Checks.dimension(ROUTINE, "u", u, 1, orderOf(a), "the order of A");
        SDVariable k1 = f(sd, a, g, u);
        SDVariable k2 = f(sd, a, g, u.add(k1.mul(h / 2)));
        SDVariable k3 = f(sd, a, g, u.add(k2.mul(h / 2)));
        SDVariable k4 = f(sd, a, g, u.add(k3.mul(h)));
        return u.add(sd.math.mergeAdd(k1, k2.mul(2), k3.mul(2), k4).mul(h / 6));
    }

    /** f(u) = Au + g(u) on rows: u·Aᵀ + g(u). */
    private static SDVariable f(SameDiff sd, SDVariable a, VectorField g, SDVariable u) {
        return sd.mmul(u, a, false, true, false).add(g.apply(sd, u));
    }

    private static long orderOf(SDVariable a) {
        long[] shape = Checks.shape(a);
        return shape == null || shape.length < 1 ? -1 : shape[0];
    }

    /** One RK4 step on arrays (rows are states). */
    public static double[][] step(double[][] a, UnaryOperator<double[][]> g, double[][] u, double h) {
        int n = Checks.square(ROUTINE, "A", a);
        Checks.rows(ROUTINE, "u", u, n);
        Checks.step(ROUTINE, h);
        double[][] k1 = f(a, g, u);
        double[][] k2 = f(a, g, axpy(h / 2, k1, u));
        double[][] k3 = f(a, g, axpy(h / 2, k2, u));
        double[][] k4 = f(a, g, axpy(h, k3, u));
        double[][] next = new double[u.length][n];
        for (int b = 0; b < u.length; b++) {
            for (int i = 0; i < n; i++) {
                next[b][i] = u[b][i] + h / 6 * (k1[b][i] + 2 * k2[b][i] + 2 * k3[b][i] + k4[b][i]);
            }
        }
        return next;
    }

    private static double[][] f(double[][] a, UnaryOperator<double[][]> g, double[][] u) {
        double[][] gu = g.apply(u);
        Checks.rows(ROUTINE, "g(u)", gu, a.length);
        double[][] out = new double[u.length][a.length];
        for (int b = 0; b < u.length; b++) {
            for (int i = 0; i < a.length; i++) {
                double sum = gu[b][i];
                for (int j = 0; j < a.length; j++) {
                    sum += a[i][j] * u[b][j];
                }
                out[b][i] = sum;
            }
        }
        return out;
    }

    /** u + αk. */
    private static double[][] axpy(double alpha, double[][] k, double[][] u) {
        double[][] out = new double[u.length][];
        for (int b = 0; b < u.length; b++) {
            out[b] = u[b].clone();
            for (int i = 0; i < out[b].length; i++) {
                out[b][i] += alpha * k[b][i];
            }
        }
        return out;
    }
}
