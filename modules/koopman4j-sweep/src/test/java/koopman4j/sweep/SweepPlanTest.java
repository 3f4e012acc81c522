package koopman4j.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import koopman4j.core.data.InvalidDataException;
import koopman4j.trainer.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep file becomes its runs, each checked as train would check it, before anything runs. */
class SweepPlanTest {

    @TempDir
    Path dir;

    private SweepPlan plan(String body) throws IOException {
        return SweepPlan.load(SweepFiles.write(dir, body));
    }

    /** Bad input: exactly one line, naming the sweep file and what is wrong. */
    private void assertRefused(String body, String... fragments) throws IOException {
        Path file = SweepFiles.write(dir, body);
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> SweepPlan.load(file));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
    }

    @Test
    void expandsGridTimesSeedsFirstFieldSlowest() throws IOException {
        SweepPlan p = plan("grid:\n  model.dictionary.width: [4, 8]\n  model.dictionary.depth: [1, 2]\nseeds: [1, 2]\n");
        assertEquals(List.of("model.dictionary.width", "model.dictionary.depth"), p.fields());
        assertEquals(8, p.runs().size());
        assertEquals(4, p.configurations());
        assertEquals("model.dictionary.width=4, model.dictionary.depth=1, training.seed=1", p.runs().get(0).label());
        assertEquals("model.dictionary.width=4, model.dictionary.depth=1, training.seed=2", p.runs().get(1).label());
        assertEquals("model.dictionary.width=8, model.dictionary.depth=2, training.seed=2", p.runs().get(7).label());
        Set<String> ids = new HashSet<>();
        p.runs().forEach(r -> ids.add(r.id()));
        assertEquals(8, ids.size(), "one id per config");
        SweepPlan again = plan("grid:\n  model.dictionary.width: [4, 8]\n  model.dictionary.depth: [1, 2]\nseeds: [1, 2]\n");
        assertEquals(p.runs().get(5).id(), again.runs().get(5).id(), "the same config gets the same id in a new sweep");
        assertEquals(new RankMetric(RankMetric.ROLLOUT, 100), p.rank(), "Deep DMD's default: validation rollout@100");
    }

    @Test
    void runConfigIsTheBaseWithSetAndSweptValuesAsTrainSetsThem() throws IOException {
        SweepPlan p = plan("set: [\"training.steps=7\"]\ngrid:\n  training.rollout.horizons: [[1, 3], [1, 5]]\n"
                + "  training.learningRate: [2.0e-3]\nseeds: [9, 10]\n");
        SweepPlan.Run run = p.runs().get(1);
        JsonNode expected = ConfigLoader.tree(dir.resolve("tiny.yaml"), List.of("training.steps=7", "training.rollout.horizons=[1,3]",
                "training.learningRate=2.0e-3", "training.seed=10"));
        assertEquals(expected, SweepPlan.parseYaml(run.configYaml()));
        JsonNode reloaded = ConfigLoader.tree(writeConfig(run), List.of());
        assertEquals(expected, reloaded, "config.yaml read back by train is the same tree");
    }

    private Path writeConfig(SweepPlan.Run run) throws IOException {
        Path c = dir.resolve("run.yaml");
        java.nio.file.Files.writeString(c, run.configYaml());
        return c;
    }

    @Test
    void randomDrawsAreSeededRoundedAndInRange() throws IOException {
        String body = "random:\n  samples: 6\n  fields:\n    training.learningRate: { logUniform: [1.0e-4, 1.0e-2] }\n"
                + "    model.dictionary.width: { int: [4, 16] }\n    model.dictionary.activation: { choice: [elu, tanh] }\n"
                + "    model.loss.rolloutWeight: { uniform: [0.0, 1.0] }\n";
        SweepPlan p = plan(body);
        assertEquals(6, p.runs().size());
        assertEquals(Set.of("training.learningRate"), p.logarithmic());
        for (SweepPlan.Run r : p.runs()) {
            double lr = r.values().get(0).asDouble();
            assertTrue(lr >= 1e-4 && lr <= 1e-2, "lr " + lr);
            assertTrue(new BigDecimal(Double.toString(lr)).stripTrailingZeros().precision() <= 4, "4 significant digits: " + lr);
            long w = r.values().get(1).asLong();
            assertTrue(w >= 4 && w <= 16, "width " + w);
            assertTrue(Set.of("elu", "tanh").contains(r.values().get(2).asText()));
            double rw = r.values().get(3).asDouble();
            assertTrue(rw >= 0 && rw <= 1, "rolloutWeight " + rw);
        }
        assertEquals(p.runs(), plan(body).runs(), "seeded: the same draws again");
        assertNotEquals(p.runs().get(0).values(), plan(body + "searchSeed: 2\n").runs().get(0).values());
    }

    @Test
    void budgetKeepsASeededSubsetOfWholeConfigurations() throws IOException {
        SweepPlan p = plan("grid:\n  model.dictionary.width: [4, 8, 12]\n  model.dictionary.depth: [1, 2]\nseeds: [1, 2]\n"
                + "budget: { runs: 5 }\n");
        assertEquals(4, p.runs().size(), "5 runs of 2 seeds: 2 whole configurations");
        assertEquals(2, p.configurations());
        assertEquals(4, p.dropped());
    }

    @Test
    void rankCanBeAnyValidationMetricTheModelKindReports() throws IOException {
        assertEquals(new RankMetric(RankMetric.ONE_STEP, 0), plan("seeds: [1, 2]\nrank: one_step_error_pct\n").rank());
        assertEquals(new RankMetric(RankMetric.REENCODED, 10), plan("seeds: [1, 2]\nrank: reencoded_rollout_error_pct.10\n").rank());
    }

    @Test
    void rejectsSweptFieldMissingFromTheConfig() throws IOException {
        assertRefused("grid:\n  model.dictionary.widht: [4, 8]\n", "grid.model.dictionary.widht: no such field in the training config",
                "model.dictionary: depth, width");
        assertRefused("random:\n  samples: 2\n  fields:\n    training.lr: { uniform: [0.1, 0.2] }\n",
                "random.fields.training.lr: no such field");
    }

    @Test
    void rejectsSweptSection() throws IOException {
        assertRefused("grid:\n  model.dictionary: [4]\n", "grid.model.dictionary: is a section");
    }

    @Test
    void rejectsEmptyGrid() throws IOException {
        assertRefused("grid: {}\n", "grid is empty");
        assertRefused("grid:\n  model.dictionary.width: []\n", "grid.model.dictionary.width: empty list of values");
    }

    @Test
    void rejectsBudgetOfZero() throws IOException {
        assertRefused("seeds: [1, 2]\nbudget: { runs: 0 }\n", "budget.runs must be at least 1, got 0");
        assertRefused("seeds: [1, 2]\nbudget: { minutes: 0 }\n", "budget.minutes must be a finite number > 0, got 0.0");
        assertRefused("seeds: [1, 2, 3]\nbudget: { runs: 2 }\n", "budget.runs 2 is less than one configuration's 3 seeds");
    }

    @Test
    void rejectsRunWhoseConfigTrainWouldRefuse() throws IOException {
        assertRefused("grid:\n  training.steps: [10, 0]\n", "run training.steps=0, training.seed=42: training.steps must be at least 1, got 0");
        assertRefused("grid:\n  model.dictionary.width: [abc]\n", "run model.dictionary.width=abc", "model.dictionary.width");
    }

    @Test
    void rejectsOtherFaultsOfTheSweepFile() throws IOException {
        assertRefused("grids:\n  model.dictionary.width: [4]\n", "unknown key 'grids'");
        assertRefused("retries: -1\nseeds: [1, 2]\n", "retries must be between 0 and 10, got -1");
        assertRefused("threadsPerTask: 0\nseeds: [1, 2]\n", "threadsPerTask must be at least 1, got 0");
        assertRefused("seeds: [1]\n", "nothing to sweep");
        assertRefused("seeds: [1, 1]\n", "seeds: [1, 1] repeats a seed");
        assertRefused("grid:\n  training.seed: [1, 2]\nseeds: [3, 4]\n", "training.seed is swept by seeds");
        assertRefused("seeds: [1, 2]\nrank: rollout_error_pct.50\n", "rank: deep-dmd runs do not report rollout_error_pct.50");
        assertRefused("seeds: [1, 2]\nrank: test_error\n", "rank: 'test_error' is not a validation metric");
        assertRefused("seeds: [1, 2]\nrank: time_integrated_loss\n", "deep-dmd runs do not report time_integrated_loss");
        assertRefused("random:\n  samples: 0\n  fields:\n    training.learningRate: { uniform: [0.1, 0.2] }\n",
                "random.samples must be at least 1, got 0");
        assertRefused("random:\n  samples: 2\n  fields:\n    training.learningRate: { uniform: [0.1, 0.2], logUniform: [0.1, 0.2] }\n",
                "random.fields.training.learningRate: give exactly one of uniform, logUniform, int, choice (got uniform, logUniform)");
        assertRefused("random:\n  samples: 2\n  fields:\n    training.learningRate: { logUniform: [0.0, 0.2] }\n",
                "random.fields.training.learningRate.logUniform: the low end must be > 0");
        assertRefused("random:\n  samples: 2\n  fields:\n    training.learningRate: { uniform: [0.3, 0.2] }\n",
                "random.fields.training.learningRate.uniform: expected [low, high] with low ≤ high");
    }

    @Test
    void rejectsMissingBase() throws IOException {
        Path file = dir.resolve("no-base.yaml");
        java.nio.file.Files.writeString(file, "seeds: [1, 2]\n");
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> SweepPlan.load(file));
        assertTrue(e.getMessage().contains("base: missing"), e.getMessage());
        java.nio.file.Files.writeString(file, "base: nothere.yaml\nseeds: [1, 2]\n");
        e = assertThrows(InvalidDataException.class, () -> SweepPlan.load(file));
        assertTrue(e.getMessage().contains("base nothere.yaml:") && e.getMessage().contains("no such config file"), e.getMessage());
    }
}
