package koopman4j.core.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import koopman4j.core.data.TrajectorySet;

/**
 * A model's errors on a data set (ARCHITECTURE.md "Errors reported"), in per cent of the data's norm:
 * the one-step error over every pair, and per horizon h the error of the model's own forecast from each
 * trajectory's first sample over its first h steps. Deep DMD also reports the re-encoded rollout (the
 * model used as a nonlinear map, lifting its forecast again every step); empty for other models.
 *
 * @param reencodedRolloutErrorPct by horizon; empty where the model has no re-encoded forecast
 */
public record Evaluation(double oneStepErrorPct, Map<Integer, Double> rolloutErrorPct, Map<Integer, Double> reencodedRolloutErrorPct,
                         int trajectories) {

    public Evaluation {
        rolloutErrorPct = Collections.unmodifiableMap(new LinkedHashMap<>(rolloutErrorPct));
        reencodedRolloutErrorPct = Collections.unmodifiableMap(new LinkedHashMap<>(reencodedRolloutErrorPct));
    }

    /** The errors of any forecaster (no re-encoded rollout), through {@link ErrorMetrics}. */
    public static Evaluation of(Forecaster model, TrajectorySet data, int... horizons) {
        ErrorMetrics.Report r = ErrorMetrics.evaluate(model, data, horizons);
        return new Evaluation(r.oneStepErrorPct(), r.rolloutErrorPct(), Map.of(), r.trajectories());
    }

    /** The same with the rollout errors of {@code reencoded}, the model used as a nonlinear map. */
    public static Evaluation of(Forecaster model, Forecaster reencoded, TrajectorySet data, int... horizons) {
        ErrorMetrics.Report r = ErrorMetrics.evaluate(model, data, horizons);
        return new Evaluation(r.oneStepErrorPct(), r.rolloutErrorPct(), ErrorMetrics.rolloutErrorPct(reencoded, data, horizons),
                r.trajectories());
    }

    /** The rollout error at horizon h; fails for a horizon that was not evaluated. */
    public double rolloutErrorPct(int horizon) {
        Double e = rolloutErrorPct.get(horizon);
        if (e == null) {
            throw new IllegalArgumentException("horizon " + horizon + " was not evaluated; evaluated: " + rolloutErrorPct.keySet());
        }
        return e;
    }

    /**
     * The JSON of one split in metrics.json and of {@code evaluate}: {@code one_step_error_pct},
     * {@code rollout_error_pct} by horizon, {@code reencoded_rollout_error_pct} (Deep DMD) and {@code trajectories}.
     */
    public ObjectNode toJson() {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("one_step_error_pct", oneStepErrorPct);
        ObjectNode rollout = node.putObject("rollout_error_pct");
        rolloutErrorPct.forEach((h, e) -> rollout.put(Integer.toString(h), e));
        if (!reencodedRolloutErrorPct.isEmpty()) {
            ObjectNode re = node.putObject("reencoded_rollout_error_pct");
            reencodedRolloutErrorPct.forEach((h, e) -> re.put(Integer.toString(h), e));
        }
        node.put("trajectories", trajectories);
        return node;
    }
}
