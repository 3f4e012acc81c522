package koopman4j.edmd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import org.junit.jupiter.api.Test;

class DictionaryTest {

    /** One trajectory through the given states (the dictionaries only look at the states). */
    static TrajectorySet states(double[][] x) {
        double[] t = IntStream.range(0, x.length).asDoubleStream().toArray();
        List<String> names = IntStream.rangeClosed(1, x[0].length).mapToObj(i -> "x" + i).toList();
        return new TrajectorySet(names, List.of(new Trajectory(t, x)));
    }

    @Test
    void legendreMatchesClosedFormsOnStatesScaledToMinusOneOne() {
        // training range [−2, 4]: z = (x − 1)/3
        Dictionary psi = DictionaryKind.LEGENDRE.fit(states(new double[][] {{-2}, {0.5}, {4}}), 4, 0, List.of(), 0).dictionary();
        assertEquals(5, psi.size());
        for (double x : new double[] {-2, -0.7, 1, 2.2, 4, 5.5}) {
            double z = (x - 1) / 3;
            double[] v = psi.lift(new double[][] {{x}})[0];
            assertEquals(1, v[0], 0);
            assertEquals(x, v[1], 0);
            assertEquals((3 * z * z - 1) / 2, v[2], 1e-14);
            assertEquals((5 * z * z * z - 3 * z) / 2, v[3], 1e-14);
            assertEquals((35 * Math.pow(z, 4) - 30 * z * z + 3) / 8, v[4], 1e-13);
        }
    }

    @Test
    void hermiteMatchesProbabilistsClosedFormsOnStandardisedStates() {
        // mean 2, population standard deviation 2: z = (x − 2)/2
        Dictionary psi = DictionaryKind.HERMITE.fit(states(new double[][] {{0}, {4}, {0}, {4}}), 4, 0, List.of(), 0).dictionary();
        for (double x : new double[] {-3, 0, 1.3, 2, 7}) {
            double z = (x - 2) / 2;
            double[] v = psi.lift(new double[][] {{x}})[0];
            assertEquals(x, v[1], 0);
            assertEquals(z * z - 1, v[2], 1e-13);
            assertEquals(z * z * z - 3 * z, v[3], 1e-13);
            assertEquals(Math.pow(z, 4) - 6 * z * z + 3, v[4], 1e-12);
        }
    }

    @Test
    void crossTermsAreProductsOfOneDimensionalPolynomials() {
        // x1 on [0, 2] and x2 on [−1, 1]: z1 = x1 − 1, z2 = x2
        PolynomialDictionary psi = (PolynomialDictionary) DictionaryKind.LEGENDRE
                .fit(states(new double[][] {{0, -1}, {2, 1}}), 3, 0, List.of(), 0).dictionary();
        double[] x = {1.4, -0.3};
        double[] v = psi.lift(new double[][] {x})[0];
        double z1 = 0.4;
        double z2 = -0.3;
        int found = 0;
        for (int j = 0; j < psi.size(); j++) {
            int[] alpha = psi.exponents(j);
            if (alpha[0] == 1 && alpha[1] == 2) {
                assertEquals(z1 * (3 * z2 * z2 - 1) / 2, v[j], 1e-15, "P1(z1)·P2(z2)");
                found++;
            }
            if (alpha[0] == 2 && alpha[1] == 1) {
                assertEquals((3 * z1 * z1 - 1) / 2 * z2, v[j], 1e-15, "P2(z1)·P1(z2)");
                found++;
            }
        }
        assertEquals(2, found);
    }

    @Test
    void monomialDictionarySizeIsNPlusPChooseP() {
        Random rng = new Random(1);
        for (int[] np : new int[][] {{1, 1}, {1, 5}, {2, 3}, {5, 2}, {7, 4}, {10, 3}, {3, 6}}) {
            int n = np[0];
            int p = np[1];
            double[][] x = new double[4][n];
            for (double[] row : x) {
                for (int i = 0; i < n; i++) {
                    row[i] = rng.nextDouble();
                }
            }
            PolynomialDictionary psi = (PolynomialDictionary) DictionaryKind.MONOMIAL.fit(states(x), p, 0, List.of(), 0).dictionary();
            long expected = binomial(n + p, p);
            assertEquals(expected, psi.size(), "n=" + n + " p=" + p);
            assertEquals(expected, DictionaryKind.MONOMIAL.size(n, p, 0, 0));
            Set<String> distinct = new HashSet<>();
            for (int j = 0; j < psi.size(); j++) {
                int[] alpha = psi.exponents(j);
                assertTrue(java.util.Arrays.stream(alpha).sum() <= p);
                distinct.add(java.util.Arrays.toString(alpha));
            }
            assertEquals(expected, distinct.size(), "every exponent vector once");
        }
        assertEquals(4753, DictionaryKind.MONOMIAL.size(96, 2, 0, 0));
        assertEquals(12_082_785, DictionaryKind.MONOMIAL.size(128, 4, 0, 0));
        assertEquals(Long.MAX_VALUE, DictionaryKind.MONOMIAL.size(1000, 40, 0, 0));
    }

    @Test
    void monomialsAreProductsOfScaledStates() {
        PolynomialDictionary psi = (PolynomialDictionary) DictionaryKind.MONOMIAL
                .fit(states(new double[][] {{0, 10}, {4, 20}}), 3, 0, List.of(), 0).dictionary();
        double[] x = {3, 12};
        double z1 = (3 - 2) / 2.0;
        double z2 = (12 - 15) / 5.0;
        double[] v = psi.lift(new double[][] {x})[0];
        for (int j = 3; j < psi.size(); j++) {
            int[] a = psi.exponents(j);
            assertEquals(Math.pow(z1, a[0]) * Math.pow(z2, a[1]), v[j], 1e-15);
        }
    }

    @Test
    void rbfWithCentresAtTheDataPointsReproducesThinPlateValues() {
        double[][] x = {{0, 0}, {1, 0}, {0, 2}, {3, 1}, {-1, -1}, {2, 2}};
        DictionaryParameters p = DictionaryKind.RBF.fit(states(x), 0, x.length, List.of(), 5);
        double[][] z = p.scaling().apply(x);
        // six centres for six distinct points: k-means++ lands one on each and Lloyd keeps them there
        Set<String> centres = new HashSet<>();
        for (double[] c : p.centres()) {
            centres.add(java.util.Arrays.toString(c));
        }
        Set<String> points = new HashSet<>();
        for (double[] zi : z) {
            points.add(java.util.Arrays.toString(zi));
        }
        assertEquals(points, centres);

        Dictionary psi = p.dictionary();
        assertEquals(1 + 2 + 6, psi.size());
        double[][] v = psi.lift(x);
        for (int r = 0; r < x.length; r++) {
            assertArrayEquals(new double[] {1, x[r][0], x[r][1]}, java.util.Arrays.copyOf(v[r], 3));
            for (int j = 0; j < 6; j++) {
                double dist = Math.hypot(z[r][0] - p.centres()[j][0], z[r][1] - p.centres()[j][1]);
                double expected = dist == 0 ? 0 : dist * dist * Math.log(dist);
                assertEquals(expected, v[r][3 + j], 1e-14);
            }
        }
    }

    @Test
    void rbfRefusesMoreCentresThanDistinctStates() {
        var e = assertThrows(InvalidDataException.class,
                () -> DictionaryKind.RBF.fit(states(new double[][] {{1}, {1}, {2}, {2}}), 0, 3, List.of(), 0));
        assertEquals("rbf: the training data have only 2 distinct states, fewer than the 3 centres asked for — lower --centres", e.getMessage());
    }

    @Test
    void trigMatchesSinesAndCosinesOfAnglesAndTheirDifferencesComputedByHand() {
        // states [θ₁, ω, θ₂], angles 1 and 3, two harmonics; θ₁ = π/2, θ₂ = π/6, so θ₁ − θ₂ = π/3
        Dictionary psi = DictionaryKind.TRIG.fit(states(new double[][] {{0, 0, 0}, {1, 1, 1}}), 2, 0, List.of(1, 3), 0).dictionary();
        assertEquals(1 + 3 + 2 * 2 * 3, psi.size());
        assertEquals(16, DictionaryKind.TRIG.size(3, 2, 0, 2));
        double r3 = Math.sqrt(3) / 2;
        double[] expected = {
            1, Math.PI / 2, 7, Math.PI / 6,
            1, 0, 0.5, r3, r3, 0.5, // k = 1: sin, cos of θ₁ = π/2, θ₂ = π/6, θ₁ − θ₂ = π/3
            0, -1, r3, 0.5, r3, -0.5}; // k = 2: of π, π/3, 2π/3
        assertArrayEquals(expected, psi.lift(new double[][] {{Math.PI / 2, 7, Math.PI / 6}})[0], 1e-15);
        assertTrue(psi.description().startsWith("trig, harmonics 1..2 of 2 angles [1, 3]"), psi.description());
    }

    @Test
    void trigRefusesMissingUnknownAndRepeatedAngles() {
        TrajectorySet two = states(new double[][] {{0, 1}, {1, 2}});
        var missing = assertThrows(InvalidDataException.class, () -> DictionaryKind.TRIG.fit(two, 1, 0, List.of(), 0));
        assertEquals("trig dictionary: give the angle states (angles: 1-based state numbers)", missing.getMessage());
        var unknown = assertThrows(InvalidDataException.class, () -> DictionaryKind.TRIG.fit(two, 1, 0, List.of(1, 3), 0));
        assertEquals("trig dictionary: angle state 3 does not exist; the states are numbered 1 … 2", unknown.getMessage());
        var twice = assertThrows(InvalidDataException.class, () -> DictionaryKind.TRIG.fit(two, 1, 0, List.of(2, 2), 0));
        assertEquals("trig dictionary: angle state 2 is given twice", twice.getMessage());
        var options = assertThrows(InvalidDataException.class, () -> Edmd.Options.of("trig", 1, 0, 0, 0, 0));
        assertEquals("the trig dictionary needs angles: the 1-based numbers of the angle states, e.g. --angles 1,2,3", options.getMessage());
    }

    @Test
    void everyBuiltInDictionaryHasTheConstantAndTheStatesInOriginalUnits() {
        double[][] x = {{1, 50}, {2, 70}, {4, 40}, {3, 65}};
        for (DictionaryKind kind : DictionaryKind.values()) {
            List<Integer> angles = kind.needsAngles() ? List.of(1) : List.of();
            Dictionary psi = kind.fit(states(x), 3, 2, angles, 1).dictionary();
            assertArrayEquals(new int[] {1, 2}, psi.stateIndices());
            double[] v = psi.lift(new double[][] {{2.5, 61}})[0];
            assertEquals(1, v[0], 0, kind.id());
            assertEquals(2.5, v[1], 0, kind.id());
            assertEquals(61, v[2], 0, kind.id());
            assertEquals(kind.size(2, 3, 2, angles.size()), psi.size(), kind.id());
        }
    }

    @Test
    void unknownDictionaryNameIsRefused() {
        var e = assertThrows(InvalidDataException.class, () -> DictionaryKind.parse("fourier"));
        assertEquals("unknown dictionary 'fourier'; expected legendre, hermite, monomial, rbf or trig", e.getMessage());
    }

    private static long binomial(int n, int k) {
        long[][] c = new long[n + 1][n + 1];
        for (int i = 0; i <= n; i++) {
            c[i][0] = 1;
            for (int j = 1; j <= i; j++) {
                c[i][j] = c[i - 1][j - 1] + c[i - 1][j];
            }
        }
        return c[n][k];
    }
}
