package koopman4j.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KoopmanEigenTest {

    @Test
    void rightAndLeftVectorsSatisfyTheEigenEquationsForARandomMatrix() {
        Random rng = new Random(7);
        int m = 12;
        double[][] k = new double[m][m];
        for (double[] row : k) {
            for (int c = 0; c < m; c++) {
                row[c] = rng.nextGaussian() / Math.sqrt(m);
            }
        }
        KoopmanEigen eigen = KoopmanEigen.of(k);
        for (int j = 0; j < m; j++) {
            Complex lambda = eigen.eigenvalue(j);
            Complex[] v = eigen.rightVector(j);
            Complex[] w = eigen.leftVector(j);
            for (int i = 0; i < m; i++) {
                // (K v)_i = λ v_i
                double re = 0;
                double im = 0;
                // (wᵀ K)_i = λ w_i
                double lre = 0;
                double lim = 0;
                for (int c = 0; c < m; c++) {
                    re += k[i][c] * v[c].re();
                    im += k[i][c] * v[c].im();
                    lre += w[c].re() * k[c][i];
                    lim += w[c].im() * k[c][i];
                }
                assertEquals(lambda.re() * v[i].re() - lambda.im() * v[i].im(), re, 1e-10);
                assertEquals(lambda.re() * v[i].im() + lambda.im() * v[i].re(), im, 1e-10);
                assertEquals(lambda.re() * w[i].re() - lambda.im() * w[i].im(), lre, 1e-10);
                assertEquals(lambda.re() * w[i].im() + lambda.im() * w[i].re(), lim, 1e-10);
            }
            for (int l = 0; l < m; l++) {
                Complex[] vl = eigen.rightVector(l);
                double re = 0;
                double im = 0;
                for (int i = 0; i < m; i++) {
                    re += w[i].re() * vl[i].re() - w[i].im() * vl[i].im();
                    im += w[i].re() * vl[i].im() + w[i].im() * vl[i].re();
                }
                assertEquals(j == l ? 1 : 0, re, 1e-10, "(Wᵀ V)_" + j + l);
                assertEquals(0, im, 1e-10);
            }
            if (j > 0) {
                assertTrue(eigen.eigenvalue(j - 1).abs() >= lambda.abs() - 1e-12, "sorted by modulus");
            }
        }
    }

    @Test
    void eigenfunctionsOfTheClosedFormKoopmanSubspaceAreXAndYMinusXSquared() {
        // x₊ = λx, y₊ = μy + (λ² − μ)x² on ψ = (x, y, x²): eigenfunctions x, y − x², x²
        double lambda = 0.9;
        double mu = 0.5;
        double[][] k = {{lambda, 0, 0}, {0, mu, lambda * lambda - mu}, {0, 0, lambda * lambda}};
        KoopmanEigen eigen = KoopmanEigen.of(k);
        assertEquals(lambda, eigen.eigenvalue(0).re(), 1e-14);
        assertEquals(lambda * lambda, eigen.eigenvalue(1).re(), 1e-14);
        assertEquals(mu, eigen.eigenvalue(2).re(), 1e-14);
        double[] psi = {0.3, -0.7, 0.09};
        Complex[] phi = eigen.eigenfunctions(psi);
        double[] expected = {0.3, 0.09, -0.7 - 0.09};
        for (int j = 0; j < 3; j++) {
            double s = eigen.leftVector(j)[j == 2 ? 1 : j == 1 ? 2 : 0].re();
            assertEquals(expected[j] * s, phi[j].re(), 1e-12, "φ_" + j);
            assertEquals(0, phi[j].im(), 1e-14);
        }
        // x = Σ_j φ_j(x) mode_j
        double x = 0;
        for (int j = 0; j < 3; j++) {
            x += phi[j].re() * eigen.mode(j, new int[] {0})[0].re();
        }
        assertEquals(0.3, x, 1e-12);
    }

    @Test
    void rotationGivesAConjugatePairPositiveImaginaryFirst() {
        double r = 0.95;
        double theta = 0.3;
        double[][] k = {{r * Math.cos(theta), -r * Math.sin(theta)}, {r * Math.sin(theta), r * Math.cos(theta)}};
        KoopmanEigen eigen = KoopmanEigen.of(k);
        assertEquals(theta, eigen.eigenvalue(0).arg(), 1e-14);
        assertEquals(-theta, eigen.eigenvalue(1).arg(), 1e-14);
        assertEquals(r, eigen.spectralRadius(), 1e-14);
    }

    @Test
    void repeatedSemisimpleEigenvalueIsDecomposed() {
        KoopmanEigen eigen = KoopmanEigen.of(new double[][] {{0.5, 0, 0}, {0, 0.5, 0}, {0, 0, 0.2}});
        assertEquals(0.5, eigen.eigenvalue(1).re(), 1e-15);
    }

    @Test
    void refusesADefectiveMatrix() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KoopmanEigen.of(new double[][] {{0.5, 1}, {0, 0.5}}));
        assertTrue(e.getMessage().startsWith("K is defective"), e.getMessage());
    }
}
