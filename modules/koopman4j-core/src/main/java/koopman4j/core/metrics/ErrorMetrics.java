package koopman4j.core.metrics;

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
