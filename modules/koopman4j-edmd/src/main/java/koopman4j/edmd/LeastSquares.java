package koopman4j.edmd;

import java.util.Locale;
import koopman4j.core.data.InvalidDataException;
import org.ejml.data.DMatrixRBlock;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DGrowArray;
import org.ejml.dense.block.MatrixOps_DDRB;
import org.ejml.dense.block.linsol.chol.CholeskyOuterSolver_MT_DDRB;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * K = C (G + λ₂I)⁻¹, the minimiser of ‖Y_f − K Y_p‖²_F + λ₂‖K‖²_F: eq. 5 in the least-squares sense,
 * eq. 6 at λ = 0, with optional Tikhonov λ₂.
 *
 * <p>Method: the normal equations (G + λ₂I) Kᵀ = Cᵀ solved by a blocked Cholesky factorisation in
 * double precision, after symmetric diagonal scaling of G to unit diagonal (Jacobi equilibration). Why
 * not QR of Y_pᵀ: the E-DMD regressions share G and C, which cost O(N m²) once and hold 2m² numbers
 * whatever the number of pairs N, whereas QR needs the N×m lifted data in memory (N ≥ m, and N ≫ m
 * in practice) and a fresh O(N m²) factorisation for every λ₂. The price is κ(G) = κ(Y_p)²; the
 * polynomial bases are built on scaled states (Legendre on [−1, 1], Hermite standardised) to keep κ
 * modest, and a factorisation whose smallest pivot of the equilibrated G falls below m·ε — dictionary
 * functions linearly dependent on the training states — is refused with a message, not returned as
 * noise.
 */
public final class LeastSquares {

    private LeastSquares() {
    }

    /** K (rows) for the pairs summarised by {@code gram}, Tikhonov {@code tikhonov} = λ₂ ≥ 0. */
    public static double[][] solve(GramMatrices gram, double tikhonov) {
        DMatrixRMaj kT = solveTransposed(gram, tikhonov);
        CommonOps_DDRM.transpose(kT);
        return GramMatrices.toArray(kT);
    }

    /** Kᵀ as a row-major matrix, the form the model keeps. */
    static DMatrixRMaj solveTransposed(GramMatrices gram, double tikhonov) {
        int m = gram.size();
        double[] d = new double[m];
        for (int i = 0; i < m; i++) {
            d[i] = Math.sqrt(gram.g.data[i * m + i] + tikhonov);
            if (!(d[i] > 0)) {
                throw new InvalidDataException(String.format(Locale.ROOT,
                        "E-DMD: dictionary function %,d is zero on every training state — add --tikhonov or use another dictionary", i));
            }
        }
        // Ĝ = D⁻¹(G + λ₂I)D⁻¹ and B = D⁻¹Cᵀ, so that Ĝ (D Kᵀ) = B
        DMatrixRMaj a = new DMatrixRMaj(m, m);
        DMatrixRMaj b = new DMatrixRMaj(m, m);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                a.data[i * m + j] = (gram.g.data[i * m + j] + (i == j ? tikhonov : 0)) / (d[i] * d[j]);
                b.data[i * m + j] = gram.c.data[j * m + i] / d[i];
            }
        }
        DGrowArray work = new DGrowArray();
        DMatrixRBlock aBlock = MatrixOps_DDRB.convertInplace(a, null, work);
        CholeskyOuterSolver_MT_DDRB cholesky = new CholeskyOuterSolver_MT_DDRB();
        boolean positive = cholesky.setA(aBlock);
        double pivot = positive ? smallestPivot(aBlock) : 0;
        if (!(pivot > m * Math.ulp(1.0))) {
            throw new InvalidDataException(String.format(Locale.ROOT,
                    "E-DMD: the %,d dictionary functions are linearly dependent on the %,d training pairs (Gram matrix singular, "
                            + "smallest Cholesky pivot %.1e) — add --tikhonov, lower the dictionary size or use more data",
                    m, gram.pairs(), pivot));
        }
        DMatrixRBlock bBlock = MatrixOps_DDRB.convertInplace(b, null, work);
        cholesky.solve(bBlock, null);
        DMatrixRMaj kT = MatrixOps_DDRB.convertInplace(bBlock, null, work);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                kT.data[i * m + j] /= d[i];
            }
        }
        return kT;
    }

    /** min_i L_ii², the smallest pivot of the factorised (unit-diagonal) matrix. */
    private static double smallestPivot(DMatrixRBlock l) {
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < l.numRows; i++) {
            min = Math.min(min, l.get(i, i) * l.get(i, i));
        }
        return min;
    }
}
