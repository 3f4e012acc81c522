package koopman4j.systems;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;

/**
 * Samples trajectories of a {@link ContinuousSystem}: a stiff one ({@link ContinuousSystem#stiff()})
 * with the L-stable Rosenbrock method {@link Rodas4}, the others with Hipparchus' adaptive 8th-order
 * Dormand–Prince integrator. The default tolerances (rtol 1e-11, atol 1e-13) keep the samples within
 * about 1e-8 of the exact solution on the built-in systems (checked in the tests against a second
 * integrator at tighter tolerance, and against published values for Robertson).
 */
public final class Simulator implements TrajectorySampler {

    public static final double DEFAULT_RTOL = 1e-11;
    public static final double DEFAULT_ATOL = 1e-13;

    private static final Logger LOG = LogManager.getLogger(Simulator.class);

    private final ContinuousSystem system;
    private final double rtol;
    private final double atol;
    private final Rodas4.Options stiffOptions;

    public Simulator(ContinuousSystem system) {
        this(system, DEFAULT_RTOL, DEFAULT_ATOL);
    }

    public Simulator(ContinuousSystem system, double rtol, double atol) {
        this.system = system;
        this.rtol = rtol;
        this.atol = atol;
        // Built for either integrator: the record is where tolerances are validated.
        this.stiffOptions = Rodas4.Options.of(rtol, atol, system.dimension());
    }

    /** Uniform sample times 0, dt, …, steps·dt. */
    public static double[] uniformTimes(int steps, double dt) {
        if (steps < 1) {
            throw new InvalidDataException("--steps must be at least 1, got " + steps);
        }
        if (!(dt > 0) || !Double.isFinite(dt)) {
            throw new InvalidDataException("--dt must be positive, got " + dt);
        }
        double[] t = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            t[k] = k * dt;
        }
        return t;
    }

    @Override
    public TrajectorySet simulate(int count, double[] times, long seed, IntConsumer finished) {
        checkSampling(count, times);
        Random rng = new Random(seed);
        List<Trajectory> out = new ArrayList<>();
        Rodas4.Statistics work = Rodas4.Statistics.NONE;
        for (int j = 0; j < count; j++) {
            double[] x0 = system.sampleInitialState(rng);
            if (system.stiff()) {
                Rodas4.Solution s = Rodas4.integrate(system, 0, x0, times, stiffOptions);
                work = work.plus(s.statistics());
                out.add(new Trajectory(times, s.states()));
            } else {
                out.add(new Trajectory(times, integrateNonStiff(0, x0, times)));
            }
            finished.accept(j + 1);
        }
        if (system.stiff()) {
            LOG.info("{}: Rodas4 took {} steps ({} rejected), {} Jacobians and {} LU factorisations for {} trajectories",
                    system.name(), work.steps(), work.rejectedSteps(), work.jacobians(), work.factorisations(), count);
        }
        return new TrajectorySet(system.stateNames(), out);
    }

    @Override
    public List<String> stateNames() {
        return system.stateNames();
    }

    @Override
    public double[][] integrate(double[] x0, double[] times) {
        checkTimes(times);
        return system.stiff()
                ? Rodas4.integrate(system, times[0], x0, times, stiffOptions).states()
                : integrateNonStiff(times[0], x0, times);
    }

    /** What {@link TrajectorySampler#simulate} accepts: at least one trajectory, sample times from t = 0 on. */
    static void checkSampling(int count, double[] times) {
        if (count < 1) {
            throw new InvalidDataException("--trajectories must be at least 1, got " + count);
        }
        checkTimes(times);
        if (times[0] < 0) {
            throw new InvalidDataException("sample times must not be negative (initial states are drawn at t = 0), got " + times[0]);
        }
    }

    static void checkTimes(double[] times) {
        if (times.length == 0) {
            throw new InvalidDataException("no sample times");
        }
        for (int k = 0; k < times.length; k++) {
            if (!Double.isFinite(times[k])) {
                throw new InvalidDataException("sample time " + (k + 1) + " is " + times[k]);
            }
            if (k > 0 && !(times[k] > times[k - 1])) {
                throw new InvalidDataException("sample times must increase: " + times[k - 1] + " then " + times[k]);
            }
        }
    }

    private double[][] integrateNonStiff(double t0, double[] x0, double[] times) {
        OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return system.dimension();
            }

            @Override
            public double[] computeDerivatives(double t, double[] y) {
                double[] d = new double[y.length];
                system.derivative(y, d);
                return d;
            }
        };
        DormandPrince853Integrator integrator = new DormandPrince853Integrator(1e-12, 10, atol, rtol);
        double[][] states = new double[times.length][];
        ODEState state = new ODEState(t0, x0.clone());
        for (int k = 0; k < times.length; k++) {
            if (times[k] == t0) {
                states[k] = x0.clone();
                continue;
            }
            ODEStateAndDerivative next = integrator.integrate(ode, state, times[k]);
            states[k] = next.getPrimaryState();
            state = next;
        }
        return states;
    }
}
