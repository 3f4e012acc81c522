package koopman4j.edmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;

class LeastSquaresTest {

    static final double LAMBDA = 0.9;
    static final double MU = 0.5;

    /** The dictionary {x, y, x²}, which spans a Koopman-invariant subspace of the system below. */
    static final Dictionary X_Y_X2 = new Dictionary() {
        @Override
        public int stateDimension() {
            return 2;
        }

        @Override
        public int size() {
            return 3;
        }

        @Override
        public double[][] lift(double[][] states) {
            double[][] out = new double[states.length][];
            for (int r = 0; r < states.length; r++) {
                out[r] = new double[] {states[r][0], states[r][1], states[r][0] * states[r][0]};
            }
            return out;
        }

        @Override
        public int[] stateIndices() {
            return new int[] {0, 1};
        }

        @Override
        public String description() {
            return "{x, y, x²}";
        }
    };

    /** Trajectories of x₊ = λx, y₊ = μy + (λ² − μ)x² from random states in [−1, 1]². */
    static TrajectorySet closedFormSystem(int count, int steps, long seed) {
        Random rng = new Random(seed);
        List<Trajectory> ts = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            double[][] s = new double[steps + 1][];
            double x = 2 * rng.nextDouble() - 1;
            double y = 2 * rng.nextDouble() - 1;
            double[] t = new double[steps + 1];
            for (int k = 0; k <= steps; k++) {
                s[k] = new double[] {x, y};
                t[k] = k;
                double xNext = LAMBDA * x;
                y = MU * y + (LAMBDA * LAMBDA - MU) * x * x;
                x = xNext;
            }
            ts.add(new Trajectory(t, s));
        }
        return new TrajectorySet(List.of("x", "y"), ts);
    }

    @Test
    void recoversTheClosedFormKoopmanMatrixOnItsInvariantSubspace() {
        double[][] k = LeastSquares.solve(GramMatrices.of(X_Y_X2, closedFormSystem(10, 20, 1)), 0);
        double[][] exact = {{LAMBDA, 0, 0}, {0, MU, LAMBDA * LAMBDA - MU}, {0, 0, LAMBDA * LAMBDA}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(exact[i][j], k[i][j], 1e-10, "K[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void matchesQrOnTheStackedTikhonovProblem() {
        Random rng = new Random(2);
        int n = 150;
        int m = 7;
        double tikhonov = 3.0;
        double[][] past = new double[n][m];
        double[][] future = new double[n][m];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < m; j++) {
                past[r][j] = rng.nextGaussian() * (j + 1);
                future[r][j] = rng.nextGaussian();
            }
        }
        double[][] k = LeastSquares.solve(GramMatrices.of(past, future), tikhonov);

        // independent reference: min ‖[Ψ_p; √λ₂ I] Kᵀ − [Ψ_f; 0]‖ by Householder QR
        DMatrixRMaj a = new DMatrixRMaj(n + m, m);
        DMatrixRMaj b = new DMatrixRMaj(n + m, m);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < m; j++) {
                a.set(r, j, past[r][j]);
                b.set(r, j, future[r][j]);
            }
        }
        for (int j = 0; j < m; j++) {
            a.set(n + j, j, Math.sqrt(tikhonov));
        }
        DMatrixRMaj kT = new DMatrixRMaj(m, m);
        LinearSolverDense<DMatrixRMaj> qr = LinearSolverFactory_DDRM.leastSquares(n + m, m);
        assertTrue(qr.setA(a));
        qr.solve(b, kT);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                assertEquals(kT.get(j, i), k[i][j], 1e-12);
            }
        }
    }

    @Test
    void refusesLinearlyDependentDictionaryFunctions() {
        Random rng = new Random(3);
        double[][] past = new double[40][3];
        for (double[] row : past) {
            row[0] = rng.nextGaussian();
            row[1] = rng.nextGaussian();
            row[2] = row[0] - 2 * row[1];
        }
        var e = assertThrows(InvalidDataException.class, () -> LeastSquares.solve(GramMatrices.of(past, past), 0));
        assertTrue(e.getMessage().startsWith("E-DMD: the 3 dictionary functions are linearly dependent on the 40 training pairs"),
                e.getMessage());
        // Tikhonov regularisation makes the same problem well posed
        assertEquals(3, LeastSquares.solve(GramMatrices.of(past, past), 1e-3).length);
    }
}
