package koopman4j.sweep;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import koopman4j.core.data.InvalidDataException;

/**
 * A sweep file (YAML, read by the trainer's {@code ConfigLoader}: unknown keys rejected, one line per
 * fault naming the field). Each record checks its own fields; {@link SweepPlan} checks them against the
 * base training config.
 *
 * @param base           the training config every run starts from (a {@code train} YAML of any model kind),
 *                       relative to the sweep file's folder
 * @param set            {@code key.path=value} overrides applied to the base before the swept fields (as {@code train --set})
 * @param grid           dotted config paths (as {@code --set}) and the values each takes; every combination is run
 * @param random         random search: {@code samples} draws of the given fields, each combined with every grid point
 * @param seeds          values of {@code training.seed}; every configuration runs once per seed (default: the base's seed)
 * @param budget         at most {@code runs} runs, none started after {@code minutes}
 * @param retries        how many times a failed run is tried again (default 1)
 * @param rank           the validation metric runs are ranked by: a field of metrics.json's {@code validation}
 *                       object, e.g. {@code rollout_error_pct.100} (default for Deep DMD) or {@code time_integrated_loss}
 *                       (default for the SP-NODE)
 * @param threadsPerTask ND4J / OpenBLAS threads of one run; task slots per machine = cores / threadsPerTask (default 1)
 * @param searchSeed     seed of the random draws and of the subset the budget keeps (default 1)
 */
public record SweepFile(String base, List<String> set, LinkedHashMap<String, List<JsonNode>> grid,
                        RandomSearch random, List<Long> seeds, Budget budget, Integer retries, String rank,
                        Integer threadsPerTask, Long searchSeed) {

    /** Retries beyond this are a typo, not a plan: a run that failed this often fails for a reason. */
    static final int MAX_RETRIES = 10;

    public SweepFile {
        if (base == null || base.isBlank()) {
            throw new InvalidDataException("base: missing; name the training config (a train YAML) the runs start from");
        }
        set = set == null ? List.of() : List.copyOf(set);
        if (grid != null) {
            if (grid.isEmpty()) {
                throw new InvalidDataException("grid is empty; give at least one field and its values, or leave grid out");
            }
            for (Map.Entry<String, List<JsonNode>> e : grid.entrySet()) {
                if (e.getValue() == null || e.getValue().isEmpty()) {
                    throw new InvalidDataException("grid." + e.getKey() + ": empty list of values");
                }
            }
        }
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
        if (seeds.size() != seeds.stream().distinct().count()) {
            throw new InvalidDataException("seeds: " + seeds + " repeats a seed");
        }
        budget = budget == null ? new Budget(null, null) : budget;
        retries = retries == null ? 1 : retries;
        if (retries < 0 || retries > MAX_RETRIES) {
            throw new InvalidDataException("retries must be between 0 and " + MAX_RETRIES + ", got " + retries);
        }
        threadsPerTask = threadsPerTask == null ? 1 : threadsPerTask;
        if (threadsPerTask < 1) {
            throw new InvalidDataException("threadsPerTask must be at least 1, got " + threadsPerTask);
        }
        searchSeed = searchSeed == null ? 1L : searchSeed;
    }

    /** The swept grid fields in file order (empty without a grid). */
    Map<String, List<JsonNode>> gridOrEmpty() {
        return grid == null ? Map.of() : grid;
    }

    /**
     * {@code random:} {@code samples} draws (each field drawn independently), seeded by the sweep's
     * {@code searchSeed}.
     */
    public record RandomSearch(Integer samples, LinkedHashMap<String, Distribution> fields) {
        public RandomSearch {
            if (samples == null || samples < 1) {
                throw new InvalidDataException("random.samples must be at least 1, got " + samples);
            }
            if (fields == null || fields.isEmpty()) {
                throw new InvalidDataException("random.fields is empty; give at least one field and its distribution");
            }
            for (Map.Entry<String, Distribution> e : fields.entrySet()) {
                if (e.getValue() == null) {
                    throw new InvalidDataException("random.fields." + e.getKey() + ": give one of uniform, logUniform, int, choice");
                }
                e.getValue().check("random.fields." + e.getKey());
            }
        }
    }

    /**
     * How one field is drawn: {@code uniform: [lo, hi]}, {@code logUniform: [lo, hi]} (lo &gt; 0), {@code int: [lo, hi]}
     * (both ends included) or {@code choice: [a, b, …]}; exactly one of them.
     */
    public record Distribution(List<Double> uniform, List<Double> logUniform, @JsonProperty("int") List<Long> integer,
                               List<JsonNode> choice) {

        void check(String field) {
            List<String> given = new ArrayList<>();
            if (uniform != null) {
                given.add("uniform");
            }
            if (logUniform != null) {
                given.add("logUniform");
            }
            if (integer != null) {
                given.add("int");
            }
            if (choice != null) {
                given.add("choice");
            }
            if (given.size() != 1) {
                throw new InvalidDataException(field + ": give exactly one of uniform, logUniform, int, choice"
                        + (given.isEmpty() ? "" : " (got " + String.join(", ", given) + ")"));
            }
            if (choice != null && choice.isEmpty()) {
                throw new InvalidDataException(field + ".choice: empty list of values");
            }
            List<? extends Number> range = uniform != null ? uniform : logUniform != null ? logUniform : integer;
            if (range != null) {
                String name = given.get(0);
                if (range.size() != 2 || range.get(0) == null || range.get(1) == null
                        || !(range.get(0).doubleValue() <= range.get(1).doubleValue())
                        || !Double.isFinite(range.get(0).doubleValue()) || !Double.isFinite(range.get(1).doubleValue())) {
                    throw new InvalidDataException(field + "." + name + ": expected [low, high] with low ≤ high, got " + range);
                }
                if (logUniform != null && !(logUniform.get(0) > 0)) {
                    throw new InvalidDataException(field + ".logUniform: the low end must be > 0, got " + logUniform.get(0));
                }
            }
        }

        /** Whether values are drawn on a log scale (the figure's axis follows). */
        boolean logarithmic() {
            return logUniform != null;
        }
    }

    /** {@code budget:} at most {@code runs} runs (a seeded subset of configurations when there are more); none started after {@code minutes}. */
    public record Budget(Integer runs, Double minutes) {
        public Budget {
            if (runs != null && runs < 1) {
                throw new InvalidDataException("budget.runs must be at least 1, got " + runs);
            }
            if (minutes != null && !(minutes > 0 && Double.isFinite(minutes))) {
                throw new InvalidDataException("budget.minutes must be a finite number > 0, got " + minutes);
            }
        }
    }
}
