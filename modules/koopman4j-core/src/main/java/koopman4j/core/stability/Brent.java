package koopman4j.core.stability;

import java.util.function.DoubleUnaryOperator;

/**
 * Brent's minimiser (golden section with parabolic steps; Brent 1973, ch. 5), used to polish the
 * minimising frequency after the level-set refinement.
 */
final class Brent {

    /** A point and the function's value there. */
    record Minimum(double t, double value) {
    }

    private static final double GOLDEN = 0.5 * (3 - Math.sqrt(5));
    private static final double SQRT_EPS = Math.sqrt(Math.ulp(1.0));

    private Brent() {
    }

    /**
     * A local minimum of f in (a, b) found from x, where f(x) = fx is below f at both ends; x is located to
     * about √ε·|x| + tolAbs.
     */
    static Minimum minimize(DoubleUnaryOperator f, double a, double b, double x, double fx, double tolAbs,
                            int maxEvaluations) {
        double w = x;
        double v = x;
        double fw = fx;
        double fv = fx;
        double d = 0;
        double e = 0;
        for (int k = 0; k < maxEvaluations; k++) {
            double mid = 0.5 * (a + b);
            double tol = SQRT_EPS * Math.abs(x) + tolAbs;
            if (Math.abs(x - mid) <= 2 * tol - 0.5 * (b - a)) {
                break;
            }
            boolean golden = true;
            if (Math.abs(e) > tol) {
                // parabola through (x, fx), (w, fw), (v, fv)
                double r = (x - w) * (fx - fv);
                double q = (x - v) * (fx - fw);
                double p = (x - v) * q - (x - w) * r;
                q = 2 * (q - r);
                if (q > 0) {
                    p = -p;
                } else {
                    q = -q;
                }
                double previous = e;
                if (Math.abs(p) < Math.abs(0.5 * q * previous) && p > q * (a - x) && p < q * (b - x)) {
                    e = d;
                    d = p / q;
                    golden = false;
                    if (x + d - a < 2 * tol || b - (x + d) < 2 * tol) {
                        d = x < mid ? tol : -tol;
                    }
                }
            }
            if (golden) {
                e = (x < mid ? b : a) - x;
                d = GOLDEN * e;
            }
            double u = x + (Math.abs(d) >= tol ? d : Math.copySign(tol, d));
            double fu = f.applyAsDouble(u);
            if (fu <= fx) {
                if (u < x) {
                    b = x;
                } else {
                    a = x;
                }
                v = w;
                fv = fw;
                w = x;
                fw = fx;
                x = u;
                fx = fu;
            } else {
                if (u < x) {
                    a = u;
                } else {
                    b = u;
                }
                if (fu <= fw || w == x) {
                    v = w;
                    fv = fw;
                    w = u;
                    fw = fu;
                } else if (fu <= fv || v == x || v == w) {
                    v = u;
                    fv = fu;
                }
            }
        }
        return new Minimum(x, fx);
    }
}
