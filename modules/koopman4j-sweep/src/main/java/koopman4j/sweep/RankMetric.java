package koopman4j.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import koopman4j.core.data.InvalidDataException;
import koopman4j.trainer.config.TrainConfig;

/**
 * The validation metric a sweep ranks its runs by: one field of the {@code validation} object of a run's
 * {@code metrics.json} (ARCHITECTURE.md "Errors reported"). Only validation is ever read for ranking;
 * the test split stays held out.
 *
 * @param field   the field, e.g. {@code one_step_error_pct}
 * @param horizon the rollout horizon for the {@code *rollout_error_pct} fields, else 0
 */
record RankMetric(String field, int horizon) {

    static final String ONE_STEP = "one_step_error_pct";
    static final String ROLLOUT = "rollout_error_pct";
    static final String REENCODED = "reencoded_rollout_error_pct";
    static final String LOSS = "time_integrated_loss";
    /** The horizons each trainer writes to metrics.json (DeepKoopmanTrainer / SpNodeTrainer REPORT_HORIZONS; a test keeps them in step). */
    static final Set<Integer> DEEP_DMD_HORIZONS = Set.of(1, 10, 100, 500);
    static final Set<Integer> SP_NODE_HORIZONS = Set.of(1, 10, 100);

    /** The default: Deep DMD's headline rollout@100, the SP-NODE's own selection criterion (eq. 20), one-step for a mix. */
    static RankMetric defaultFor(Set<String> kinds) {
        if (kinds.equals(Set.of(TrainConfig.Model.DEEP_DMD))) {
            return new RankMetric(ROLLOUT, 100);
        }
        if (kinds.equals(Set.of(TrainConfig.Model.SP_NODE))) {
            return new RankMetric(LOSS, 0);
        }
        return new RankMetric(ONE_STEP, 0);
    }

    /** Parses {@code rank:} and checks that every model kind in the sweep reports it. */
    static RankMetric parse(String text, Set<String> kinds) {
        String[] parts = text.trim().split("\\.");
        RankMetric metric;
        if (parts.length == 1 && (parts[0].equals(ONE_STEP) || parts[0].equals(LOSS))) {
            metric = new RankMetric(parts[0], 0);
        } else if (parts.length == 2 && (parts[0].equals(ROLLOUT) || parts[0].equals(REENCODED)) && parts[1].matches("[0-9]{1,6}")) {
            metric = new RankMetric(parts[0], Integer.parseInt(parts[1]));
        } else {
            throw new InvalidDataException("rank: '" + text + "' is not a validation metric; expected " + ONE_STEP + ", "
                    + ROLLOUT + ".<h>, " + REENCODED + ".<h> or " + LOSS);
        }
        for (String kind : kinds) {
            if (!metric.reportedBy(kind)) {
                throw new InvalidDataException("rank: " + kind + " runs do not report " + text + " (" + kind + " reports "
                        + String.join(", ", reported(kind)) + ")");
            }
        }
        return metric;
    }

    private boolean reportedBy(String kind) {
        return reported(kind).contains(path());
    }

    private static List<String> reported(String kind) {
        boolean deep = TrainConfig.Model.DEEP_DMD.equals(kind);
        Set<Integer> horizons = deep ? DEEP_DMD_HORIZONS : SP_NODE_HORIZONS;
        java.util.List<String> names = new java.util.ArrayList<>();
        names.add(ONE_STEP);
        horizons.stream().sorted().forEach(h -> names.add(ROLLOUT + "." + h));
        if (deep) {
            horizons.stream().sorted().forEach(h -> names.add(REENCODED + "." + h));
        } else {
            names.add(LOSS);
        }
        return names;
    }

    /** The dotted name, as written in the sweep file. */
    String path() {
        return horizon > 0 ? field + "." + horizon : field;
    }

    /** A short label for tables and axes, e.g. {@code rollout@100}. */
    String label() {
        return switch (field) {
            case ONE_STEP -> "one-step %";
            case ROLLOUT -> "rollout@" + horizon + " %";
            case REENCODED -> "re-encoded@" + horizon + " %";
            default -> "eq. 20 loss";
        };
    }

    /** This metric of one split object of metrics.json (NaN when absent or not a number). */
    double of(JsonNode split) {
        JsonNode v = horizon > 0 ? split.path(field).path(Integer.toString(horizon)) : split.path(field);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    /** The rollout horizon shown beside it in results.csv: its own, else 100 (the README's headline). */
    int rolloutHorizon() {
        return field.equals(ROLLOUT) || field.equals(REENCODED) ? horizon : 100;
    }
}
