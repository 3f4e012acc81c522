package koopman4j.edmd;

import java.util.function.UnaryOperator;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectorySet;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_MT_DDRM;

/**
 * The sufficient statistics of E-DMD regression: G = Y_p Y_pᵀ and C = Y_f Y_pᵀ (m×m) over all
 * one-step pairs (eq. 4), since ‖Y_f − K Y_p‖²_F = tr(K G Kᵀ) − 2 tr(K Cᵀ) + const. They are
 * accumulated over chunks of pairs, so the m×N lifted data never exist at once and everything after
 * this costs the same for any number of samples N.
 */
public final class GramMatrices {

    /** Pairs lifted at a time: large enough for efficient products, small next to the m×m matrices. */
    static final int CHUNK = 512;

    final DMatrixRMaj g;
    final DMatrixRMaj c;
    private final int pairs;

    private GramMatrices(DMatrixRMaj g, DMatrixRMaj c, int pairs) {
        this.g = g;
        this.c = c;
        this.pairs = pairs;
    }

    /** G and C of the one-step pairs of {@code data} lifted by {@code psi}. */
    public static GramMatrices of(Dictionary psi, TrajectorySet data) {
        if (data.dimension() != psi.stateDimension()) {
            throw new InvalidDataException("E-DMD: the data have " + data.dimension() + " states, the dictionary lifts " + psi.stateDimension());
        }
        return accumulate(psi::lift, psi.size(), data.pairSources(), data.pairTargets());
    }

    /** G and C of lifted pairs given directly: row r of {@code past} is ψ(x_r), of {@code future} ψ(x_{r+1}). */
    public static GramMatrices of(double[][] past, double[][] future) {
        if (past.length != future.length || past.length == 0) {
            throw new IllegalArgumentException("need as many future as past rows, and at least one; got " + past.length + " and " + future.length);
        }
        return accumulate(rows -> rows, past[0].length, past, future);
    }

    private static GramMatrices accumulate(UnaryOperator<double[][]> lift, int m, double[][] sources, double[][] targets) {
        DMatrixRMaj g = new DMatrixRMaj(m, m);
        DMatrixRMaj c = new DMatrixRMaj(m, m);
        for (int start = 0; start < sources.length; start += CHUNK) {
            int end = Math.min(sources.length, start + CHUNK);
            DMatrixRMaj past = rows(lift.apply(java.util.Arrays.copyOfRange(sources, start, end)), m);
            DMatrixRMaj future = rows(lift.apply(java.util.Arrays.copyOfRange(targets, start, end)), m);
            CommonOps_MT_DDRM.multAddTransA(past, past, g); // G += Ψ_pᵀΨ_p, Ψ_p = Y_pᵀ of this chunk
            CommonOps_MT_DDRM.multAddTransA(future, past, c); // C += Ψ_fᵀΨ_p
        }
        symmetrise(g);
        return new GramMatrices(g, c, sources.length);
    }

    /** G = (G + Gᵀ)/2, removing the rounding asymmetry of the blocked product. */
    private static void symmetrise(DMatrixRMaj g) {
        int m = g.numRows;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double v = 0.5 * (g.data[i * m + j] + g.data[j * m + i]);
                g.data[i * m + j] = v;
                g.data[j * m + i] = v;
            }
        }
    }

    private static DMatrixRMaj rows(double[][] lifted, int m) {
        DMatrixRMaj out = new DMatrixRMaj(lifted.length, m);
        for (int r = 0; r < lifted.length; r++) {
            if (lifted[r].length != m) {
                throw new IllegalArgumentException("lifted row " + r + " has " + lifted[r].length + " entries, expected " + m);
            }
            System.arraycopy(lifted[r], 0, out.data, r * m, m);
        }
        return out;
    }

    /** m, the dictionary size. */
    public int size() {
        return g.numRows;
    }

    /** N, the number of one-step pairs. */
    public int pairs() {
        return pairs;
    }

    /** A copy of G = Y_p Y_pᵀ. */
    public double[][] gram() {
        return toArray(g);
    }

    /** A copy of C = Y_f Y_pᵀ. */
    public double[][] cross() {
        return toArray(c);
    }

    static double[][] toArray(DMatrixRMaj a) {
        double[][] out = new double[a.numRows][a.numCols];
        for (int r = 0; r < a.numRows; r++) {
            System.arraycopy(a.data, r * a.numCols, out[r], 0, a.numCols);
        }
        return out;
    }
}
