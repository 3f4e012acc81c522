package koopman4j.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ContinuousForecaster;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.core.metrics.Forecaster;
import koopman4j.layers.DeepKoopman;

/**
 * The JSON shape of errors in metrics.json and {@code evaluate} (ARCHITECTURE.md "Errors reported"),
 * computed by {@link ErrorMetrics}: one-step, rollout per horizon and, for Deep DMD, the re-encoded
 * rollout.
 */
public final class ModelMetrics {

    private ModelMetrics() {
    }

    public static ObjectNode of(Forecaster model, TrajectorySet data, int... horizons) {
        ErrorMetrics.Report r = ErrorMetrics.evaluate(model, data, horizons);
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("one_step_error_pct", r.oneStepErrorPct());
        ObjectNode rollout = node.putObject("rollout_error_pct");
        r.rolloutErrorPct().forEach((h, e) -> rollout.put(Integer.toString(h), e));
        if (model instanceof DeepKoopman deep) {
            ObjectNode re = node.putObject("reencoded_rollout_error_pct");
            ErrorMetrics.evaluate(deep.reencoded(), data, horizons).rolloutErrorPct()
                    .forEach((h, e) -> re.put(Integer.toString(h), e));
        }
        node.put("trajectories", r.trajectories());
        return node;
    }

    /**
     * Adds the errors of a continuous-time model forecasting each trajectory along its own sample times (any spacing)
     * from its first sample ({@link ErrorMetrics#alongTrajectories}): {@code trajectory_error_pct}, and per state
     * {@code component_error_pct} and {@code max_pointwise_error_pct}; {@code trajectories} if not there yet.
     */
    public static ObjectNode addAlongTrajectories(ObjectNode node, ContinuousForecaster model, TrajectorySet data) {
        ErrorMetrics.TrajectoryReport r = ErrorMetrics.alongTrajectories(model, data);
        node.put("trajectory_error_pct", r.errorPct());
        ObjectNode component = node.putObject("component_error_pct");
        ObjectNode pointwise = node.putObject("max_pointwise_error_pct");
        for (int i = 0; i < data.dimension(); i++) {
            component.put(data.names().get(i), r.componentErrorPct()[i]);
            pointwise.put(data.names().get(i), r.maxPointwisePct()[i]);
        }
        if (!node.has("trajectories")) {
            node.put("trajectories", r.trajectories());
        }
        return node;
    }
}
