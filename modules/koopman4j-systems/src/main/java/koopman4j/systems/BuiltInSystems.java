package koopman4j.systems;

import java.util.List;
import koopman4j.core.data.InvalidDataException;

/** The registry of built-in systems by their command-line name. */
public final class BuiltInSystems {

    private BuiltInSystems() {
    }

    /** The command-line names of the built-in systems. */
    public static List<String> names() {
        return List.of("glycolysis", "transient-growth", "transient-growth-linear", "ieee39");
    }

    /** The system called {@code name}, with its documented initial-state distribution. */
    public static ContinuousSystem byName(String name) {
        return switch (name) {
            case "glycolysis" -> new Glycolysis();
            case "transient-growth" -> new TransientGrowth(1.0); // seed 001, §5.1: ε = 1
            case "transient-growth-linear" -> new TransientGrowth(0.0); // ε = 0
            case "ieee39" -> SwingNetwork.ieee39(SwingNetwork.DEFAULT_DISTURBANCE);
            default -> throw unknown(name);
        };
    }

    /**
     * ieee39 with its initial rotor angles disturbed by up to ±{@code disturbance} rad instead of
     * {@link SwingNetwork#DEFAULT_DISTURBANCE}; the other systems have no disturbance to set.
     */
    public static ContinuousSystem byName(String name, double disturbance) {
        if (!names().contains(name)) {
            throw unknown(name);
        }
        if (!"ieee39".equals(name)) {
            throw new InvalidDataException("--disturbance: only ieee39 has an initial-angle disturbance, not " + name);
        }
        return SwingNetwork.ieee39(disturbance);
    }

    private static InvalidDataException unknown(String name) {
        return new InvalidDataException("unknown system '" + name + "'; built-in systems: " + String.join(", ", names()));
    }
}
