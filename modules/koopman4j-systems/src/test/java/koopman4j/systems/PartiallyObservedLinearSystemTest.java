package koopman4j.systems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectorySet;
import org.hipparchus.complex.Complex;
import org.hipparchus.linear.EigenDecompositionNonSymmetric;
import org.hipparchus.linear.MatrixUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartiallyObservedLinearSystemTest {

    @Test
    void sameSeedGivesTheSameSystemAndTrajectories() {
        var options = PartiallyObservedLinearSystem.Options.of(16, 0.25, 3);
        var first = PartiallyObservedLinearSystem.generate(options);
        var second = PartiallyObservedLinearSystem.generate(options);
        assertArrayEquals(first.matrix(), second.matrix());
        assertArrayEquals(first.observedNodes(), second.observedNodes());
        assertEquals(first.simulate(3, 20, 9), second.simulate(3, 20, 9));
        var other = PartiallyObservedLinearSystem.generate(PartiallyObservedLinearSystem.Options.of(16, 0.25, 4));
        assertNotEquals(Arrays.deepToString(first.matrix()), Arrays.deepToString(other.matrix()));
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8, 16, 32, 64, 128})
    void spectralRadiusIsTheRequestedOneAndSomeModesOscillate(int nodes) {
        var system = PartiallyObservedLinearSystem.generate(PartiallyObservedLinearSystem.Options.of(nodes, 0.25, nodes));
        double[][] a = system.matrix();
        // Gelfand: ρ(A) = lim ‖A^k x‖^{1/k}, an estimate independent of the eigen-solver used to scale A
        assertEquals(0.95, gelfand(a, 4000), 0.01);
        Complex[] lambda = new EigenDecompositionNonSymmetric(MatrixUtils.createRealMatrix(a)).getEigenvalues();
        double rho = Arrays.stream(lambda).mapToDouble(Complex::norm).max().orElseThrow();
        assertEquals(0.95, rho, 1e-12);
        assertTrue(rho < 1);
        assertTrue(Arrays.stream(lambda).anyMatch(z -> z.getImaginary() != 0), "an oscillatory mode");
    }

    @Test
    void dataHoldTheObservedFractionOfNodesNamedX1Onwards() {
        var system = PartiallyObservedLinearSystem.generate(PartiallyObservedLinearSystem.Options.of(32, 0.25, 1));
        TrajectorySet data = system.simulate(2, 10, 5);
        assertEquals(24, data.dimension());
        assertEquals(24, system.observedNodes().length);
        assertEquals("x1", data.names().get(0));
        assertEquals("x24", data.names().get(23));
        assertEquals(2, data.size());
        assertEquals(11, data.get(0).length());
        assertEquals(1.0, data.get(0).times()[1]);
        int[] observed = system.observedNodes();
        for (int j = 1; j < observed.length; j++) {
            assertTrue(observed[j] > observed[j - 1]);
        }
    }

    @Test
    void observedStatesFollowTheFullLinearDynamics() {
        // with no latent node the data are the full state, so x_{k+1} = A x_k must hold exactly
        var system = PartiallyObservedLinearSystem.generate(PartiallyObservedLinearSystem.Options.of(8, 0, 2));
        double[][] a = system.matrix();
        double[][] x = system.simulate(1, 5, 1).get(0).states();
        for (int k = 0; k + 1 < x.length; k++) {
            for (int i = 0; i < 8; i++) {
                double s = 0;
                for (int j = 0; j < 8; j++) {
                    s += a[i][j] * x[k][j];
                }
                assertEquals(s, x[k + 1][i], 1e-15);
            }
        }
    }

    @Test
    void rejectsALatentFractionThatLeavesNothingObserved() {
        var e = assertThrows(InvalidDataException.class, () -> PartiallyObservedLinearSystem.Options.of(4, 0.9, 1));
        assertEquals("POLS: latentFraction 0.9 of 4 nodes leaves none observed", e.getMessage());
        assertEquals(List.of("x1", "x2", "x3"),
                PartiallyObservedLinearSystem.generate(PartiallyObservedLinearSystem.Options.of(4, 0.25, 1)).observedNames());
    }

    /** ‖A^k x‖^{1/k} for a generic x, which tends to ρ(A) (Gelfand's formula applied to one vector). */
    private static double gelfand(double[][] a, int k) {
        int n = a.length;
        double[] x = new double[n];
        Arrays.fill(x, 1);
        double logNorm = 0;
        for (int step = 0; step < k; step++) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    y[i] += a[i][j] * x[j];
                }
            }
            double norm = Math.sqrt(Arrays.stream(y).map(v -> v * v).sum());
            logNorm += Math.log(norm);
            for (int i = 0; i < n; i++) {
                x[i] = y[i] / norm;
            }
        }
        return Math.exp(logNorm / k);
    }
}
