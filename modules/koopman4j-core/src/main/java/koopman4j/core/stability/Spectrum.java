package koopman4j.core.stability;

import java.util.function.ToDoubleFunction;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import koopman4j.core.data.InvalidDataException;

/**
 * Eigenvalue measures of stability beside Byers' distances (§1): the spectral abscissa max Re λ (A is
 * stable in continuous time when it is negative) and the spectral radius max |λ| (stable in discrete
 * time when it is below 1). Both say whether A is stable, not how far it is from instability.
 */
public final class Spectrum {

    private Spectrum() {
    }

    /** max Re λ(A). */
    public static double abscissa(double[][] a) {
        return abscissaOf(checkedSquare(a));
    }

    /** max |λ(A)|. */
    public static double radius(double[][] a) {
        return radiusOf(checkedSquare(a));
    }

    static double abscissaOf(DMatrixRMaj a) {
        return max(a, mu -> mu.real);
    }

    static double radiusOf(DMatrixRMaj a) {
        return max(a, Complex_F64::getMagnitude);
    }

    private static double max(DMatrixRMaj a, ToDoubleFunction<Complex_F64> measure) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(a.numRows, false);
        if (!eig.decompose(a.copy())) {
            throw new IllegalStateException("eigenvalue iteration did not converge");
        }
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
            m = Math.max(m, measure.applyAsDouble(eig.getEigenvalue(i)));
        }
        return m;
    }

    /** A as an EJML matrix, or one line saying why it is not a finite, non-empty square matrix. */
    static DMatrixRMaj checkedSquare(double[][] a) {
        if (a == null || a.length == 0) {
            throw new InvalidDataException("matrix is empty: expected a square matrix with at least one row");
        }
        int n = a.length;
        for (int i = 0; i < n; i++) {
            if (a[i] == null || a[i].length != n) {
                throw new InvalidDataException("matrix is not square: row " + (i + 1) + " has "
                        + (a[i] == null ? 0 : a[i].length) + " entries, expected " + n);
            }
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(a[i][j])) {
                    throw new InvalidDataException("matrix entry (" + (i + 1) + ", " + (j + 1) + ") is "
                            + a[i][j] + ", expected a finite number");
                }
            }
        }
        return new DMatrixRMaj(a);
    }
}
