package koopman4j.layers.integrators;

import java.util.Locale;
import java.util.function.UnaryOperator;
import koopman4j.core.data.InvalidDataException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The time integrators of the structure-preserving NODE, selectable by name in a config: the
 * exponential integrator ETD1 of the paper (seed 001, eq. 17) and the IMEX and RK4 baselines.
 */
public enum Integrator {
    /** Exponential time differencing of order 1 via expmv ({@link Etd1}). */
    ETD1,
    /** Semi-implicit Euler, (I − hA)u₊ = u + h·g(u) ({@link Imex}). */
    IMEX,
    /** Classical explicit Runge–Kutta of order 4 ({@link Rk4}). */
    RK4;

    /** The config name: "etd1", "imex" or "rk4". */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The integrator of a config name, case-insensitive. */
    public static Integrator parse(String name) {
        for (Integrator i : values()) {
            if (i.configName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return i;
            }
        }
        throw new InvalidDataException("integrator '" + name + "' is unknown, expected one of etd1, imex, rk4");
    }

    /** Whether a graph step needs an {@link ExpmvGraph.Plan} chosen outside the graph (ETD1 only). */
    public boolean needsPlan() {
        return this == ETD1;
    }

    /** One step in the graph, u [B, n] → u₊ [B, n]; {@code plan} is used by ETD1 only (from {@link Etd1#plan}). */
    public SDVariable step(SameDiff sd, SDVariable a, VectorField g, SDVariable u, double h, ExpmvGraph.Plan plan) {
        return switch (this) {
            case ETD1 -> Etd1.step(sd, a, g, u, h, plan);
            case IMEX -> Imex.step(sd, a, g, u, h);
            case RK4 -> Rk4.step(sd, a, g, u, h);
        };
    }

    /** One step on arrays (rows are states). */
    public double[][] step(double[][] a, UnaryOperator<double[][]> g, double[][] u, double h) {
        return switch (this) {
            case ETD1 -> Etd1.step(a, g, u, h);
            case IMEX -> Imex.step(a, g, u, h);
            case RK4 -> Rk4.step(a, g, u, h);
        };
    }
}
