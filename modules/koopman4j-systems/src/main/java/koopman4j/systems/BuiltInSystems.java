package koopman4j.systems;

import java.util.List;
import koopman4j.core.data.InvalidDataException;

/** The registry of built-in systems by their command-line name. */
public final class BuiltInSystems {

    private BuiltInSystems() {
    }

    public static List<String> names() {
        return List.of("glycolysis", "transient-growth", "transient-growth-linear", "robertson");
    }

    public static ContinuousSystem byName(String name) {
        return switch (name) {
            case "glycolysis" -> new Glycolysis();
            case "transient-growth" -> new TransientGrowth(1.0); // seed 001, §5.1: ε = 1
            case "transient-growth-linear" -> new TransientGrowth(0.0); // ε = 0
            case "robertson" -> new Robertson(Robertson.DEFAULT_PERTURBATION);
            default -> throw new InvalidDataException("unknown system '" + name + "'; built-in systems: " + String.join(", ", names()));
        };
    }

    /**
     * The system {@code name} with initial states perturbed by {@code perturbation} around a reference
     * state; only systems with such a reference state (robertson) take one.
     */
    public static ContinuousSystem byName(String name, double perturbation) {
        ContinuousSystem system = byName(name);
        if (!(system instanceof Robertson)) {
            throw new InvalidDataException("--perturbation applies to robertson only, not to " + name);
        }
        return new Robertson(perturbation);
    }
}
