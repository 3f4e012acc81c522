package koopman4j.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sweep's runs with their outcomes, ranked by the validation metric only: runs one by one, and
 * configurations (a configuration's runs differ only in their seed) by the mean over their finished
 * seeds. The chosen run is the best seed of the best configuration. Test errors are carried for the
 * tables and never compared.
 */
record SweepResults(SweepPlan plan, List<Row> runs, List<Configuration> configurations) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One run and how it ended.
     *
     * @param rank  1-based rank among the runs with a finite validation score, 0 if unranked
     * @param score the validation metric (NaN if the run has none)
     */
    record Row(SweepPlan.Run run, RunOutcome outcome, JsonNode metrics, double score, int rank) {

        JsonNode split(String name) {
            return metrics.path(name);
        }

        boolean ranked() {
            return rank > 0;
        }
    }

    /**
     * One configuration over its seeds.
     *
     * @param rank 1-based rank by the mean validation score, 0 if none of its runs finished with a finite score
     */
    record Configuration(List<com.fasterxml.jackson.databind.JsonNode> values, List<Row> runs, double mean, double min, double max,
                         int scored, int rank) {

        /** Its best run (lowest validation score). */
        Optional<Row> best() {
            return runs.stream().filter(r -> Double.isFinite(r.score())).min(Comparator.comparingDouble(Row::score));
        }

        /** Mean of a test-split metric over the same runs (information only). */
        double testMean(RankMetric metric) {
            return runs.stream().filter(r -> Double.isFinite(r.score())).mapToDouble(r -> metric.of(r.split("test")))
                    .average().orElse(Double.NaN);
        }
    }

    static SweepResults of(SweepPlan plan, List<RunOutcome> outcomes) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < plan.runs().size(); i++) {
            RunOutcome o = outcomes.get(i);
            JsonNode metrics = MissingNode.getInstance();
            if (o.status().hasMetrics() && o.metrics() != null) {
                try {
                    metrics = JSON.readTree(o.metrics());
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException("run " + o.id() + ": metrics not readable", e);
                }
            }
            double score = plan.rank().of(metrics.path("validation"));
            rows.add(new Row(plan.runs().get(i), o, metrics, score, 0));
        }
        // NaN and ±∞ (a run whose rollout blew up) sort after every finite score, in plan order
        List<Row> ranked = rows.stream().filter(r -> Double.isFinite(r.score()))
                .sorted(Comparator.comparingDouble(Row::score)).toList();
        Map<String, Integer> rankOf = new LinkedHashMap<>();
        for (int i = 0; i < ranked.size(); i++) {
            rankOf.put(ranked.get(i).run().id(), i + 1);
        }
        List<Row> ordered = new ArrayList<>();
        for (Row r : ranked) {
            ordered.add(new Row(r.run(), r.outcome(), r.metrics(), r.score(), rankOf.get(r.run().id())));
        }
        rows.stream().filter(r -> !Double.isFinite(r.score())).forEach(ordered::add);
        return new SweepResults(plan, List.copyOf(ordered), configurations(ordered));
    }

    private static List<Configuration> configurations(List<Row> rows) {
        Map<List<JsonNode>, List<Row>> byValues = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparingInt(r -> r.run().index()))
                .forEach(r -> byValues.computeIfAbsent(r.run().values(), k -> new ArrayList<>()).add(r));
        List<Configuration> unranked = new ArrayList<>();
        for (Map.Entry<List<JsonNode>, List<Row>> e : byValues.entrySet()) {
            double[] scores = e.getValue().stream().mapToDouble(Row::score).filter(Double::isFinite).toArray();
            double mean = scores.length == 0 ? Double.NaN : java.util.Arrays.stream(scores).average().orElseThrow();
            double min = java.util.Arrays.stream(scores).min().orElse(Double.NaN);
            double max = java.util.Arrays.stream(scores).max().orElse(Double.NaN);
            unranked.add(new Configuration(e.getKey(), List.copyOf(e.getValue()), mean, min, max, scores.length, 0));
        }
        List<Configuration> ranked = unranked.stream().filter(c -> Double.isFinite(c.mean()))
                .sorted(Comparator.comparingDouble(Configuration::mean)).toList();
        List<Configuration> out = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            Configuration c = ranked.get(i);
            out.add(new Configuration(c.values(), c.runs(), c.mean(), c.min(), c.max(), c.scored(), i + 1));
        }
        unranked.stream().filter(c -> !Double.isFinite(c.mean())).forEach(out::add);
        return List.copyOf(out);
    }

    /** The best seed of the best configuration, if any run finished with a finite validation score. */
    Optional<Row> chosen() {
        return configurations.isEmpty() || configurations.get(0).rank() == 0 ? Optional.empty() : configurations.get(0).best();
    }

    long count(RunOutcome.Status status) {
        return runs.stream().filter(r -> r.outcome().status() == status).count();
    }
}
