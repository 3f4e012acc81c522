package koopman4j.systems;

import java.util.List;
import koopman4j.core.data.InvalidDataException;

/** The registry of built-in systems by their command-line name. */
public final class BuiltInSystems {

    private BuiltInSystems() {
    }

    public static List<String> names() {
        return List.of("glycolysis");
    }

    public static ContinuousSystem byName(String name) {
        return switch (name) {
            case "glycolysis" -> new Glycolysis();
            default -> throw new InvalidDataException("unknown system '" + name + "'; built-in systems: " + String.join(", ", names()));
        };
    }
}
