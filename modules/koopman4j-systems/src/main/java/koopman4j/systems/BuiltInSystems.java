package koopman4j.systems;

import java.util.List;
import koopman4j.core.data.InvalidDataException;

/**
 * The registry of built-in systems by their command-line name: the ODE systems as
 * {@link ContinuousSystem}s, every system (the Kuramoto–Sivashinsky PDE too) as a
 * {@link TrajectorySampler}.
 */
public final class BuiltInSystems {

    private BuiltInSystems() {
    }

    public static List<String> names() {
        return List.of("glycolysis", "transient-growth", "transient-growth-linear", "robertson", KuramotoSivashinsky.NAME);
    }

    public static ContinuousSystem byName(String name) {
        return switch (name) {
            case "glycolysis" -> new Glycolysis();
            case "transient-growth" -> new TransientGrowth(1.0); // seed 001, §5.1: ε = 1
            case "transient-growth-linear" -> new TransientGrowth(0.0); // ε = 0
            case "robertson" -> new Robertson(Robertson.DEFAULT_PERTURBATION);
            case KuramotoSivashinsky.NAME -> throw new InvalidDataException(KuramotoSivashinsky.NAME
                    + " is a PDE with its own solver, not an ODE system; simulate it into a file and use that file");
            default -> throw new InvalidDataException("unknown system '" + name + "'; built-in systems: " + String.join(", ", names()));
        };
    }

    /** The sampler of {@code name}: its own solver for the PDE, {@link Simulator} for the ODE systems. */
    public static TrajectorySampler sampler(String name) {
        return KuramotoSivashinsky.NAME.equals(name) ? new KuramotoSivashinsky() : new Simulator(byName(name));
    }

    /**
     * The system {@code name} with initial states perturbed by {@code perturbation} around a reference
     * state; only systems with such a reference state (robertson) take one.
     */
    public static ContinuousSystem byName(String name, double perturbation) {
        if (KuramotoSivashinsky.NAME.equals(name) || !(byName(name) instanceof Robertson)) {
            throw new InvalidDataException("--perturbation applies to robertson only, not to " + name);
        }
        return new Robertson(perturbation);
    }
}
