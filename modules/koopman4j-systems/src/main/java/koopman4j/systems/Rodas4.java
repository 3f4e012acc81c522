package koopman4j.systems;

import java.util.Arrays;
import koopman4j.core.data.InvalidDataException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The stiff integrator: RODAS4, the adaptive 4th-order Rosenbrock method with an embedded 3rd-order
 * solution of Hairer &amp; Wanner, "Solving Ordinary Differential Equations II: Stiff and
 * Differential-Algebraic Problems" (2nd ed., Springer, 1996), §IV.7, with the coefficients of their
 * code RODAS. It is L-stable and stiffly accurate, so steps grow with the solution's time scale, not
 * the fastest decaying mode's: it takes the Robertson problem to t = 10¹¹ in under 500 steps at
 * rtol 10⁻⁶, where an explicit method would be held to steps of about 10⁻⁴ by stability alone.
 *
 * <p>One step solves six linear systems with the one matrix E = I/(hγ) − J, J the Jacobian at the
 * step's start (one Jacobian and one LU factorisation per step, EJML), in the transformed variables
 * of §IV.7 that need no matrix-vector products. The local error is the last stage (the difference
 * of the 4th- and 3rd-order solutions), measured in the weighted RMS norm
 * √(Σ (e_i / (atol_i + rtol_i·max(|y_i|, |ŷ_i|)))² / n); the step is accepted when that norm is at most
 * 1, and the next step is h·min(6, max(1/5, 0.9·err^(−1/4))). Steps are shortened to land exactly on
 * each requested output time, so no interpolation error is added to the samples.
 */
public final class Rodas4 {

    // RODAS (Hairer & Wanner, METH = 1): stage i is y0 + Σ_j A[i][j]·k_j; the last row, A51…A54 and 1,
    // gives the embedded 3rd-order solution, and adding k6 gives the 4th-order one (B = A5j, 1, 1).
    private static final double GAMMA = 0.25;
    private static final double[][] A = {
        {},
        {1.544},
        {0.9466785280815826, 0.2557011698983284},
        {3.314825187068521, 2.896124015972201, 0.9986419139977817},
        {1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950},
        {1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950, 1.0}};
    private static final double[][] C = {
        {},
        {-5.6688},
        {-2.430093356833875, -0.2063599157091915},
        {-0.1073529058151375, -9.594562251023355, -20.47028614809616},
        {7.496443313967647, -10.24680431464352, -33.99990352819905, 11.70890893206160},
        {8.083246795921522, -7.981132988064893, -31.52159432874371, 16.31930543123136, -6.058818238834054}};
    private static final int STAGES = 6;

    // Step-size control of RODAS: safety factor and the bounds on h_new / h.
    private static final double SAFETY = 0.9;
    private static final double MAX_GROWTH = 6;
    private static final double MAX_SHRINK = 0.2;
    // A step whose stages are not finite (a singular E or an overflowing f) is retried this much shorter.
    private static final double FAILED_STEP_SHRINK = 0.25;

    /**
     * Tolerances per state component, {@code rtol[i]} and {@code atol[i]} both positive and finite, and
     * the most step attempts one call may take.
     */
    public record Options(double[] rtol, double[] atol, int maxSteps) {

        public static final int DEFAULT_MAX_STEPS = 1_000_000;

        public Options {
            if (rtol.length != atol.length) {
                throw new InvalidDataException("Rodas4: " + rtol.length + " relative but " + atol.length + " absolute tolerances");
            }
            for (int i = 0; i < rtol.length; i++) {
                checkTolerance("rtol of state " + (i + 1), rtol[i]);
                checkTolerance("atol of state " + (i + 1), atol[i]);
            }
            if (maxSteps < 1) {
                throw new InvalidDataException("Rodas4: maxSteps must be at least 1, got " + maxSteps);
            }
            rtol = rtol.clone();
            atol = atol.clone();
        }

        /** The same {@code rtol} and {@code atol} for each of {@code dimension} components. */
        public static Options of(double rtol, double atol, int dimension) {
            checkTolerance("rtol", rtol);
            checkTolerance("atol", atol);
            double[] r = new double[dimension];
            double[] a = new double[dimension];
            Arrays.fill(r, rtol);
            Arrays.fill(a, atol);
            return new Options(r, a, DEFAULT_MAX_STEPS);
        }

        @Override
        public double[] rtol() {
            return rtol.clone();
        }

        @Override
        public double[] atol() {
            return atol.clone();
        }

        private static void checkTolerance(String name, double value) {
            if (!(value > 0) || !Double.isFinite(value)) {
                throw new InvalidDataException("tolerance " + name + " must be positive and finite, got " + value);
            }
        }
    }

    /**
     * The work done: accepted and rejected steps, Jacobian evaluations (one per accepted step; a
     * rejected step reuses its step's), LU factorisations (one per attempt) and evaluations of f (five
     * per attempt and one per accepted step, not counting those inside a finite-difference Jacobian).
     */
    public record Statistics(int steps, int rejectedSteps, int jacobians, int factorisations, int functionEvaluations) {

        public static final Statistics NONE = new Statistics(0, 0, 0, 0, 0);

        /** The work of two integrations together. */
        public Statistics plus(Statistics o) {
            return new Statistics(steps + o.steps, rejectedSteps + o.rejectedSteps, jacobians + o.jacobians,
                    factorisations + o.factorisations, functionEvaluations + o.functionEvaluations);
        }
    }

    /** The states at the requested times ({@code states[k]} at {@code times[k]}) and the work done. */
    public record Solution(double[][] states, Statistics statistics) {
    }

    private Rodas4() {
    }

    /**
     * Integrates {@code system} from {@code y0} at {@code t0} and returns the states at {@code times}
     * (strictly increasing, none before {@code t0}; a time equal to t0 returns y0).
     *
     * @throws InvalidDataException for a non-finite initial state or time, or times that are out of order
     *         or before t0
     * @throws IllegalStateException when the step size underflows or the step budget is spent, which
     *         means the solution blows up or the problem is not one this method can integrate
     */
    public static Solution integrate(ContinuousSystem system, double t0, double[] y0, double[] times, Options options) {
        int n = system.dimension();
        checkInput(system, t0, y0, times, options, n);
        int steps = 0;
        int rejected = 0;
        int jacobians = 0;
        int factorisations = 0;
        int evaluations = 0;

        double[][] out = new double[times.length][];
        double[] y = y0.clone();
        double t = t0;
        int next = 0;
        if (times[0] == t0) {
            out[next++] = y.clone();
        }
        double[] f0 = new double[n];
        system.derivative(y, f0);
        evaluations++;
        double h = Math.min(initialStep(y, f0, options), times[times.length - 1] - t0);

        double[][] jac = new double[n][n];
        double[][] k = new double[STAGES][n];
        double[] stage = new double[n];
        double[] rhs = new double[n];
        double[] yNew = new double[n];
        DMatrixRMaj e = new DMatrixRMaj(n, n);
        LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(n);
        boolean needJacobian = true;
        boolean lastRejected = false;
        while (next < times.length) {
            if (needJacobian) {
                system.jacobian(y, jac);
                jacobians++;
                needJacobian = false;
            }
            double tOut = times[next];
            // Stretch or cut the step to land on tOut rather than leave a sliver before it.
            boolean hitsOutput = t + 1.0001 * h >= tOut;
            if (hitsOutput) {
                h = tOut - t;
            }
            if (0.1 * h <= Math.abs(t) * Math.ulp(1.0)) {
                throw new IllegalStateException("Rodas4: step size " + h + " underflows at t = " + t + " (" + system.name() + ")");
            }
            if (steps + rejected >= options.maxSteps) {
                throw new IllegalStateException("Rodas4: " + options.maxSteps + " steps did not reach t = " + tOut
                        + " from t = " + t + " (" + system.name() + ")");
            }

            // E = I/(hγ) − J, factorised once for all six stages.
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    e.unsafe_set(i, j, (i == j ? 1 / (h * GAMMA) : 0) - jac[i][j]);
                }
            }
            lu.setA(e);
            factorisations++;
            // E·k_i = f(y0 + Σ_j a_ij k_j) + Σ_j (c_ij / h)·k_j.
            for (int s = 0; s < STAGES; s++) {
                if (s == 0) {
                    System.arraycopy(f0, 0, rhs, 0, n);
                } else {
                    for (int i = 0; i < n; i++) {
                        double sum = y[i];
                        for (int j = 0; j < s; j++) {
                            sum += A[s][j] * k[j][i];
                        }
                        stage[i] = sum;
                    }
                    system.derivative(stage, rhs);
                    evaluations++;
                    for (int i = 0; i < n; i++) {
                        double sum = 0;
                        for (int j = 0; j < s; j++) {
                            sum += C[s][j] * k[j][i];
                        }
                        rhs[i] += sum / h;
                    }
                }
                lu.solve(DMatrixRMaj.wrap(n, 1, rhs), DMatrixRMaj.wrap(n, 1, k[s]));
            }
            // The last stage point is the embedded 3rd-order solution; k6 lifts it to 4th order and is the error.
            double sum = 0;
            for (int i = 0; i < n; i++) {
                yNew[i] = stage[i] + k[STAGES - 1][i];
                double scale = options.atol[i] + options.rtol[i] * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
                double r = k[STAGES - 1][i] / scale;
                sum += r * r;
            }
            double err = Math.sqrt(sum / n);
            if (!Double.isFinite(err)) {
                rejected++;
                lastRejected = true;
                h *= FAILED_STEP_SHRINK;
                continue;
            }
            double hNew = h / Math.max(1 / MAX_GROWTH, Math.min(1 / MAX_SHRINK, Math.pow(err, 0.25) / SAFETY));
            if (err <= 1) {
                steps++;
                t = hitsOutput ? tOut : t + h;
                System.arraycopy(yNew, 0, y, 0, n);
                system.derivative(y, f0);
                evaluations++;
                needJacobian = true;
                if (hitsOutput) {
                    out[next++] = y.clone();
                }
                // Right after a rejection, do not grow the step again at once (RODAS).
                h = lastRejected ? Math.min(hNew, h) : hNew;
                lastRejected = false;
            } else {
                rejected++;
                lastRejected = true;
                h = hNew;
            }
        }
        return new Solution(out, new Statistics(steps, rejected, jacobians, factorisations, evaluations));
    }

    private static void checkInput(ContinuousSystem system, double t0, double[] y0, double[] times, Options options, int n) {
        String who = "Rodas4 (" + system.name() + "): ";
        if (y0.length != n || options.rtol.length != n) {
            throw new InvalidDataException(who + "the system has " + n + " states, but the initial state has " + y0.length
                    + " and the tolerances " + options.rtol.length);
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(y0[i])) {
                throw new InvalidDataException(who + "initial " + system.stateNames().get(i) + " is " + y0[i]);
            }
        }
        if (!Double.isFinite(t0)) {
            throw new InvalidDataException(who + "initial time is " + t0);
        }
        if (times.length == 0) {
            throw new InvalidDataException(who + "no output times");
        }
        for (int k = 0; k < times.length; k++) {
            if (!Double.isFinite(times[k])) {
                throw new InvalidDataException(who + "output time " + (k + 1) + " is " + times[k]);
            }
            if (k > 0 && !(times[k] > times[k - 1])) {
                throw new InvalidDataException(who + "output times must increase: " + times[k - 1] + " then " + times[k]);
            }
        }
        if (times[0] < t0) {
            throw new InvalidDataException(who + "output time " + times[0] + " is before the initial time " + t0);
        }
    }

    /**
     * A first step from the sizes of y0 and f(y0) in the weighted norm: 1% of the time in which f would
     * change y by its own size (Hairer, Nørsett &amp; Wanner, Vol. I, §II.4), 10⁻⁶ when either is tiny.
     * The controller corrects a poor guess within a few steps.
     */
    private static double initialStep(double[] y0, double[] f0, Options options) {
        double d0 = 0;
        double d1 = 0;
        for (int i = 0; i < y0.length; i++) {
            double scale = options.atol[i] + options.rtol[i] * Math.abs(y0[i]);
            d0 += (y0[i] / scale) * (y0[i] / scale);
            d1 += (f0[i] / scale) * (f0[i] / scale);
        }
        d0 = Math.sqrt(d0 / y0.length);
        d1 = Math.sqrt(d1 / y0.length);
        // A non-finite f(y0) gets the fallback too; the step loop then shrinks h until it fails cleanly.
        return d0 < 1e-5 || !(d1 >= 1e-5) || !Double.isFinite(d1) ? 1e-6 : 0.01 * d0 / d1;
    }
}
