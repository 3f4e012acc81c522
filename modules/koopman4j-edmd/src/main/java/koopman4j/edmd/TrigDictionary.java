package koopman4j.edmd;

import java.util.Arrays;

/**
 * A trigonometric dictionary for states that include angles, such as the rotor angles of a swing
 * network (seed 000 §3.3, where the paper suspected that a basis other than Legendre would suit
 * E-DMD better): the swing equations couple generators through sin(δᵢ − δⱼ − γᵢⱼ), which is linear in
 * sin and cos of the angle differences, while polynomials of the angles approximate it only on a
 * bounded range.
 *
 * <p>For angle states θ_a (a in {@code angles}, 1-based state numbers, in the order given) the
 * arguments are φ = θ_a for every angle, then φ = θ_a − θ_b for every pair a before b in that order
 * (with angles relative to a reference generator, these are all the differences δᵢ − δⱼ of the
 * network). Layout: ψ₀ = 1; ψ₁ … ψₙ = x₁ … xₙ, every state (angles and speeds alike) in original
 * units; then for harmonic k = 1 … p (p = {@code degree}), for each φ in turn, sin(kφ) and cos(kφ).
 * That makes m = 1 + n + p·q·(q + 1) functions for q angles. The angles enter in radians, unscaled.
 */
public final class TrigDictionary implements Dictionary {

    private final int n;
    private final int degree;
    private final int[] angles;
    /** The arguments φ: pairs {a, b} of 0-based state indices, b = −1 for φ = θ_a alone. */
    private final int[][] arguments;

    /** {@code angles}: 1-based numbers of the angle states, distinct, each in 1 … n (checked by the caller). */
    TrigDictionary(int n, int degree, int[] angles) {
        this.n = n;
        this.degree = degree;
        this.angles = angles.clone();
        int q = angles.length;
        int[][] args = new int[q + q * (q - 1) / 2][];
        int r = 0;
        for (int a : angles) {
            args[r++] = new int[] {a - 1, -1};
        }
        for (int i = 0; i < q; i++) {
            for (int j = i + 1; j < q; j++) {
                args[r++] = new int[] {angles[i] - 1, angles[j] - 1};
            }
        }
        this.arguments = args;
    }

    /** m = 1 + n + p·q·(q + 1) for q angle states out of n and p harmonics. */
    static long size(int n, int degree, int q) {
        return 1L + n + (long) degree * q * (q + 1);
    }

    @Override
    public int stateDimension() {
        return n;
    }

    @Override
    public int size() {
        return (int) size(n, degree, angles.length);
    }

    @Override
    public double[][] lift(double[][] states) {
        double[][] out = new double[states.length][size()];
        for (int r = 0; r < states.length; r++) {
            double[] x = states[r];
            double[] psi = out[r];
            psi[0] = 1;
            System.arraycopy(x, 0, psi, 1, n);
            int col = 1 + n;
            for (int k = 1; k <= degree; k++) {
                for (int[] arg : arguments) {
                    double phi = arg[1] < 0 ? x[arg[0]] : x[arg[0]] - x[arg[1]];
                    psi[col++] = Math.sin(k * phi);
                    psi[col++] = Math.cos(k * phi);
                }
            }
        }
        return out;
    }

    @Override
    public String description() {
        return "trig, harmonics 1.." + degree + " of " + angles.length + " angles " + Arrays.toString(angles)
                + " and their differences, with " + n + " states: " + size() + " functions";
    }
}
