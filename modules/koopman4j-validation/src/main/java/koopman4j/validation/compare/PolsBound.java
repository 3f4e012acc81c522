package koopman4j.validation.compare;

import koopman4j.systems.PartiallyObservedLinearSystem;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * How small a one-step error any forecaster of a POLS can reach from the observed state alone (seed
 * 000 §3.1, Table 1). With x₀ ~ N(0, I) and x_{k+1} = A x_k, the pair (y_k, y_{k+1}) = (C x_k, C A x_k)
 * is jointly Gaussian with Σ_k = A^k A^kᵀ, so the best predictor of y_{k+1} from y_k — even one that
 * also knows k — is the conditional mean, linear in y_k, with error covariance
 * <pre>  C Σ_{k+1} Cᵀ − C A Σ_k Cᵀ (C Σ_k Cᵀ)⁺ C Σ_k Aᵀ Cᵀ.</pre>
 * The bound is 100·√(Σ_k tr(that) / Σ_k tr(C Σ_{k+1} Cᵀ)) over k = 0 … steps−1, the expected value of
 * ErrorMetrics' one-step error for the best possible model; it is 0 when no node is latent.
 */
final class PolsBound {

    private PolsBound() {
    }

    static double oneStepPct(PartiallyObservedLinearSystem system, int steps) {
        DMatrixRMaj a = new DMatrixRMaj(system.matrix());
        int[] observed = system.observedNodes();
        int n = a.numRows;
        DMatrixRMaj sigma = CommonOps_DDRM.identity(n);
        double error = 0;
        double reference = 0;
        for (int k = 0; k < steps; k++) {
            DMatrixRMaj aSigma = new DMatrixRMaj(n, n);
            CommonOps_DDRM.mult(a, sigma, aSigma);
            DMatrixRMaj next = new DMatrixRMaj(n, n);
            CommonOps_DDRM.multTransB(aSigma, a, next); // Σ_{k+1} = A Σ_k Aᵀ
            DMatrixRMaj pyy = select(sigma, observed);
            DMatrixRMaj pny = select(aSigma, observed); // Cov(y_{k+1}, y_k)
            DMatrixRMaj pnn = select(next, observed);
            // (C Σ_k Cᵀ)⁻¹ by Cholesky with a relative jitter of 1e-13: Σ_k grows ill-conditioned as the fast modes decay
            int m = observed.length;
            double jitter = 1e-13 * CommonOps_DDRM.trace(pyy) / m;
            for (int i = 0; i < m; i++) {
                pyy.add(i, i, jitter);
            }
            LinearSolverDense<DMatrixRMaj> cholesky = LinearSolverFactory_DDRM.chol(m);
            if (!cholesky.setA(pyy)) {
                throw new IllegalStateException("POLS bound: C Σ_k Cᵀ is not positive definite at k = " + k);
            }
            DMatrixRMaj x = new DMatrixRMaj(m, m);
            DMatrixRMaj pnyT = new DMatrixRMaj(m, m);
            CommonOps_DDRM.transpose(pny, pnyT);
            cholesky.solve(pnyT, x); // x = (C Σ_k Cᵀ)⁻¹ (C A Σ_k Cᵀ)ᵀ
            DMatrixRMaj explained = new DMatrixRMaj(m, m);
            CommonOps_DDRM.mult(pny, x, explained);
            error += Math.max(0, CommonOps_DDRM.trace(pnn) - CommonOps_DDRM.trace(explained));
            reference += CommonOps_DDRM.trace(pnn);
            sigma = next;
        }
        return 100 * Math.sqrt(error / reference);
    }

    private static DMatrixRMaj select(DMatrixRMaj m, int[] idx) {
        DMatrixRMaj out = new DMatrixRMaj(idx.length, idx.length);
        for (int i = 0; i < idx.length; i++) {
            for (int j = 0; j < idx.length; j++) {
                out.set(i, j, m.get(idx[i], idx[j]));
            }
        }
        return out;
    }
}
