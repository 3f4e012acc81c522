package koopman4j.systems;

import java.util.List;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;

/**
 * Robertson's autocatalytic reaction, the classic stiff test problem (Hairer &amp; Wanner, "Solving
 * Ordinary Differential Equations II", Springer, 1996, §IV.1) and the stiff example of the
 * structure-preserving NODE paper (Alvarez Loya, Serino, Burby &amp; Tang, "Structure-Preserving Neural
 * Ordinary Differential Equations for Stiff Systems", 2025, §5.2):
 * <pre>
 *   y1' = −0.04·y1 + 10⁴·y2·y3
 *   y2' =  0.04·y1 − 10⁴·y2·y3 − 3·10⁷·y2²
 *   y3' =  3·10⁷·y2²
 * </pre>
 * The rates span eleven orders of magnitude: y2 settles within about 10⁻⁴ while y1 decays over 10⁵
 * and beyond. The total y1 + y2 + y3 is conserved.
 *
 * <p>Initial states: (1, 0, 0) at t = 0 plus a perturbation of size ε that keeps them non-negative and
 * on the simplex y1 + y2 + y3 = 1: y0 = (1 − ε·u2 − ε·u3, ε·u2, ε·u3) with u2, u3 uniform in [0, 1)
 * (the paper says only "a small perturbation"). ε = 0 gives (1, 0, 0) exactly; ε must lie in [0, 1/2],
 * beyond which y1 could be negative.
 */
public final class Robertson implements ContinuousSystem {

    /** The perturbation size ε when none is given. */
    public static final double DEFAULT_PERTURBATION = 1e-3;
    /** The largest ε that keeps y1 = 1 − ε·(u2 + u3) ≥ 0 for every draw. */
    public static final double MAX_PERTURBATION = 0.5;

    static final double K1 = 0.04;
    static final double K2 = 3e7;
    static final double K3 = 1e4;

    private final double perturbation;

    public Robertson(double perturbation) {
        if (!(perturbation >= 0)) {
            throw new InvalidDataException("robertson: --perturbation " + perturbation + " would make y2 and y3 negative; it must be in [0, "
                    + MAX_PERTURBATION + "]");
        }
        if (!(perturbation <= MAX_PERTURBATION)) {
            throw new InvalidDataException("robertson: --perturbation " + perturbation + " can make y1 = 1 − ε·(u2 + u3) negative; it must be in [0, "
                    + MAX_PERTURBATION + "]");
        }
        this.perturbation = perturbation;
    }

    public double perturbation() {
        return perturbation;
    }

    @Override
    public String name() {
        return "robertson";
    }

    @Override
    public List<String> stateNames() {
        return List.of("y1", "y2", "y3");
    }

    @Override
    public boolean stiff() {
        return true;
    }

    @Override
    public void derivative(double[] y, double[] dydt) {
        double slow = K1 * y[0];
        double back = K3 * y[1] * y[2];
        double fast = K2 * y[1] * y[1];
        dydt[0] = -slow + back;
        dydt[1] = slow - back - fast;
        dydt[2] = fast;
    }

    @Override
    public void jacobian(double[] y, double[][] jac) {
        jac[0][0] = -K1;
        jac[0][1] = K3 * y[2];
        jac[0][2] = K3 * y[1];
        jac[1][0] = K1;
        jac[1][1] = -K3 * y[2] - 2 * K2 * y[1];
        jac[1][2] = -K3 * y[1];
        jac[2][0] = 0;
        jac[2][1] = 2 * K2 * y[1];
        jac[2][2] = 0;
    }

    @Override
    public double[] sampleInitialState(Random rng) {
        double d2 = perturbation * rng.nextDouble();
        double d3 = perturbation * rng.nextDouble();
        return new double[] {1 - d2 - d3, d2, d3};
    }
}
