package koopman4j.edmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GroupLassoTest {

    static final GroupLasso.Settings TIGHT = new GroupLasso.Settings(1e-13, 200_000);

    /** Lifted pairs whose true K uses only some dictionary functions, plus noise. */
    static GramMatrices problem(long seed) {
        Random rng = new Random(seed);
        int n = 300;
        int m = 10;
        double[][] kTrue = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j += 2) {
                kTrue[i][j] = rng.nextGaussian() * (j + 1) / m;
            }
        }
        double[][] past = new double[n][m];
        double[][] future = new double[n][m];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < m; j++) {
                past[r][j] = rng.nextGaussian() + (j == 0 ? 1 : 0);
            }
            for (int i = 0; i < m; i++) {
                double s = 0.3 * rng.nextGaussian();
                for (int j = 0; j < m; j++) {
                    s += kTrue[i][j] * past[r][j];
                }
                future[r][i] = s;
            }
        }
        return GramMatrices.of(past, future);
    }

    @Test
    void solutionsSatisfyTheSubgradientOptimalityConditionsAlongThePath() {
        GramMatrices gram = problem(1);
        double[][] g = gram.gram();
        double[][] c = gram.cross();
        int m = g.length;
        double lambdaMax = GroupLasso.lambdaMax(gram);
        int zeroGroups = 0;
        int nonzeroGroups = 0;
        org.ejml.data.DMatrixRMaj warm = null;
        for (double fraction : new double[] {0.9, 0.5, 0.2, 0.05, 0.01}) {
            double lambda = fraction * lambdaMax;
            GroupLasso.Solution s = GroupLasso.solve(gram, lambda, 0, warm, TIGHT);
            warm = s.koopman();
            assertTrue(s.converged(), "λ = " + fraction + "·λ_max: residual " + s.kktResidual());
            double[][] k = s.koopmanRows();
            // gradient of ‖Y_f − K Y_p‖²: 2(KG − C), computed here without the solver's code
            double[][] grad = new double[m][m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    double kg = 0;
                    for (int l = 0; l < m; l++) {
                        kg += k[i][l] * g[l][j];
                    }
                    grad[i][j] = 2 * (kg - c[i][j]);
                }
            }
            for (int j = 0; j < m; j++) {
                double kNorm = 0;
                double gradNorm = 0;
                for (int i = 0; i < m; i++) {
                    kNorm += k[i][j] * k[i][j];
                    gradNorm += grad[i][j] * grad[i][j];
                }
                kNorm = Math.sqrt(kNorm);
                gradNorm = Math.sqrt(gradNorm);
                if (kNorm > 0) {
                    nonzeroGroups++;
                    double r = 0;
                    for (int i = 0; i < m; i++) {
                        double v = grad[i][j] + lambda * k[i][j] / kNorm;
                        r += v * v;
                    }
                    assertEquals(0, Math.sqrt(r), 1e-8, "∇_j + λK_j/‖K_j‖ for column " + j + " at λ = " + fraction + "·λ_max");
                } else {
                    zeroGroups++;
                    assertTrue(gradNorm <= lambda + 1e-8, "‖∇_j‖ ≤ λ for zero column " + j);
                }
            }
        }
        assertTrue(zeroGroups > 0 && nonzeroGroups > 0, "the path has both pruned and kept functions");
    }

    @Test
    void atLambdaZeroItIsTheLeastSquaresSolution() {
        GramMatrices gram = problem(2);
        double[][] fista = GroupLasso.solve(gram, 0, 0, null, TIGHT).koopmanRows();
        double[][] ls = LeastSquares.solve(gram, 0);
        for (int i = 0; i < ls.length; i++) {
            for (int j = 0; j < ls.length; j++) {
                assertEquals(ls[i][j], fista[i][j], 1e-8);
            }
        }
    }

    @Test
    void withTikhonovAtLambdaZeroItIsTheRidgeSolution() {
        GramMatrices gram = problem(3);
        double[][] fista = GroupLasso.solve(gram, 0, 50, null, TIGHT).koopmanRows();
        double[][] ridge = LeastSquares.solve(gram, 50);
        for (int i = 0; i < ridge.length; i++) {
            for (int j = 0; j < ridge.length; j++) {
                assertEquals(ridge[i][j], fista[i][j], 1e-8);
            }
        }
    }

    @Test
    void atOrAboveLambdaMaxKIsZero() {
        GramMatrices gram = problem(4);
        GroupLasso.Solution s = GroupLasso.solve(gram, GroupLasso.lambdaMax(gram), 0, null, TIGHT);
        assertEquals(0, s.iterations());
        assertEquals(0, s.activeFunctions());
    }

    @Test
    void warmStartedPathReachesTheColdStartSolution() {
        GramMatrices gram = problem(5);
        double lambda = 0.03 * GroupLasso.lambdaMax(gram);
        double[][] path = GroupLasso.solvePath(gram, lambda, 0, TIGHT).koopmanRows();
        double[][] cold = GroupLasso.solve(gram, lambda, 0, null, TIGHT).koopmanRows();
        for (int i = 0; i < path.length; i++) {
            for (int j = 0; j < path.length; j++) {
                assertEquals(cold[i][j], path[i][j], 1e-9);
            }
        }
    }
}
