package koopman4j.core.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;

/**
 * The one implementation of koopman4j's error metrics (ARCHITECTURE.md, "Errors reported"); train,
 * evaluate and compare all call it. Errors are relative Frobenius norms in percent:
 * 100·‖X̂ − X‖_F / ‖X‖_F, over the columns the model predicts (the measured states; with a delay
 * embedding the current ones) of the data as the model sees it ({@link Forecaster#prepare}).
 */
public final class ErrorMetrics {

    private ErrorMetrics() {
    }

    /** One-step and rollout errors of a model on a data set. */
    public record Report(double oneStepErrorPct, Map<Integer, Double> rolloutErrorPct, int trajectories) {
        public Report {
            rolloutErrorPct = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rolloutErrorPct));
        }
    }

    public static Report evaluate(Forecaster model, TrajectorySet measured, int... horizons) {
        return new Report(oneStepErrorPct(model, measured), rolloutErrorPct(model, measured, horizons), measured.size());
    }

    /** 100·‖X̂₊ − X₊‖_F / ‖X₊‖_F over all one-step pairs. */
    public static double oneStepErrorPct(Forecaster model, TrajectorySet measured) {
        TrajectorySet data = model.prepare(measured);
        double[][] predicted = model.step(data.pairSources());
        double[][] truth = data.pairTargets();
        double err = 0;
        double ref = 0;
        for (int r = 0; r < truth.length; r++) {
            for (int i = 0; i < predicted[r].length; i++) {
                double d = predicted[r][i] - truth[r][i];
                err += d * d;
                ref += truth[r][i] * truth[r][i];
            }
        }
        return 100 * Math.sqrt(err / ref);
    }

    /**
     * The same over the first {@code horizon} predicted steps, every trajectory rolled out from its
     * first sample only (its first delay vector for a delay-embedded model); trajectories with fewer
     * than horizon+1 samples are rolled out over their length. Fails when no trajectory has a single
     * step to predict.
     */
    public static double rolloutErrorPct(Forecaster model, TrajectorySet measured, int horizon) {
        return rolloutErrorPct(model, measured, new int[] {horizon}).get(horizon);
    }

    /** The same for several horizons, all scored on one rollout over the longest (a rollout's prefix is the shorter rollout). */
    public static Map<Integer, Double> rolloutErrorPct(Forecaster model, TrajectorySet measured, int... horizons) {
        int longestHorizon = 0;
        for (int horizon : horizons) {
            if (horizon < 1) {
                throw new InvalidDataException("rollout horizon must be at least 1, got " + horizon);
            }
            longestHorizon = Math.max(longestHorizon, horizon);
        }
        TrajectorySet data = model.prepare(measured);
        List<Trajectory> ts = data.trajectories();
        double[][] initial = new double[ts.size()][];
        for (int j = 0; j < ts.size(); j++) {
            initial[j] = ts.get(j).states()[0];
        }
        int longest = 0;
        for (Trajectory t : ts) {
            longest = Math.max(longest, Math.min(longestHorizon, t.length() - 1));
        }
        double[][][] predicted = model.rollout(initial, longest);
        Map<Integer, Double> errors = new LinkedHashMap<>();
        for (int horizon : horizons) {
            double err = 0;
            double ref = 0;
            for (int j = 0; j < ts.size(); j++) {
                double[][] truth = ts.get(j).states();
                int steps = Math.min(horizon, truth.length - 1);
                for (int k = 1; k <= steps; k++) {
                    for (int i = 0; i < predicted[j][k - 1].length; i++) {
                        double d = predicted[j][k - 1][i] - truth[k][i];
                        err += d * d;
                        ref += truth[k][i] * truth[k][i];
                    }
                }
            }
            errors.put(horizon, 100 * Math.sqrt(err / ref));
        }
        return errors;
    }

    /**
     * Errors of a continuous-time model forecasting every trajectory along its own sample times from its first
     * sample (any spacing, e.g. log-spaced): over all samples, the first included (the model's own value there).
     *
     * @param errorPct          100·‖X̂ − X‖_F / ‖X‖_F over every sample, state and trajectory
     * @param componentErrorPct the same per state i: 100·‖X̂_i − X_i‖ / ‖X_i‖ over every sample and trajectory,
     *                          unaffected by how large state i is next to the others
     * @param maxPointwisePct   per state, the largest 100·|x̂_i(t_k) − x_i(t_k)| / |x_i(t_k)| over every sample and
     *                          trajectory
     * @param trajectories      how many trajectories were scored
     */
    public record TrajectoryReport(double errorPct, double[] componentErrorPct, double[] maxPointwisePct, int trajectories) {
        public TrajectoryReport {
            componentErrorPct = componentErrorPct.clone();
            maxPointwisePct = maxPointwisePct.clone();
        }

        @Override
        public double[] componentErrorPct() {
            return componentErrorPct.clone();
        }

        @Override
        public double[] maxPointwisePct() {
            return maxPointwisePct.clone();
        }

        /**
         * The fields of metrics.json and {@code evaluate} (ARCHITECTURE.md "Errors reported"): {@code trajectory_error_pct},
         * {@code component_error_pct} and {@code max_pointwise_error_pct} by state name, {@code trajectories}.
         */
        public ObjectNode toJson(List<String> names) {
            if (names.size() != componentErrorPct.length) {
                throw new IllegalArgumentException(names.size() + " names for " + componentErrorPct.length + " components");
            }
            ObjectNode node = new ObjectMapper().createObjectNode();
            node.put("trajectory_error_pct", errorPct);
            ObjectNode component = node.putObject("component_error_pct");
            ObjectNode pointwise = node.putObject("max_pointwise_error_pct");
            for (int i = 0; i < names.size(); i++) {
                component.put(names.get(i), componentErrorPct[i]);
                pointwise.put(names.get(i), maxPointwisePct[i]);
            }
            node.put("trajectories", trajectories);
            return node;
        }
    }

    /**
     * One-step error of a continuous-time model on any grid: every sample x(t_k) but the last forecast to t_{k+1} with
     * its own step, 100·‖X̂₊ − X₊‖_F / ‖X₊‖_F over all such pairs (on a uniform grid, {@link #oneStepErrorPct} with that
     * step).
     */
    public static double oneStepAlongPct(ContinuousForecaster model, TrajectorySet measured) {
        double err = 0;
        double ref = 0;
        for (List<Trajectory> group : sameTimes(measured)) { // one call per step for trajectories on one grid
            double[] times = group.get(0).times();
            for (int k = 0; k + 1 < times.length; k++) {
                double[][] from = new double[group.size()][];
                for (int j = 0; j < from.length; j++) {
                    from[j] = group.get(j).states()[k];
                }
                double[][][] predicted = model.forecast(from, new double[] {times[k], times[k + 1]});
                for (int j = 0; j < from.length; j++) {
                    double[] truth = group.get(j).states()[k + 1];
                    for (int i = 0; i < truth.length; i++) {
                        double d = predicted[j][1][i] - truth[i];
                        err += d * d;
                        ref += truth[i] * truth[i];
                    }
                }
            }
        }
        return 100 * Math.sqrt(err / ref);
    }

    /** Runs of consecutive trajectories with equal sample times, in order. */
    private static List<List<Trajectory>> sameTimes(TrajectorySet measured) {
        List<List<Trajectory>> groups = new ArrayList<>();
        for (Trajectory t : measured.trajectories()) {
            if (groups.isEmpty() || !java.util.Arrays.equals(groups.get(groups.size() - 1).get(0).times(), t.times())) {
                groups.add(new ArrayList<>());
            }
            groups.get(groups.size() - 1).add(t);
        }
        return groups;
    }

    /** The errors of {@link TrajectoryReport} for {@code model} on {@code measured}. */
    public static TrajectoryReport alongTrajectories(ContinuousForecaster model, TrajectorySet measured) {
        double[][][] predicted = forecastAlong(model, measured);
        int n = measured.dimension();
        double[] err = new double[n];
        double[] ref = new double[n];
        double[] worst = new double[n];
        for (int j = 0; j < measured.size(); j++) {
            double[][] truth = measured.get(j).states();
            for (int k = 0; k < truth.length; k++) {
                for (int i = 0; i < n; i++) {
                    double d = predicted[j][k][i] - truth[k][i];
                    err[i] += d * d;
                    ref[i] += truth[k][i] * truth[k][i];
                    worst[i] = Math.max(worst[i], relativePct(predicted[j][k][i], truth[k][i]));
                }
            }
        }
        double[] component = new double[n];
        double errSum = 0;
        double refSum = 0;
        for (int i = 0; i < n; i++) {
            component[i] = 100 * Math.sqrt(err[i] / ref[i]);
            errSum += err[i];
            refSum += ref[i];
        }
        return new TrajectoryReport(100 * Math.sqrt(errSum / refSum), component, worst, measured.size());
    }

    /**
     * 100·|x̂_i(t_k) − x_i(t_k)| / |x_i(t_k)| for every trajectory j, sample k and state i, as {@code [j][k][i]}, the
     * forecast as in {@link #alongTrajectories}; where the truth is exactly 0 the error is 0 for an exact forecast and
     * infinite otherwise.
     */
    public static double[][][] pointwiseRelativePct(ContinuousForecaster model, TrajectorySet measured) {
        double[][][] predicted = forecastAlong(model, measured);
        double[][][] rel = new double[measured.size()][][];
        for (int j = 0; j < measured.size(); j++) {
            double[][] truth = measured.get(j).states();
            rel[j] = new double[truth.length][truth[0].length];
            for (int k = 0; k < truth.length; k++) {
                for (int i = 0; i < truth[k].length; i++) {
                    rel[j][k][i] = relativePct(predicted[j][k][i], truth[k][i]);
                }
            }
        }
        return rel;
    }

    /** Each trajectory forecast along its own times from its first sample, as {@code [j][k][i]}; runs of equal times share one call. */
    public static double[][][] forecastAlong(ContinuousForecaster model, TrajectorySet measured) {
        double[][][] out = new double[measured.size()][][];
        int j = 0;
        for (List<Trajectory> group : sameTimes(measured)) {
            double[][] initial = group.stream().map(t -> t.states()[0]).toArray(double[][]::new);
            for (double[][] predicted : model.forecast(initial, group.get(0).times())) {
                out[j++] = predicted;
            }
        }
        return out;
    }

    private static double relativePct(double predicted, double truth) {
        double d = Math.abs(predicted - truth);
        if (truth == 0) {
            return d == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return 100 * d / Math.abs(truth);
    }

    /** Horizons parsed from "1,10,100". */
    public static int[] parseHorizons(String csv) {
        List<Integer> hs = new ArrayList<>();
        for (String s : csv.split(",")) {
            try {
                hs.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new InvalidDataException("--horizons: '" + s.trim() + "' is not an integer", e);
            }
        }
        return hs.stream().mapToInt(Integer::intValue).toArray();
    }
}
