package koopman4j.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import koopman4j.core.data.InvalidDataException;
import koopman4j.trainer.config.ConfigLoader;
import koopman4j.trainer.config.TrainConfig;

/**
 * A sweep file expanded into its runs, every one checked before anything runs: each swept field must
 * exist in the base config, and each run's config must bind as {@code train} would bind it (a fault is
 * one line naming the sweep file, the run and the field). A run's config is the base, then {@code set},
 * then its grid and random values, then its seed, applied through the trainer's own {@code --set} path,
 * so that a sweep run is exactly {@code train --config base --set …}.
 *
 * @param file        the sweep file
 * @param fields      the swept fields in order: grid fields, then random fields
 * @param logarithmic the random fields drawn on a log scale
 * @param runs        the runs in plan order, no two with the same config
 * @param rank        the validation metric runs are ranked by
 * @param settings    retries, thread budget and time budget
 * @param dropped     configurations the run budget left out
 */
public record SweepPlan(Path file, List<String> fields, Set<String> logarithmic, List<Run> runs, RankMetric rank,
                        Settings settings, int dropped) {

    /** The training seed's field: {@code seeds} sweep it. */
    static final String SEED_FIELD = "training.seed";
    /** Random draws are rounded to this many significant digits so that configs and tables stay readable. */
    private static final MathContext DRAW_DIGITS = new MathContext(4);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    /**
     * One run: its content-derived id (the same config always gets the same id, so a restarted sweep
     * finds it), the values of the swept fields, its seed and its config as YAML.
     */
    public record Run(String id, int index, List<JsonNode> values, long seed, String label, String configYaml) {
    }

    /** What the sweep file says about how runs are run (not what they train). */
    public record Settings(int retries, int threadsPerTask, Double budgetMinutes) {
    }

    /** Reads, expands and checks a sweep file. */
    public static SweepPlan load(Path file) {
        SweepFile sweep = ConfigLoader.load(file, SweepFile.class);
        String source = file.toString();
        // checked here, after binding: Jackson builds the record before it reports an unknown key such as 'grids'
        if (sweep.grid() == null && sweep.random() == null && sweep.seeds().size() < 2) {
            throw new InvalidDataException(source + ": nothing to sweep: give grid, random or at least two seeds");
        }
        Path base = resolve(file, sweep.base());
        JsonNode baseTree;
        try {
            baseTree = ConfigLoader.tree(base, sweep.set());
        } catch (InvalidDataException e) {
            throw new InvalidDataException(source + ": base " + sweep.base() + ": " + e.getMessage(), e);
        }
        Map<String, List<JsonNode>> grid = sweep.gridOrEmpty();
        Map<String, SweepFile.Distribution> random = sweep.random() == null ? Map.of() : sweep.random().fields();
        List<String> fields = new ArrayList<>();
        Set<String> logarithmic = new LinkedHashSet<>();
        for (String f : grid.keySet()) {
            checkField(baseTree, f, source + ": grid." + f);
            fields.add(f);
        }
        for (Map.Entry<String, SweepFile.Distribution> e : random.entrySet()) {
            checkField(baseTree, e.getKey(), source + ": random.fields." + e.getKey());
            if (grid.containsKey(e.getKey())) {
                throw new InvalidDataException(source + ": random.fields." + e.getKey() + " is also in grid; sweep it in one of them");
            }
            fields.add(e.getKey());
            if (e.getValue().logarithmic()) {
                logarithmic.add(e.getKey());
            }
        }
        if (!sweep.seeds().isEmpty() && fields.contains(SEED_FIELD)) {
            throw new InvalidDataException(source + ": " + SEED_FIELD + " is swept by seeds; leave it out of grid and random");
        }
        List<List<JsonNode>> points = combine(new ArrayList<>(grid.values()), draws(sweep, random));
        List<Long> seeds = sweep.seeds().isEmpty() ? List.of(baseTree.path("training").path("seed").asLong()) : sweep.seeds();
        int dropped = 0;
        Integer budgetRuns = sweep.budget().runs();
        if (budgetRuns != null && (long) points.size() * seeds.size() > budgetRuns) {
            int keep = budgetRuns / seeds.size();
            if (keep == 0) {
                throw new InvalidDataException(source + ": budget.runs " + budgetRuns + " is less than one configuration's "
                        + seeds.size() + " seeds");
            }
            dropped = points.size() - keep;
            points = subset(points, keep, sweep.searchSeed());
        }
        List<Run> runs = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        Set<String> kinds = new LinkedHashSet<>();
        for (List<JsonNode> point : points) {
            for (long seed : seeds) {
                List<String> overrides = new ArrayList<>(sweep.set());
                List<String> shown = new ArrayList<>();
                for (int i = 0; i < fields.size(); i++) {
                    overrides.add(fields.get(i) + "=" + yamlValue(point.get(i)));
                    shown.add(fields.get(i) + "=" + display(point.get(i)));
                }
                overrides.add(SEED_FIELD + "=" + seed);
                shown.add(SEED_FIELD + "=" + seed);
                String label = String.join(", ", shown);
                JsonNode tree;
                TrainConfig config;
                try {
                    tree = ConfigLoader.tree(base, overrides);
                    config = ConfigLoader.bind(tree, "config");
                } catch (InvalidDataException e) {
                    throw new InvalidDataException(source + ": run " + label + ": " + e.getMessage().replaceFirst("^config: ", ""), e);
                }
                kinds.add(config.model().kind());
                String yaml = yaml(tree);
                String id = id(yaml);
                if (ids.add(id)) { // random draws can repeat a configuration: it runs once
                    runs.add(new Run(id, runs.size(), point, seed, label, yaml));
                }
            }
        }
        RankMetric rank;
        try {
            rank = sweep.rank() == null ? RankMetric.defaultFor(kinds) : RankMetric.parse(sweep.rank(), kinds);
        } catch (InvalidDataException e) {
            throw new InvalidDataException(source + ": " + e.getMessage(), e);
        }
        return new SweepPlan(file, List.copyOf(fields), Collections.unmodifiableSet(logarithmic), List.copyOf(runs), rank,
                new Settings(sweep.retries(), sweep.threadsPerTask(), sweep.budget().minutes()), dropped);
    }

    /** The base config's path: as given when absolute, else beside the sweep file. */
    private static Path resolve(Path sweepFile, String base) {
        Path p = Path.of(base);
        Path dir = sweepFile.toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
    }

    /** A swept path must name a value of the merged base config (defaults included), not a section. */
    private static void checkField(JsonNode tree, String path, String where) {
        JsonNode node = tree;
        String[] keys = path.split("\\.", -1);
        for (int i = 0; i < keys.length; i++) {
            String at = String.join(".", java.util.Arrays.copyOf(keys, i));
            JsonNode child = node.isObject() ? node.get(keys[i]) : null;
            if (child == null) {
                throw new InvalidDataException(where + ": no such field in the training config ("
                        + (at.isEmpty() ? "sections" : at) + ": " + String.join(", ", names(node)) + ")");
            }
            node = child;
        }
        if (node.isObject()) {
            throw new InvalidDataException(where + ": is a section; sweep one of its fields (" + String.join(", ", names(node)) + ")");
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The random draws: samples × fields, drawn sample by sample from one seeded stream. */
    private static List<List<JsonNode>> draws(SweepFile sweep, Map<String, SweepFile.Distribution> fields) {
        if (sweep.random() == null) {
            return List.of(List.of());
        }
        SplittableRandom rng = new SplittableRandom(sweep.searchSeed());
        List<List<JsonNode>> out = new ArrayList<>();
        for (int s = 0; s < sweep.random().samples(); s++) {
            List<JsonNode> draw = new ArrayList<>();
            for (SweepFile.Distribution d : fields.values()) {
                draw.add(draw(d, rng));
            }
            out.add(draw);
        }
        return out;
    }

    private static JsonNode draw(SweepFile.Distribution d, SplittableRandom rng) {
        if (d.choice() != null) {
            return d.choice().get(rng.nextInt(d.choice().size()));
        }
        if (d.integer() != null) {
            return LongNode.valueOf(d.integer().get(0) + rng.nextLong(d.integer().get(1) - d.integer().get(0) + 1));
        }
        double u = rng.nextDouble();
        double x = d.uniform() != null
                ? d.uniform().get(0) + u * (d.uniform().get(1) - d.uniform().get(0))
                : Math.exp(Math.log(d.logUniform().get(0)) + u * (Math.log(d.logUniform().get(1)) - Math.log(d.logUniform().get(0))));
        return DoubleNode.valueOf(new BigDecimal(x).round(DRAW_DIGITS).doubleValue());
    }

    /** Every grid point (first field slowest) combined with every random draw. */
    private static List<List<JsonNode>> combine(List<List<JsonNode>> grid, List<List<JsonNode>> draws) {
        List<List<JsonNode>> points = new ArrayList<>();
        points.add(List.of());
        for (List<JsonNode> values : grid) {
            List<List<JsonNode>> next = new ArrayList<>();
            for (List<JsonNode> p : points) {
                for (JsonNode v : values) {
                    List<JsonNode> q = new ArrayList<>(p);
                    q.add(v);
                    next.add(q);
                }
            }
            points = next;
        }
        List<List<JsonNode>> out = new ArrayList<>();
        for (List<JsonNode> p : points) {
            for (List<JsonNode> d : draws) {
                List<JsonNode> q = new ArrayList<>(p);
                q.addAll(d);
                out.add(List.copyOf(q));
            }
        }
        return out;
    }

    /** A seeded subset of {@code keep} configurations, in plan order (a grid larger than the budget becomes a random search over it). */
    private static List<List<JsonNode>> subset(List<List<JsonNode>> points, int keep, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(seed));
        List<Integer> kept = new ArrayList<>(order.subList(0, keep));
        Collections.sort(kept);
        List<List<JsonNode>> out = new ArrayList<>();
        for (int i : kept) {
            out.add(points.get(i));
        }
        return out;
    }

    /**
     * A value as {@code --set} text. JSON is YAML's flow syntax, except that YAML reads a float's exponent
     * only with a sign (1.0E7 would become a string), so the sign is written out.
     */
    static String yamlValue(JsonNode v) {
        if (v.isFloatingPointNumber()) {
            String s = Double.toString(v.asDouble());
            int e = s.indexOf('E');
            return e >= 0 && s.charAt(e + 1) != '-' ? s.substring(0, e + 1) + "+" + s.substring(e + 1) : s;
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(x -> items.add(yamlValue(x)));
            return "[" + String.join(", ", items) + "]";
        }
        if (v.isObject()) {
            List<String> items = new ArrayList<>();
            for (Map.Entry<String, JsonNode> f : v.properties()) {
                items.add(new com.fasterxml.jackson.databind.node.TextNode(f.getKey()) + ": " + yamlValue(f.getValue()));
            }
            return "{" + String.join(", ", items) + "}";
        }
        return v.toString(); // strings in JSON quotes, numbers, booleans, null
    }

    /** A value as shown in labels, tables and CSV cells (strings without quotes). */
    static String display(JsonNode v) {
        return v.isTextual() ? v.asText() : v.isFloatingPointNumber() ? shortNumber(v.asDouble()) : v.toString();
    }

    static String shortNumber(double x) {
        return new BigDecimal(x).round(new MathContext(6)).stripTrailingZeros().toString();
    }

    /** The merged config as YAML (insertion order, so the same config always gives the same text). */
    static String yaml(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("config tree not writable as YAML", e);
        }
    }

    /** Content-derived run id: the first 12 hex digits of the config's SHA-256. */
    static String id(String yaml) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    /** The runs' model kinds (deep-dmd, sp-node). */
    Set<String> kinds() {
        Set<String> kinds = new LinkedHashSet<>();
        for (Run r : runs) {
            try {
                kinds.add(YAML.readTree(r.configYaml()).path("model").path("kind").asText());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("run config not readable", e);
            }
        }
        return kinds;
    }

    /** How many configurations (runs without counting seeds). */
    int configurations() {
        Set<List<JsonNode>> points = new LinkedHashSet<>();
        runs.forEach(r -> points.add(r.values()));
        return points.size();
    }

    static ObjectNode parseYaml(String yaml) {
        try {
            return (ObjectNode) YAML.readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("run config not readable", e);
        }
    }
}
