package koopman4j.core.model;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import koopman4j.core.data.InvalidDataException;

/**
 * How learned dictionary functions respond to perturbations along each observable (seed 000, Fig. 3): for
 * each input i, the states x_ref + δ·e_i with the other inputs held at the reference, and the learned
 * functions ψ_{n+1}, …, ψ_m at those states. Immutable.
 *
 * @param inputNames the perturbed observables, one panel each
 * @param reference  the state the perturbations start from (original units)
 * @param offsets    offsets[i][p]: the perturbation δ of input i at point p
 * @param responses  responses[i][p][j]: learned function j (ψ_{n+1+j}) at x_ref + offsets[i][p]·e_i
 */
public record DictionaryResponses(List<String> inputNames, double[] reference, double[][] offsets, double[][][] responses) {

    public DictionaryResponses {
        inputNames = List.copyOf(inputNames);
        reference = reference.clone();
        if (inputNames.size() != reference.length || offsets.length != reference.length || responses.length != reference.length) {
            throw new InvalidDataException("dictionary responses: " + inputNames.size() + " names, " + reference.length + " reference values, "
                    + offsets.length + " offset rows and " + responses.length + " response panels");
        }
    }

    /**
     * Sweeps each input over [reference_i − halfWidth_i, reference_i + halfWidth_i] in {@code points} equal steps,
     * evaluating {@code lift} (states as rows → ψ as rows, ψ = [state, learned functions]) once on all the states.
     */
    public static DictionaryResponses sweep(List<String> inputNames, double[] reference, double[] halfWidth, int points,
                                            UnaryOperator<double[][]> lift) {
        int n = reference.length;
        if (halfWidth.length != n || inputNames.size() != n) {
            throw new InvalidDataException("dictionary responses: " + n + " reference values, " + halfWidth.length + " half-widths and "
                    + inputNames.size() + " names");
        }
        if (points < 2) {
            throw new InvalidDataException("dictionary responses: need at least 2 points per observable, got " + points);
        }
        for (int i = 0; i < n; i++) {
            if (!(halfWidth[i] > 0) || !Double.isFinite(halfWidth[i]) || !Double.isFinite(reference[i])) {
                throw new InvalidDataException("dictionary responses: " + inputNames.get(i) + ": reference " + reference[i]
                        + " ± " + halfWidth[i] + "; expected a finite reference and a finite half-width > 0");
            }
        }
        double[][] offsets = new double[n][points];
        double[][] states = new double[n * points][];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < points; p++) {
                offsets[i][p] = halfWidth[i] * (2.0 * p / (points - 1) - 1);
                double[] x = reference.clone();
                x[i] += offsets[i][p];
                states[i * points + p] = x;
            }
        }
        double[][] psi = lift.apply(states);
        double[][][] responses = new double[n][points][];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < points; p++) {
                double[] row = psi[i * points + p];
                responses[i][p] = Arrays.copyOfRange(row, n, row.length); // ψ's first n entries are the state itself
            }
        }
        return new DictionaryResponses(inputNames, reference, offsets, responses);
    }

    /** The number of learned functions, m − n. */
    public int functions() {
        return responses.length == 0 || responses[0].length == 0 ? 0 : responses[0][0].length;
    }

    /**
     * The {@code count} learned functions that vary most along input i (largest max − min over the sweep), most
     * varying first: the ones worth drawing in that panel.
     */
    public int[] mostResponsive(int input, int count) {
        int m = functions();
        double[] spread = new double[m];
        for (int j = 0; j < m; j++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] at : responses[input]) {
                lo = Math.min(lo, at[j]);
                hi = Math.max(hi, at[j]);
            }
            spread[j] = Double.isFinite(hi - lo) ? hi - lo : -1;
        }
        return IntStream.range(0, m).boxed().sorted(Comparator.comparingDouble((Integer j) -> -spread[j]).thenComparingInt(j -> j))
                .limit(Math.max(0, count)).mapToInt(Integer::intValue).toArray();
    }
}
