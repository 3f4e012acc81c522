package koopman4j.edmd;

import java.util.ArrayList;
import java.util.List;
import koopman4j.core.data.Normalisation;

/**
 * Tensor-product polynomial dictionaries of total degree ≤ p (seed 000 §2.1: "orthonormal polynomial
 * basis functions … quadratic or cubic cross terms"): ψ_α(x) = Π_i b_{α_i}(z_i) for every exponent
 * vector α with |α| ≤ p, z = (x − mean)/scale, and b_k the Legendre polynomial P_k, the probabilists'
 * Hermite polynomial He_k or the monomial z^k. That makes m = C(n+p, p) functions.
 *
 * <p>Layout: ψ₀ = 1; ψ₁ … ψₙ = x₁ … xₙ in original units (the |α| = 1 functions, which span the same
 * space as b₁(z_i) = z_i, kept unscaled so a forecast reads x back directly); then |α| = 2, 3, … in
 * lexicographic order of the nondecreasing variable lists (x₁x₁, x₁x₂, …). All three families span the
 * same space for a given p; the basis matters for conditioning and for which functions the group
 * lasso drops.
 */
public final class PolynomialDictionary implements Dictionary {

    private final DictionaryKind family;
    private final int degree;
    private final Normalisation scaling;
    /** For each function past the states: {variable, power, variable, power, …}. */
    private final int[][] terms;

    PolynomialDictionary(DictionaryKind family, int degree, Normalisation scaling) {
        this.family = family;
        this.degree = degree;
        this.scaling = scaling;
        List<int[]> t = new ArrayList<>();
        for (int d = 2; d <= degree; d++) {
            addTerms(new int[d], 0, 0, scaling.dimension(), t);
        }
        this.terms = t.toArray(int[][]::new);
    }

    /** Every nondecreasing list of variables of length vars.length, as (variable, power) pairs. */
    private static void addTerms(int[] vars, int position, int first, int n, List<int[]> out) {
        if (position == vars.length) {
            List<Integer> pairs = new ArrayList<>();
            for (int i = 0; i < vars.length; i++) {
                if (i == 0 || vars[i] != vars[i - 1]) {
                    pairs.add(vars[i]);
                    pairs.add(1);
                } else {
                    pairs.set(pairs.size() - 1, pairs.get(pairs.size() - 1) + 1);
                }
            }
            out.add(pairs.stream().mapToInt(Integer::intValue).toArray());
            return;
        }
        for (int v = first; v < n; v++) {
            vars[position] = v;
            addTerms(vars, position + 1, v, n, out);
        }
    }

    @Override
    public int stateDimension() {
        return scaling.dimension();
    }

    @Override
    public int size() {
        return 1 + stateDimension() + terms.length;
    }

    /** The exponent vector α of function j (α = 0 for the constant, a unit vector for a state). */
    public int[] exponents(int j) {
        int n = stateDimension();
        int[] alpha = new int[n];
        if (j >= 1 && j <= n) {
            alpha[j - 1] = 1;
        } else if (j > n) {
            int[] t = terms[j - 1 - n];
            for (int q = 0; q < t.length; q += 2) {
                alpha[t[q]] = t[q + 1];
            }
        }
        return alpha;
    }

    @Override
    public double[][] lift(double[][] states) {
        int n = stateDimension();
        double[] mean = scaling.mean();
        double[] scale = scaling.scale();
        double[][] b = new double[n][degree + 1];
        double[][] out = new double[states.length][size()];
        for (int r = 0; r < states.length; r++) {
            double[] x = states[r];
            double[] psi = out[r];
            psi[0] = 1;
            for (int i = 0; i < n; i++) {
                psi[1 + i] = x[i];
                basis((x[i] - mean[i]) / scale[i], b[i]);
            }
            for (int j = 0; j < terms.length; j++) {
                int[] t = terms[j];
                double v = 1;
                for (int q = 0; q < t.length; q += 2) {
                    v *= b[t[q]][t[q + 1]];
                }
                psi[1 + n + j] = v;
            }
        }
        return out;
    }

    /** b₀(z) … b_p(z) by the three-term recurrences. */
    private void basis(double z, double[] b) {
        b[0] = 1;
        b[1] = z;
        for (int k = 1; k < degree; k++) {
            b[k + 1] = switch (family) {
                case LEGENDRE -> ((2 * k + 1) * z * b[k] - k * b[k - 1]) / (k + 1); // (k+1)P_{k+1} = (2k+1)zP_k − kP_{k−1}
                case HERMITE -> z * b[k] - k * b[k - 1]; // He_{k+1} = z He_k − k He_{k−1}
                default -> z * b[k];
            };
        }
    }

    @Override
    public String description() {
        String on = family == DictionaryKind.HERMITE ? "standardised" : "scaled to [-1, 1]";
        return family.id() + ", total degree ≤ " + degree + " on " + stateDimension() + " states " + on + ": " + size() + " functions";
    }
}
