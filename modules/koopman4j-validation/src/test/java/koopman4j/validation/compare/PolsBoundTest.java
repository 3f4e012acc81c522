package koopman4j.validation.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.systems.PartiallyObservedLinearSystem;
import koopman4j.edmd.Edmd;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** The POLS information bound against sampled data: per-step least squares on many trajectories approaches it. */
class PolsBoundTest {

    @Test
    void fullyObservedSystemIsPredictedExactly() {
        var system = PartiallyObservedLinearSystem.generate(PartiallyObservedLinearSystem.Options.of(6, 0, 3));
        assertEquals(0, PolsBound.oneStepPct(system, 20), 1e-3); // percent; √(jitter) is ~3e-5
    }

    @Test
    void boundMatchesPerStepLeastSquaresOnManyTrajectoriesAndNoModelBeatsIt() {
        var system = PartiallyObservedLinearSystem.generate(PartiallyObservedLinearSystem.Options.of(8, 0.25, 8));
        int steps = 10;
        double bound = PolsBound.oneStepPct(system, steps);
        TrajectorySet data = system.simulate(4_000, steps, 1);
        // the oracle that knows k: one least-squares y_{k+1} ≈ M_k y_k per step, its residual pooled as in ErrorMetrics
        int m = data.dimension();
        double err = 0;
        double ref = 0;
        for (int k = 0; k < steps; k++) {
            DMatrixRMaj y = new DMatrixRMaj(data.size(), m);
            DMatrixRMaj next = new DMatrixRMaj(data.size(), m);
            for (int r = 0; r < data.size(); r++) {
                Trajectory t = data.get(r);
                for (int i = 0; i < m; i++) {
                    y.set(r, i, t.states()[k][i]);
                    next.set(r, i, t.states()[k + 1][i]);
                }
            }
            DMatrixRMaj coef = new DMatrixRMaj(m, m);
            CommonOps_DDRM.solve(y, next, coef);
            DMatrixRMaj fit = new DMatrixRMaj(data.size(), m);
            CommonOps_DDRM.mult(y, coef, fit);
            for (int i = 0; i < fit.getNumElements(); i++) {
                double d = fit.data[i] - next.data[i];
                err += d * d;
                ref += next.data[i] * next.data[i];
            }
        }
        double oracle = 100 * Math.sqrt(err / ref);
        org.apache.logging.log4j.LogManager.getLogger(PolsBoundTest.class).info("POLS bound {}%, sampled per-step oracle {}%", bound, oracle);
        assertTrue(bound > 1, "a quarter of the nodes latent leaves an error: " + bound);
        assertEquals(bound, oracle, 0.04 * bound, "sampled oracle " + oracle + " vs bound " + bound);
        // a pooled E-DMD (one K for every k) does no better than the oracle
        Edmd linear = Edmd.fit(data, Edmd.Options.of("legendre", 2, 0, 0, 1e-8, 0));
        assertTrue(ErrorMetrics.oneStepErrorPct(linear, data) >= 0.96 * bound);
    }
}
