package koopman4j.layers.integrators;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import koopman4j.core.linalg.Precision;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A batch of trajectories advanced step by step over a (non-uniform) time grid, û₀ = u₀ and
 * û_{k+1} = step(û_k, h_k) with the actual h_k = t_{k+1} − t_k — unrolled in the graph (SameDiff has
 * no loop gradients), or on arrays for evaluation and deployment (seed 001, §3 and eq. 20).
 */
public final class Rollout {

    private Rollout() {
    }

    /**
     * The expmv plan of every step of the grid for the current numeric A (ETD1; an empty list for the
     * other integrators). Steps of equal size share a plan. A trainer calls this every step and rebuilds
     * its graph only when the list changes.
     */
    public static List<ExpmvGraph.Plan> plans(Integrator integrator, double[][] a, TimeGrid grid, Precision precision, int batch) {
        if (!integrator.needsPlan()) {
            return List.of();
        }
        Map<Double, ExpmvGraph.Plan> byStep = new HashMap<>();
        List<ExpmvGraph.Plan> plans = new ArrayList<>(grid.steps());
        for (int k = 0; k < grid.steps(); k++) {
            plans.add(byStep.computeIfAbsent(grid.step(k), h -> Etd1.plan(a, h, precision, batch)));
        }
        return List.copyOf(plans);
    }

    /** û₀ … û_K, each [B, n], in the graph; {@code plans} from {@link #plans} (ignored unless ETD1). */
    public static List<SDVariable> states(SameDiff sd, Integrator integrator, SDVariable a, VectorField g, SDVariable u0,
            TimeGrid grid, List<ExpmvGraph.Plan> plans) {
        if (integrator.needsPlan() && plans.size() != grid.steps()) {
            throw new IllegalArgumentException(integrator.configName() + " rollout: " + plans.size() + " plans for "
                    + grid.steps() + " steps; make them with Rollout.plans");
        }
        List<SDVariable> states = new ArrayList<>(grid.steps() + 1);
        states.add(u0);
        Map<Double, ExpmvGraph.Exponential> propagators = new HashMap<>();   // ETD1: one exp(hM) per distinct h
        for (int k = 0; k < grid.steps(); k++) {
            double h = grid.step(k);
            SDVariable u = states.get(k);
            if (integrator == Integrator.ETD1) {
                ExpmvGraph.Plan plan = plans.get(k);
                ExpmvGraph.Exponential e = propagators.get(h);
                if (e == null || !e.plan().equals(plan)) {
                    e = Etd1.propagator(sd, a, h, plan);
                    propagators.put(h, e);
                }
                states.add(Etd1.step(sd, e, g, u));
            } else {
                states.add(integrator.step(sd, a, g, u, h, null));
            }
        }
        return states;
    }

    /** The states stacked in one variable [(K+1)·B, n]: block k (rows k·B … k·B + B − 1) is û_k. */
    public static SDVariable stacked(SameDiff sd, List<SDVariable> states) {
        return sd.concat(0, states.toArray(new SDVariable[0]));
    }

    /** û₀ … û_K on arrays: [K+1][B][n]. */
    public static double[][][] states(Integrator integrator, double[][] a, UnaryOperator<double[][]> g, double[][] u0, TimeGrid grid) {
        double[][][] states = new double[grid.steps() + 1][][];
        states[0] = u0;
        for (int k = 0; k < grid.steps(); k++) {
            states[k + 1] = integrator.step(a, g, states[k], grid.step(k));
        }
        return states;
    }
}
