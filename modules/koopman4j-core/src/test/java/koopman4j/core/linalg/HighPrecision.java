package koopman4j.core.linalg;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * An independent reference for e^{tA}: 60-digit decimal arithmetic, the Taylor series summed to 10⁻⁷⁰
 * on tA/2^s with ‖tA/2^s‖₁ ≤ 1/2, then s squarings. Slow (n ≤ 10 or so), exact input, no shared code.
 */
final class HighPrecision {
    private static final MathContext MC = new MathContext(60);
    private static final BigDecimal TINY = new BigDecimal("1e-400");

    private HighPrecision() {
    }

    /** e^{tA}B rounded to double. */
    static double[][] expmv(double[][] a, double[][] b, double t) {
        BigDecimal[][] e = expm(a, t);
        int n = a.length;
        int k = b[0].length;
        double[][] x = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                BigDecimal sum = BigDecimal.ZERO;
                for (int l = 0; l < n; l++) {
                    sum = sum.add(e[i][l].multiply(new BigDecimal(b[l][j]), MC), MC);
                }
                x[i][j] = sum.doubleValue();
            }
        }
        return x;
    }

    /** e^{tA} rounded to double. */
    static double[][] expmDouble(double[][] a, double t) {
        BigDecimal[][] e = expm(a, t);
        double[][] x = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                x[i][j] = e[i][j].doubleValue();
            }
        }
        return x;
    }

    static BigDecimal[][] expm(double[][] a, double t) {
        int n = a.length;
        BigDecimal[][] x = new BigDecimal[n][n];
        double norm = 0;
        for (int j = 0; j < n; j++) {
            double col = 0;
            for (int i = 0; i < n; i++) {
                col += Math.abs(t * a[i][j]);
            }
            norm = Math.max(norm, col);
        }
        int s = Math.max(0, Math.getExponent(norm) + 2);           // ‖tA‖/2^s ≤ 1/2
        BigDecimal scale = BigDecimal.ONE.divide(new BigDecimal(2).pow(s), MC);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                x[i][j] = new BigDecimal(a[i][j]).multiply(new BigDecimal(t), MC).multiply(scale, MC);
            }
        }
        BigDecimal[][] sum = identity(n);
        BigDecimal[][] term = identity(n);
        BigDecimal eps = new BigDecimal("1e-70");
        for (int k = 1; k < 400; k++) {
            term = multiply(term, x);
            BigDecimal inv = BigDecimal.ONE.divide(new BigDecimal(k), MC);
            BigDecimal max = BigDecimal.ZERO;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    term[i][j] = term[i][j].multiply(inv, MC);
                    sum[i][j] = sum[i][j].add(term[i][j], MC);
                    max = max.max(term[i][j].abs());
                }
            }
            if (max.compareTo(eps) < 0) {
                break;
            }
        }
        for (int i = 0; i < s; i++) {
            sum = multiply(sum, sum);
        }
        return sum;
    }

    private static BigDecimal[][] multiply(BigDecimal[][] p, BigDecimal[][] q) {
        int n = p.length;
        BigDecimal[][] r = new BigDecimal[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                BigDecimal sum = BigDecimal.ZERO;
                for (int l = 0; l < n; l++) {
                    sum = sum.add(p[i][l].multiply(q[l][j], MC), MC);
                }
                r[i][j] = sum.abs().compareTo(TINY) < 0 ? BigDecimal.ZERO : sum;   // far below double; keeps the decimal exponent in range
            }
        }
        return r;
    }

    private static BigDecimal[][] identity(int n) {
        BigDecimal[][] x = new BigDecimal[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                x[i][j] = i == j ? BigDecimal.ONE : BigDecimal.ZERO;
            }
        }
        return x;
    }
}
