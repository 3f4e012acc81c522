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

    /** The command-line names of the built-in systems. */
    public static List<String> names() {
        return List.of("glycolysis", "transient-growth", "transient-growth-linear", "robertson", "ieee39", KuramotoSivashinsky.NAME);
    }

    /** The system called {@code name}, with its documented initial-state distribution. */
    public static ContinuousSystem byName(String name) {
        return switch (name) {
            case "glycolysis" -> new Glycolysis();
            case "transient-growth" -> new TransientGrowth(1.0); // seed 001, §5.1: ε = 1
            case "transient-growth-linear" -> new TransientGrowth(0.0); // ε = 0
            case "robertson" -> new Robertson(Robertson.DEFAULT_PERTURBATION);
            case "ieee39" -> SwingNetwork.ieee39(SwingNetwork.DEFAULT_DISTURBANCE);
            default -> throw unknown(name);
            case KuramotoSivashinsky.NAME -> throw new InvalidDataException(KuramotoSivashinsky.NAME
                    + " is a PDE with its own solver, not an ODE system; simulate it into a file and use that file");
        };
    }

    /** The sampler of {@code name}: its own solver for the PDE, {@link Simulator} for the ODE systems. */
    public static TrajectorySampler sampler(String name) {
        return KuramotoSivashinsky.NAME.equals(name) ? new KuramotoSivashinsky() : new Simulator(byName(name));
    }

    /**
     * The system {@code name} with initial states perturbed by {@code perturbation} around its reference
     * state: ε of (1, 0, 0) for robertson, up to ±{@code perturbation} rad of the synchronous rotor angles
     * for ieee39; the other systems have no reference state to perturb.
     */
    public static ContinuousSystem byName(String name, double perturbation) {
        return switch (name) {
            case "robertson" -> new Robertson(perturbation);
            case "ieee39" -> SwingNetwork.ieee39(perturbation);
            default -> throw names().contains(name)
                    ? new InvalidDataException("--perturbation applies to robertson and ieee39 only, not to " + name)
                    : unknown(name);
        };
    }

    private static InvalidDataException unknown(String name) {
        return new InvalidDataException("unknown system '" + name + "'; built-in systems: " + String.join(", ", names()));
    }
}
