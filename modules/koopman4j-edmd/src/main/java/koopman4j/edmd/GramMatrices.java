package koopman4j.edmd;

import java.util.function.UnaryOperator;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectorySet;
import org.ejml.data.DMatrixRMaj;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sufficient statistics of E-DMD regression: G = Y_p Y_pᵀ and C = Y_f Y_pᵀ (m×m) over all
 * one-step pairs (eq. 4), since ‖Y_f − K Y_p‖²_F = tr(K G Kᵀ) − 2 tr(K Cᵀ) + const. They are
 * accumulated over chunks of pairs, so the m×N lifted data never exist at once and everything after
 * this costs the same for any number of samples N.
 */
public final class GramMatrices {

    /** Pairs lifted at a time: large enough for efficient products, small next to the m×m matrices. */
    static final int CHUNK = 2048;

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
        // the products go to the ND4J backend's dgemm (OpenBLAS on CPU): EJML's blocked Java product ran at a fifth of
        // NumPy's speed on the same G (bench edmd-fit), and G, C are most of a fit's time for large dictionaries
        INDArray g = Nd4j.create(DataType.DOUBLE, m, m);
        INDArray c = Nd4j.create(DataType.DOUBLE, m, m);
        int chunk = Math.min(CHUNK, sources.length);
        INDArray past = Nd4j.create(DataType.DOUBLE, chunk, m);
        INDArray future = Nd4j.create(DataType.DOUBLE, chunk, m);
        for (int start = 0; start < sources.length; start += CHUNK) {
            int end = Math.min(sources.length, start + CHUNK);
            INDArray p = fill(past, lift.apply(java.util.Arrays.copyOfRange(sources, start, end)), m);
            INDArray f = fill(future, lift.apply(java.util.Arrays.copyOfRange(targets, start, end)), m);
            Nd4j.gemm(p, p, g, true, false, 1.0, 1.0); // G += Ψ_pᵀΨ_p, Ψ_p = Y_pᵀ of this chunk
            Nd4j.gemm(f, p, c, true, false, 1.0, 1.0); // C += Ψ_fᵀΨ_p
        }
        DMatrixRMaj gm = new DMatrixRMaj(m, m);
        DMatrixRMaj cm = new DMatrixRMaj(m, m);
        g.data().asNioDouble().get(gm.data, 0, m * m);
        c.data().asNioDouble().get(cm.data, 0, m * m);
        symmetrise(gm);
        return new GramMatrices(gm, cm, sources.length);
    }

    /** The lifted rows in the first rows of {@code buffer} (a full chunk, or a copy for the last, shorter one). */
    private static INDArray fill(INDArray buffer, double[][] lifted, int m) {
        INDArray target = lifted.length == buffer.rows() ? buffer : Nd4j.create(DataType.DOUBLE, lifted.length, m);
        java.nio.DoubleBuffer data = target.data().asNioDouble();
        for (int r = 0; r < lifted.length; r++) {
            if (lifted[r].length != m) {
                throw new IllegalArgumentException("lifted row " + r + " has " + lifted[r].length + " entries, expected " + m);
            }
            data.put(r * m, lifted[r], 0, m);
        }
        return target;
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
