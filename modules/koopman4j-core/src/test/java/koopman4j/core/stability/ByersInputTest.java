package koopman4j.core.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import koopman4j.core.data.InvalidDataException;

/** Bad input is an {@link InvalidDataException} with one clear line; an unstable matrix is an answer. */
class ByersInputTest {

    @Test
    void rejectsNonSquareMatrix() {
        assertMessage("matrix is not square: row 1 has 3 entries, expected 2",
                () -> Byers.continuous(new double[][] {{1, 2, 3}, {4, 5, 6}}, 1e-8, true));
    }

    @Test
    void rejectsRaggedMatrix() {
        assertMessage("matrix is not square: row 2 has 1 entries, expected 2",
                () -> Byers.discrete(new double[][] {{1, 2}, {3}}, 1e-8, true));
    }

    @Test
    void rejectsNaN() {
        assertMessage("matrix entry (2, 1) is NaN, expected a finite number",
                () -> Byers.continuous(new double[][] {{-1, 0}, {Double.NaN, -1}}, 1e-8, true));
    }

    @Test
    void rejectsInfinity() {
        assertMessage("matrix entry (1, 2) is Infinity, expected a finite number",
                () -> Byers.discrete(new double[][] {{0, Double.POSITIVE_INFINITY}, {0, 0}}, 1e-8, true));
    }

    @Test
    void rejectsEmptyMatrix() {
        assertMessage("matrix is empty: expected a square matrix with at least one row",
                () -> Byers.continuous(new double[0][0], 1e-8, true));
        assertMessage("matrix is empty: expected a square matrix with at least one row",
                () -> Spectrum.abscissa(null));
    }

    @Test
    void rejectsNonPositiveToleranceAndRadius() {
        double[][] a = {{-1}};
        assertMessage("tol is 0.0, expected a finite number > 0 (e.g. 1e-8)", () -> Byers.continuous(a, 0, true));
        assertMessage("tol is NaN, expected a finite number > 0 (e.g. 1e-8)", () -> Byers.discrete(a, Double.NaN, true));
        assertMessage("radius is -1.0, expected a finite number > 0", () -> Byers.disk(a, 0, -1, 1e-8, true));
        assertMessage("mu is Infinity, expected a finite number",
                () -> Byers.halfPlane(a, Double.POSITIVE_INFINITY, 1e-8, true));
    }

    @Test
    void unstableMatrixIsAtDistanceZero() {
        StabilityResult r = Byers.continuous(new double[][] {{0.1, 1}, {0, -1}}, 1e-8, true);

        assertTrue(r.unstable());
        assertEquals(0, r.lower());
        assertEquals(0, r.upper());
        assertEquals(0, r.exact());
        assertEquals("Re z < 0", r.region());
    }

    @Test
    void eigenvalueOnTheBoundaryCountsAsUnstable() {
        assertTrue(Byers.continuous(new double[][] {{0, 1}, {-1, 0}}, 1e-8, true).unstable());
        assertTrue(Byers.discrete(new double[][] {{1, 0}, {0, 0.2}}, 1e-8, true).unstable());
        assertFalse(Byers.discrete(new double[][] {{0.99, 5}, {0, 0.2}}, 1e-8, true).unstable());
    }

    @Test
    void unstableDiscreteMatrixIsAtDistanceZero() {
        StabilityResult r = Byers.discrete(new double[][] {{0.5, 0}, {0, -1.5}}, 1e-8, false);

        assertTrue(r.unstable());
        assertEquals(0, r.upper());
        assertEquals(0, r.exact());
    }

    @Test
    void spectralAbscissaAndRadius() {
        double[][] a = {{-1, 2}, {-2, -1}};    // −1 ± 2i
        assertEquals(-1, Spectrum.abscissa(a), 1e-14);
        assertEquals(Math.sqrt(5), Spectrum.radius(a), 1e-14);
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(InvalidDataException.class, call).getMessage());
    }
}
