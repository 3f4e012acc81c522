package koopman4j.edmd;

/**
 * A dictionary ψ: Rⁿ → Rᵐ of observables for E-DMD (seed 000 §2.1, eq. 3): the data are lifted as
 * Y_p = [ψ(x_k)], Y_f = [ψ(x_{k+1})] (eq. 4) and K solves Y_f ≈ K Y_p (eq. 5–6).
 *
 * <p>The states themselves are among the functions, in original units, at {@link #stateIndices()}, so
 * a forecast is read back linearly: x = ψ[stateIndices]. The built-in dictionaries ({@link
 * DictionaryKind}) put the constant function at index 0 and x₁ … xₙ at indices 1 … n.
 */
public interface Dictionary {

    /** n, the dimension of the states it lifts. */
    int stateDimension();

    /** m, the number of functions. */
    int size();

    /** ψ(x) for every row x of {@code states}; row r of the result is ψ(states[r]). */
    double[][] lift(double[][] states);

    /** Where x₁ … xₙ sit in ψ. */
    default int[] stateIndices() {
        int[] idx = new int[stateDimension()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i + 1;
        }
        return idx;
    }

    /** One line for logs and reports, e.g. "legendre, total degree ≤ 2 on 7 states: 36 functions". */
    String description();
}
