package koopman4j.core.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * SLICOT's documented examples, data and results as in SLICOT-Reference (github.com/SLICOT/SLICOT-Reference):
 * examples/data/AB13FD.dat, examples/results/AB13FD.res, examples/data/AB13ED.dat, examples/AB13ED.res.
 */
class ByersSlicotTest {

    /** AB13FD.dat, read row-wise as TAB13FD.f does. */
    private static final double[][] AB13FD_A = {
            {246.500, 242.500, 202.500, -197.500},
            {-252.500, -248.500, -207.500, 202.500},
            {-302.500, -297.500, -248.500, 242.500},
            {-307.500, -302.500, -252.500, 246.500}};
    /** AB13FD.res: "Stability radius : 0.39196472317D-02", "Minimizing omega : 0.98966520430D+00". */
    private static final double AB13FD_BETA = 0.39196472317e-2;
    private static final double AB13FD_OMEGA = 0.98966520430;

    /** AB13ED.dat: 0.1·I plus ones on the superdiagonal, n = 5 (eigenvalue 0.1, so not stable). */
    private static final double[][] AB13ED_A = {
            {0.1, 1, 0, 0, 0},
            {0, 0.1, 1, 0, 0},
            {0, 0, 0.1, 1, 0},
            {0, 0, 0, 0.1, 1},
            {0, 0, 0, 0, 0.1}};
    /** AB13ED.res with TOL = 9 (bounds within a factor 10): LOW and HIGH. */
    private static final double AB13ED_LOW = 0.20929379255e-5;
    private static final double AB13ED_HIGH = 0.20793050504e-4;

    @Test
    void bracketContainsAndRefinementMatchesSlicotAb13fdExample() {
        StabilityResult r = Byers.continuous(AB13FD_A, Byers.DEFAULT_TOL, true);

        assertTrue(r.lower() <= AB13FD_BETA && AB13FD_BETA <= r.upper(), r.toString());
        assertTrue(r.upper() <= 10 * r.lower() * (1 + 1e-12), r.toString());
        assertEquals(AB13FD_BETA, r.exact(), 1e-9 * AB13FD_BETA, r.toString());
        // σ_min is flat at the minimum (f'' ≈ 0.008 while ‖A‖ ≈ 1000): ω is defined only to ~1e-5
        assertEquals(AB13FD_OMEGA, r.omega(), 1e-5, r.toString());
        assertEquals(r.exact(), BruteForce.sigmaMin(AB13FD_A, 0, r.omega()), 1e-12);
    }

    @Test
    void refinedDistanceLiesInSlicotAb13edBoundsAndMatchesBruteForce() {
        StabilityResult r = Byers.imaginaryAxisDistance(AB13ED_A, Byers.DEFAULT_TOL, true);
        double brute = BruteForce.minOverAxis(AB13ED_A, 401);

        assertTrue(r.unstable());
        assertTrue(AB13ED_LOW <= r.exact() && r.exact() <= AB13ED_HIGH, r.toString());
        assertTrue(r.lower() <= brute && brute <= r.upper(), r + " brute force " + brute);
        assertEquals(brute, r.exact(), 1e-8 * brute);
    }

    @Test
    void stableMirrorOfAb13edHasTheSameDistance() {
        double[][] minusA = new double[5][5];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                minusA[i][j] = -AB13ED_A[i][j];
            }
        }
        StabilityResult mirror = Byers.continuous(minusA, Byers.DEFAULT_TOL, true);
        StabilityResult raw = Byers.imaginaryAxisDistance(AB13ED_A, Byers.DEFAULT_TOL, true);

        assertTrue(!mirror.unstable());
        assertEquals(raw.exact(), mirror.exact(), 1e-12 * raw.exact());
    }
}
