package koopman4j.core.stability;

import java.util.List;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import koopman4j.core.data.InvalidDataException;

/**
 * How far a stable real matrix is from instability, in the 2-norm (Byers 1988).
 *
 * <ul>
 *   <li>Algorithm 1 (§2): β(A) = min_ω σ_min(A − iωI), the distance to the nearest matrix with an
 *       eigenvalue on the imaginary axis, bracketed by geometric bisection on the Hamiltonian H(σ) of
 *       eq. (2), whose imaginary eigenvalues are found by the square-reduced method (§2–3).</li>
 *   <li>Algorithm 2 (§4): γ(A) = min_θ σ_min(A − e^{iθ}I), the same for the unit circle — the certificate
 *       for a discrete-time Koopman matrix K.</li>
 *   <li>§4's generalisations: the half-plane Re z &lt; μ (β(A − μI)) and the disk |z − c| &lt; r
 *       (r·γ((A − cI)/r)).</li>
 *   <li>Beyond the paper, with {@code exact}: the level-set iteration of Boyd–Balakrishnan and
 *       Bruinsma–Steinbuch (as in SLICOT AB13FD), seeded by the bracket, converges quadratically to the
 *       minimum; Brent's method polishes the minimising ω (or θ).</li>
 * </ul>
 *
 * {@code tol} is relative: Algorithm 1 runs with τ = tol·½‖A + Aᴴ‖ (the paper's choice, tol = 10^{-p}
 * takes at most ⌈log₂ p⌉ steps), Algorithm 2 with τ = tol·σ_min(A − I). Bad input throws
 * {@link InvalidDataException}; an unstable matrix is an answer (distance 0), not an error. A complex A
 * is handled through its real form [[Re A, −Im A], [Im A, Re A]], which has the same β and γ (§2).
 */
public final class Byers {

    /** The paper's τ = ½·10⁻⁸‖A + Aᴴ‖: at most three bisection steps. */
    public static final double DEFAULT_TOL = 1e-8;

    private static final Logger LOG = LogManager.getLogger(Byers.class);
    /** Algorithm 1's factor 10, with room for the rounding of √(γ·α) where γ = 10α holds exactly. */
    private static final double FACTOR = 10 * (1 + 8 * Math.ulp(1.0));
    /** The refinement asks for crossings this far (relatively) below the best value found. */
    private static final double LEVEL_GAP = 1e-12;
    /** Above this many intervals the refinement bisects first rather than evaluating them all. */
    private static final int MAX_INTERVALS = 8;
    private static final int MAX_REFINEMENTS = 60;
    private static final int MAX_POLISH_EVALUATIONS = 40;

    private Byers() {
    }

    /** Distance to instability in continuous time: region Re z &lt; 0, β(A) for stable A. */
    public static StabilityResult continuous(double[][] a, double tol, boolean exact) {
        return halfPlane(a, 0, tol, exact, "Re z < 0");
    }

    /** Distance to the nearest matrix with an eigenvalue in Re z ≥ μ: β(A − μI) for A stable in Re z &lt; μ (§4). */
    public static StabilityResult halfPlane(double[][] a, double mu, double tol, boolean exact) {
        return halfPlane(a, mu, tol, exact, "Re z < " + mu);
    }

    /** Distance to instability in discrete time: region |z| &lt; 1, γ(A) for stable A. */
    public static StabilityResult discrete(double[][] a, double tol, boolean exact) {
        return disk(a, 0, 1, tol, exact, "|z| < 1");
    }

    /** Distance to the nearest matrix with an eigenvalue in |z − c| ≥ r: r·γ((A − cI)/r) (§4). */
    public static StabilityResult disk(double[][] a, double center, double radius, double tol, boolean exact) {
        return disk(a, center, radius, tol, exact, "|z - " + center + "| < " + radius);
    }

    /** β(A) of §1 for any A: the distance to the nearest matrix with an eigenvalue on the imaginary axis. */
    public static StabilityResult imaginaryAxisDistance(double[][] a, double tol, boolean exact) {
        DMatrixRMaj m = Spectrum.checkedSquare(a);
        checkTol(tol);
        return distance(new Boundary.ImaginaryAxis(m), tol, exact, Spectrum.abscissaOf(m) >= 0, "Re z < 0");
    }

    /** γ(A) of eq. (8) for any A: the distance to the nearest matrix with an eigenvalue on the unit circle. */
    public static StabilityResult unitCircleDistance(double[][] a, double tol, boolean exact) {
        DMatrixRMaj m = Spectrum.checkedSquare(a);
        checkTol(tol);
        return distance(new Boundary.UnitCircle(m), tol, exact, Spectrum.radiusOf(m) >= 1, "|z| < 1");
    }

    private static StabilityResult halfPlane(double[][] a, double mu, double tol, boolean exact, String region) {
        DMatrixRMaj m = Spectrum.checkedSquare(a);
        checkTol(tol);
        checkFinite(mu, "mu");
        if (Spectrum.abscissaOf(m) >= mu) {
            return StabilityResult.unstable(region);
        }
        for (int i = 0; i < m.numRows; i++) {
            m.add(i, i, -mu);
        }
        return distance(new Boundary.ImaginaryAxis(m), tol, exact, false, region);
    }

    private static StabilityResult disk(double[][] a, double center, double radius, double tol, boolean exact,
                                        String region) {
        DMatrixRMaj m = Spectrum.checkedSquare(a);
        checkTol(tol);
        checkFinite(center, "center");
        if (!(radius > 0) || !Double.isFinite(radius)) {
            throw new InvalidDataException("radius is " + radius + ", expected a finite number > 0");
        }
        for (int i = 0; i < m.numRows; i++) {
            m.add(i, i, -center);
        }
        CommonOps_DDRM.divide(m, radius);
        if (Spectrum.radiusOf(m) >= 1) {
            return StabilityResult.unstable(region);
        }
        return distance(new Boundary.UnitCircle(m), tol, exact, false, region).scaled(radius);
    }

    private static StabilityResult distance(Boundary boundary, double tol, boolean exact, boolean unstable,
                                            String region) {
        double upper0 = boundary.initialUpper();
        Bracket bracket = bisect(boundary, upper0, tol * upper0);
        if (!exact) {
            return new StabilityResult(bracket.lower(), bracket.upper(), Double.NaN, Double.NaN,
                    bracket.iterations(), 0, unstable, region);
        }
        if (bracket.upper() == 0) {
            // an eigenvalue on the boundary already: A + Aᴴ = 0, or σ_min(A − I) = 0
            return new StabilityResult(0, 0, 0, Double.NaN, bracket.iterations(), 0, unstable, region);
        }
        Refined refined = refine(boundary, bracket);
        return new StabilityResult(bracket.lower(), bracket.upper(), refined.value(),
                boundary.canonical(refined.t()), bracket.iterations(), refined.iterations(), unstable, region);
    }

    /** Algorithms 1 and 2's bracket, and the crossings of its upper level (null when never tested). */
    private record Bracket(double lower, double upper, int iterations, double[] crossings) {
    }

    /**
     * Algorithm 1 (or 2): α := 0, γ := upper0; WHILE γ > 10·max(τ, α): σ := √(γ·max(τ, α)); IF σ has
     * crossings (H(σ) has an imaginary eigenvalue, resp. (9) one of modulus 1) THEN γ := σ ELSE α := σ.
     */
    private static Bracket bisect(Boundary boundary, double upper0, double tau) {
        double alpha = 0;
        double gamma = upper0;
        double[] atGamma = null;
        int iterations = 0;
        while (gamma > FACTOR * Math.max(tau, alpha)) {
            double sigma = Math.sqrt(gamma * Math.max(tau, alpha));
            double[] crossings = boundary.crossings(sigma);
            iterations++;
            LOG.debug("bisection {}: sigma = {}, {} crossings", iterations, sigma, crossings.length);
            if (crossings.length > 0) {
                gamma = sigma;
                atGamma = crossings;
            } else {
                alpha = sigma;
            }
        }
        return new Bracket(alpha, gamma, iterations, atGamma);
    }

    /** The minimum of σ_min along the boundary, where it is attained, and the level sets tested to find it. */
    private record Refined(double value, double t, int iterations) {
    }

    /**
     * Level-set refinement (Boyd–Balakrishnan, Bruinsma–Steinbuch; SLICOT AB13FD): at a level σ ≥ min f the
     * crossings cut the boundary into intervals on which f stays below or above σ; f at their midpoints
     * gives the next level, just below the best value; when no crossings remain the best value is the
     * minimum to the relative gap {@link #LEVEL_GAP}. It starts from the bracket's upper level or from f at
     * the symmetry points, whichever is lower, and Brent's method polishes the minimiser at the end.
     */
    private static Refined refine(Boundary f, Bracket bracket) {
        double best = Double.POSITIVE_INFINITY;
        double tBest = Double.NaN;
        Boundary.Interval valley = null;
        for (double t : f.symmetryPoints()) {
            double v = f.sigmaMin(t);
            if (v < best) {
                best = v;
                tBest = t;
            }
        }
        double lower = bracket.lower();
        double level = Math.min(bracket.upper(), best * (1 - LEVEL_GAP));
        int iterations = 0;
        double[] crossings;
        if (level == bracket.upper() && bracket.crossings() != null) {
            crossings = bracket.crossings();
        } else {
            crossings = f.crossings(level);
            iterations++;
        }
        if (crossings.length == 0 && level < best * (1 - LEVEL_GAP)) {
            // the upper bound touches the minimum (a double crossing, lost to rounding): start below the best value
            level = best * (1 - LEVEL_GAP);
            crossings = f.crossings(level);
            iterations++;
        }
        while (crossings.length > 0 && iterations < MAX_REFINEMENTS) {
            List<Boundary.Interval> intervals = f.intervals(crossings);
            if (intervals.size() > MAX_INTERVALS && level > 1.01 * lower) {
                // many valleys at this level: narrow the bracket (Algorithm 1) before evaluating them all
                double sigma = Math.sqrt(level * Math.max(lower, level / 100));
                double[] below = f.crossings(sigma);
                iterations++;
                if (below.length > 0) {
                    level = sigma;
                    crossings = below;
                } else {
                    lower = sigma;
                }
                continue;
            }
            double fMin = Double.POSITIVE_INFINITY;
            Boundary.Interval argMin = null;
            for (Boundary.Interval interval : intervals) {
                double v = f.sigmaMin(interval.mid());
                if (v < fMin) {
                    fMin = v;
                    argMin = interval;
                }
            }
            LOG.debug("refinement {}: level = {}, {} intervals, min = {}", iterations, level, intervals.size(), fMin);
            if (fMin < best) {
                best = fMin;
                tBest = argMin.mid();
                valley = argMin;
            } else {
                // no midpoint below the level: the level only touches σ_min (a double crossing) or rounding
                // decided; σ_min at a crossing is at most the level, so one of them may still be lower
                double before = best;
                for (double t : crossings) {
                    double v = f.sigmaMin(t);
                    if (v < best) {
                        best = v;
                        tBest = t;
                        valley = null;
                    }
                }
                if (!(best < before)) {
                    break;
                }
            }
            level = best * (1 - LEVEL_GAP);
            crossings = f.crossings(level);
            iterations++;
        }
        if (valley != null && !isSymmetryPoint(f, tBest)) {
            // σ_min at the valley's ends is its level, above best: a bracket for Brent
            Brent.Minimum polished = Brent.minimize(f::sigmaMin, valley.lo(), valley.hi(), tBest, best,
                    1e-3 * Math.sqrt(Math.ulp(1.0)) * (valley.hi() - valley.lo()), MAX_POLISH_EVALUATIONS);
            if (polished.value() < best) {
                best = polished.value();
                tBest = polished.t();
            }
        }
        return new Refined(best, tBest, iterations);
    }

    private static boolean isSymmetryPoint(Boundary f, double t) {
        for (double p : f.symmetryPoints()) {
            if (p == t) {
                return true;
            }
        }
        return false;
    }

    private static void checkTol(double tol) {
        if (!(tol > 0) || !Double.isFinite(tol)) {
            throw new InvalidDataException("tol is " + tol + ", expected a finite number > 0 (e.g. 1e-8)");
        }
    }

    private static void checkFinite(double value, String name) {
        if (!Double.isFinite(value)) {
            throw new InvalidDataException(name + " is " + value + ", expected a finite number");
        }
    }
}
