package koopman4j.layers.spnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.stability.Spectrum;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class HurwitzLinearTest {

    private static final Logger LOG = LogManager.getLogger(HurwitzLinearTest.class);

    /** Free vectors of one draw: scaled Gaussians, with L_G made rank-deficient or zero in some draws. */
    private static Map<String, double[]> draw(HurwitzLinear.Options o, Random rng, int kind) {
        int n = o.dimension();
        double[] lS = Init.gaussian(rng, o.lowerCount(), Math.pow(10, -1.5 + 3 * rng.nextDouble()));
        double[] lG = Init.gaussian(rng, o.lowerCount(), Math.pow(10, -1.5 + 3 * rng.nextDouble()));
        double[] lU = Init.gaussian(rng, o.strictlyLowerCount(), Math.pow(10, -1.5 + 3 * rng.nextDouble()));
        if (kind == 1) { // L_G of rank ≤ 1: G_s singular, eigenvalues may touch μ
            for (int i = 0; i < n; i++) {
                for (int j = 1; j <= i; j++) {
                    lG[i * (i + 1) / 2 + j] = 0;
                }
            }
        } else if (kind == 2) { // G_s = 0: A_H = G_u S is similar to a skew matrix, Re λ = μ exactly
            java.util.Arrays.fill(lG, 0);
        } else if (kind == 3) { // S nearly singular
            for (int i = 0; i < n; i += 2) {
                lS[i * (i + 1) / 2 + i] *= 1e-4;
            }
        }
        return Map.of(HurwitzLinear.L_S, lS, HurwitzLinear.L_G, lG, HurwitzLinear.L_U, lU);
    }

    private static void assign(SameDiff sd, String prefix, Map<String, double[]> values) {
        values.forEach((name, v) -> {
            if (v.length > 0) {
                sd.getVariable(prefix + name).getArr().assign(Nd4j.create(v));
            }
        });
    }

    @Test
    void hurwitzSpectrumStaysLeftOfMuForRandomParameters() {
        Random rng = new Random(20240601);
        int draws = 0;
        double worst = Double.NEGATIVE_INFINITY;
        for (int n : new int[] {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64}) {
            for (double mu : new double[] {-2.5, 0, 1.75}) {
                HurwitzLinear.Options o = new HurwitzLinear.Options(n, mu);
                SameDiff sd = SameDiff.create();
                HurwitzLinear layer = HurwitzLinear.declare(sd, "A/", o, DataType.DOUBLE, n);
                SDVariable a = layer.matrix(sd);
                int count = n <= 16 ? 12 : 8;
                for (int d = 0; d < count; d++) {
                    assign(sd, "A/", draw(o, rng, d % 4));
                    double[][] matrix = a.eval().toDoubleMatrix();
                    double abscissa = Spectrum.abscissa(matrix);
                    double scale = frobeniusOfShifted(matrix, mu);
                    // backward-stable eigenvalues: a perturbation of relative size ~ n·ε in the 2-norm
                    double tol = 1e-10 * scale;
                    assertTrue(abscissa <= mu + tol, "n=" + n + " μ=" + mu + " draw " + d + ": max Re λ = " + abscissa);
                    worst = Math.max(worst, (abscissa - mu) / scale);
                    draws++;
                }
            }
        }
        assertTrue(draws >= 300, "draws " + draws);
        LOG.info("Hurwitz: {} draws, max (Re λ − μ)/‖A_L − μI‖_F = {}", draws, worst);
    }

    private static double frobeniusOfShifted(double[][] a, double mu) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                double v = a[i][j] - (i == j ? mu : 0);
                s += v * v;
            }
        }
        return Math.max(Math.sqrt(s), Double.MIN_NORMAL);
    }

    @Test
    void nonsingularFactorsGiveSpectrumStrictlyLeftOfMu() {
        // L_G nonsingular ⇒ G_s negative definite ⇒ Re λ(A_H) < 0 strictly (Theorem 1)
        Random rng = new Random(5);
        for (int n : new int[] {2, 5, 9}) {
            HurwitzLinear.Options o = new HurwitzLinear.Options(n, 0.5);
            for (int d = 0; d < 10; d++) {
                double[][] a = HurwitzLinear.matrix(o, unitDiagonal(rng, n), unitDiagonal(rng, n), Init.gaussian(rng, o.strictlyLowerCount(), 1));
                assertTrue(Spectrum.abscissa(a) < 0.5 - 1e-6, "n=" + n + ": " + Spectrum.abscissa(a));
            }
        }
    }

    private static double[] unitDiagonal(Random rng, int n) {
        double[] v = Init.gaussian(rng, n * (n + 1) / 2, 0.3);
        for (int i = 0; i < n; i++) {
            v[i * (i + 1) / 2 + i] = 1;
        }
        return v;
    }

    @Test
    void parameterCountIsThreeNSquaredPlusNOverTwo() {
        for (int n : new int[] {1, 2, 3, 7, 64}) {
            SameDiff sd = SameDiff.create();
            HurwitzLinear layer = HurwitzLinear.declare(sd, "lin/", new HurwitzLinear.Options(n, -1), DataType.DOUBLE, 1);
            long trainable = sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                    .mapToLong(v -> v.getArr().length()).sum();
            assertEquals((3L * n * n + n) / 2, trainable, "n=" + n);
            assertEquals((3 * n * n + n) / 2, layer.options().parameterCount());
            assertEquals(n == 1 ? 2 : 3, layer.parameters().size());
        }
    }

    @Test
    void matrixMatchesClosedFormsForOneAndTwoDimensions() {
        // n = 1: A_L = −g²s² + μ
        double[][] one = HurwitzLinear.matrix(new HurwitzLinear.Options(1, 0.3), new double[] {2}, new double[] {1.5}, new double[0]);
        assertEquals(-2.25 * 4 + 0.3, one[0][0], 1e-15);
        // n = 2, L_S = [[a,0],[b,c]], L_G = [[d,0],[e,f]], L_U = [[0,0],[u,0]]: products written out by hand
        double a = 1.2, b = -0.4, c = 0.7, d = 0.9, e = 0.3, f = -1.1, u = 0.8, mu = -0.25;
        double[][] s = {{a * a, a * b}, {a * b, b * b + c * c}};
        double[][] g = {{-d * d, -d * e - u}, {-d * e + u, -(e * e + f * f)}};
        double[][] expected = {
            {g[0][0] * s[0][0] + g[0][1] * s[1][0] + mu, g[0][0] * s[0][1] + g[0][1] * s[1][1]},
            {g[1][0] * s[0][0] + g[1][1] * s[1][0], g[1][0] * s[0][1] + g[1][1] * s[1][1] + mu}};
        double[][] actual = HurwitzLinear.matrix(new HurwitzLinear.Options(2, mu), new double[] {a, b, c}, new double[] {d, e, f}, new double[] {u});
        Arrays2.assertClose(expected, actual, 1e-14, "A_L");
    }

    @Test
    void sameDiffMatrixAndApplyEqualArrayEvaluation() {
        Random rng = new Random(8);
        for (int n : new int[] {1, 3, 10}) {
            SameDiff sd = SameDiff.create();
            HurwitzLinear layer = HurwitzLinear.declare(sd, "A/", new HurwitzLinear.Options(n, -0.7), DataType.DOUBLE, 3);
            assign(sd, "A/", draw(layer.options(), rng, 0));
            double[][] expected = layer.matrixValues();
            Arrays2.assertClose(expected, layer.matrix(sd).eval().toDoubleMatrix(), 1e-12, "A_L n=" + n);
            double[][] u = Arrays2.gaussian(rng, 4, n, 1);
            double[][] applied = layer.apply(sd, sd.constant(Nd4j.create(u))).eval().toDoubleMatrix();
            double[][] byHand = new double[4][n];
            for (int r = 0; r < 4; r++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        byHand[r][i] += expected[i][j] * u[r][j];
                    }
                }
            }
            Arrays2.assertClose(byHand, applied, 1e-12, "u·A_Lᵀ n=" + n);
        }
    }

    @Test
    void initialValuesAreSeededAndStartNearMuMinusOneTimesIdentity() {
        HurwitzLinear.Options o = new HurwitzLinear.Options(6, 0.5);
        Map<String, double[]> first = HurwitzLinear.initialValues(o, 42);
        Map<String, double[]> again = HurwitzLinear.initialValues(o, 42);
        for (String k : first.keySet()) {
            assertTrue(java.util.Arrays.equals(first.get(k), again.get(k)), k);
        }
        double[][] a = HurwitzLinear.matrix(o, first.get(HurwitzLinear.L_S), first.get(HurwitzLinear.L_G), first.get(HurwitzLinear.L_U));
        for (int i = 0; i < 6; i++) {
            assertEquals(-0.5, a[i][i], 0.5, "diagonal " + i);
        }
        assertTrue(Spectrum.abscissa(a) < 0.5);
    }

    @Test
    void initialRatesSpreadTheStartingSpectrumOverTheGivenTimeScales() {
        List<Double> rates = List.of(1.0e3, 1.0, 1.0e-1);
        HurwitzLinear.Options o = new HurwitzLinear.Options(3, 0, rates);
        Map<String, double[]> v = HurwitzLinear.initialValues(o, 42);
        double[][] a = HurwitzLinear.matrix(o, v.get(HurwitzLinear.L_S), v.get(HurwitzLinear.L_G), v.get(HurwitzLinear.L_U));
        double[] re = koopman4j.core.spectrum.KoopmanEigen.of(a).eigenvalues().stream().mapToDouble(z -> z.re()).sorted().toArray();
        double[] expected = {-1e3, -1, -0.1};
        for (int i = 0; i < 3; i++) { // the E-perturbations of the factors move each rate by tens of per cent at most
            assertTrue(re[i] / expected[i] > 0.5 && re[i] / expected[i] < 2, java.util.Arrays.toString(re));
        }
        assertTrue(Spectrum.abscissa(a) < 0, "Hurwitz from the start");
        // the default start is the same as before: rates are an option of L_S only
        Map<String, double[]> plain = HurwitzLinear.initialValues(new HurwitzLinear.Options(3, 0), 42);
        assertTrue(java.util.Arrays.equals(plain.get(HurwitzLinear.L_G), v.get(HurwitzLinear.L_G)));
        assertTrue(java.util.Arrays.equals(plain.get(HurwitzLinear.L_U), v.get(HurwitzLinear.L_U)));
    }

    @Test
    void rejectsInitialRatesThatAreNotPositiveOrNotOnePerState() {
        assertEquals("model.linear.initialRates[1] must be a finite number > 0, got 0.0",
                assertThrows(InvalidDataException.class, () -> new HurwitzLinear.Options(2, 0, List.of(1.0, 0.0))).getMessage());
        assertEquals("model.linear.initialRates has 2 rates for a 3-dimensional linear operator (the latent dimension with an autoencoder)",
                assertThrows(InvalidDataException.class, () -> new HurwitzLinear.Options(3, 0, List.of(1.0, 2.0))).getMessage());
    }

    @Test
    void gradientsMatchCentralDifferencesInDoublePrecision() {
        for (int n : new int[] {1, 2, 5}) {
            SameDiff sd = SameDiff.create();
            HurwitzLinear layer = HurwitzLinear.declare(sd, "A/", new HurwitzLinear.Options(n, 0.4), DataType.DOUBLE, 11 + n);
            SDVariable u = Init.variable(sd, "u", Init.gaussian(new Random(n), 3 * n, 1), DataType.DOUBLE, 3, n);
            SDVariable out = layer.apply(sd, u);
            List<SDVariable> vars = new java.util.ArrayList<>(layer.parameters());
            vars.add(u);
            double worst = GradientCheck.check(sd, out, vars, 12, 17);
            LOG.info("Hurwitz n={} gradient check: worst relative error {}", n, worst);
        }
    }

    @Test
    void rejectsBadOptionsAndVectors() {
        assertEquals("model.linear.dimension must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> new HurwitzLinear.Options(0, -1)).getMessage());
        assertEquals("model.linear.mu must be a finite number, got NaN",
                assertThrows(InvalidDataException.class, () -> new HurwitzLinear.Options(2, Double.NaN)).getMessage());
        assertEquals("model.linear.mu must be a finite number, got Infinity",
                assertThrows(InvalidDataException.class, () -> new HurwitzLinear.Options(2, Double.POSITIVE_INFINITY)).getMessage());
        assertEquals("model.linear.lG has 2 entries, expected 3",
                assertThrows(InvalidDataException.class, () -> HurwitzLinear.matrix(new HurwitzLinear.Options(2, 0),
                        new double[3], new double[2], new double[1])).getMessage());
    }

}
