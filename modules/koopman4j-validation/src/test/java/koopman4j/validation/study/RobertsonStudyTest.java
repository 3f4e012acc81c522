package koopman4j.validation.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.layers.spnode.StructurePreservingNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Robertson study (seed 001 §5.2, Fig. 5) end to end: a tiny run in every build whose numbers are checked against
 * ErrorMetrics on the saved models and split; the full study under {@code -Preproduce}, which must meet the targets
 * of the experiment.
 */
class RobertsonStudyTest {

    private static final Path CONFIG = Path.of("../../examples/configs/robertson-etd1.yaml");
    private static final List<String> TINY = List.of("data.trajectories=12", "data.logTimes.count=8", "training.steps=4",
            "training.evalEvery=2", "training.batchSize=8", "model.nonlinear.width=8", "model.autoencoder.width=8", "model.autoencoder.depth=1");

    @TempDir
    Path out;

    @Test
    void smokeStudyWritesResultsReportFiguresAndErrorsThatMatchErrorMetrics() throws IOException {
        RobertsonStudy.Summary summary = RobertsonStudy.run(CONFIG, TINY, RobertsonStudy.ALL, out);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("experiment,row,method,train_one_step_pct,test_one_step_pct,rollout_horizon,test_rollout_pct,seconds", csv.get(0));
        assertEquals(List.of("robertson,robertson,spnode-etd1-ae", "robertson,robertson,spnode-etd1", "robertson,robertson,spnode-imex-ae"),
                csv.stream().skip(1).map(l -> String.join(",", List.of(l.split(",")).subList(0, 3))).toList());
        for (String file : List.of("report.md", "components.csv", "errors-by-time.csv", "steps.csv", "robertson-fig5.png",
                "robertson-relative-error.png", "robertson-steps.png", "etd1-ae/model/model.json", "etd1/metrics.json", "imex-ae/train.log",
                "data/test.csv")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        BufferedImage fig5 = ImageIO.read(out.resolve("robertson-fig5.png").toFile());
        assertEquals(3 * 440, fig5.getWidth(), "a column per component");
        assertEquals(3 * 320, fig5.getHeight(), "a row per model");

        TrajectorySet train = TrajectoryFiles.read(out.resolve("data/train.csv"));
        TrajectorySet test = TrajectoryFiles.read(out.resolve("data/test.csv"));
        assertEquals(8, test.get(0).length());
        assertTrue(test.get(0).states()[0][1] < 1e-4, "the split is saved in original units: y2 = " + test.get(0).states()[0][1]);
        List<String> components = Files.readAllLines(out.resolve("components.csv"));
        for (RobertsonStudy.Variant v : RobertsonStudy.ALL) {
            StructurePreservingNode model = StructurePreservingNode.load(out.resolve(v.id() + "/model"));
            assertArrayEquals(new double[] {1, 1e4, 1}, model.scale());
            assertEquals(v.autoencoder(), model.options().autoencoder() != null, v.id());
            assertEquals(v.integrator(), model.options().integrator().configName(), v.id());
            ErrorMetrics.TrajectoryReport r = ErrorMetrics.alongTrajectories(model, test);
            RobertsonStudy.Outcome o = summary.outcome(v);
            assertArrayEquals(r.componentErrorPct(), o.testComponentPct(), 1e-9);
            assertArrayEquals(r.maxPointwisePct(), o.testMaxPointwisePct(), 1e-9);
            String[] row = csv.stream().filter(l -> l.contains("spnode-" + v.id() + ",")).findFirst().orElseThrow().split(",");
            assertEquals(ErrorMetrics.oneStepAlongPct(model, train), Double.parseDouble(row[3]), 1e-9);
            assertEquals(ErrorMetrics.oneStepAlongPct(model, test), Double.parseDouble(row[4]), 1e-9);
            assertEquals(7, Integer.parseInt(row[5]));
            assertEquals(r.errorPct(), Double.parseDouble(row[6]), 1e-9);
            String y2 = components.stream().filter(l -> l.startsWith("spnode-" + v.id() + ",test,y2,")).findFirst().orElseThrow();
            assertEquals(r.componentErrorPct()[1], Double.parseDouble(y2.split(",")[3]), 1e-9);
            JsonNode metrics = new ObjectMapper().readTree(out.resolve(v.id() + "/metrics.json").toFile());
            assertEquals(r.componentErrorPct()[2], metrics.path("test").path("component_error_pct").path("y3").asDouble(), 1e-9);
            assertTrue(metrics.path("stability").path("distance_to_line_re_mu").path("lower").asDouble() >= 0, metrics.toString());
            // every step size from 3e-6 to 1.7e6 gives finite forecasts, even after 4 training steps
            assertEquals(RobertsonStudy.SWEEP_SIZES, o.sweep().size());
            assertTrue(o.sweep().stream().allMatch(RobertsonStudy.SweepPoint::finite), v.id() + ": " + o.sweep());
            assertEquals(test.get(0).times()[1] - test.get(0).times()[0], o.sweep().get(0).step(), 1e-15);
            assertEquals(4e6 - test.get(0).times()[6], o.sweep().get(RobertsonStudy.SWEEP_SIZES - 1).step(), 1e-6);
        }
        assertEquals(1 + 3 * 3 * 3, components.size());
        assertEquals(1 + 3 * RobertsonStudy.SWEEP_SIZES, Files.readAllLines(out.resolve("steps.csv")).size());
        String report = Files.readAllLines(out.resolve("report.md")).toString();
        assertTrue(report.contains("every component within 5% at every time on every test trajectory"), report);
        assertTrue(report.contains("![Fig. 5](robertson-fig5.png)"), report);
    }

    @Test
    void truthIsThePublishedUnperturbedSolutionSampledAndEightTimesFiner() {
        RobertsonStudy.Truth truth = RobertsonStudy.truth(new double[] {4e-6, 40, 4e6}, List.of("y1", "y2", "y3"));
        double[] at40 = {0.7158270687, 9.185534764e-6, 0.2841637457}; // Hairer & Wanner's reference values
        for (int i = 0; i < 3; i++) {
            assertEquals(at40[i], truth.sampled()[1][i], 1e-7 * at40[i], "y" + (i + 1) + " at t = 40");
        }
        assertEquals(2 * 8 + 1, truth.fineTimes().length);
        assertEquals(4e6, truth.fineTimes()[truth.fineTimes().length - 1]);
        assertEquals(truth.sampled()[0][1], truth.fine()[0][1], 1e-12 * truth.sampled()[0][1]);
    }

    @Test
    void planRejectsConfigsTheStudyCannotRun() {
        assertEquals("--runs: give at least one of etd1-ae, etd1, imex-ae",
                assertThrows(InvalidDataException.class, () -> RobertsonStudy.plan(CONFIG, List.of(), List.of())).getMessage());
        assertEquals(CONFIG + ": data.observe must be empty; the study scores y1, y2 and y3",
                assertThrows(InvalidDataException.class, () -> RobertsonStudy.plan(CONFIG, List.of("data.observe=[1, 3]"), RobertsonStudy.ALL))
                        .getMessage());
        Path deep = Path.of("../../examples/configs/glycolysis-ddmd.yaml");
        assertEquals(deep + ": the robertson study needs model.kind sp-node, got 'deep-dmd'",
                assertThrows(InvalidDataException.class, () -> RobertsonStudy.plan(deep, List.of("data.system=robertson"), RobertsonStudy.ALL))
                        .getMessage());
        RobertsonStudy.Plan plan = RobertsonStudy.plan(CONFIG, List.of(), List.of(RobertsonStudy.Variant.ETD1, RobertsonStudy.Variant.IMEX_AE));
        assertEquals(0, plan.runs().get(0).config().model().autoencoder().latent());
        assertEquals("imex", plan.runs().get(1).config().model().integrator());
        assertEquals(3, plan.runs().get(1).config().model().autoencoder().latent());
    }

    /** The full study, run once for the reproduce tests below (about 25 minutes on 2 cores). */
    private static RobertsonStudy.Summary full;

    private static synchronized RobertsonStudy.Summary full() throws IOException {
        if (full == null) {
            full = RobertsonStudy.run(CONFIG, List.of(), RobertsonStudy.ALL, Files.createTempDirectory("robertson-study"));
        }
        return full;
    }

    /**
     * The full experiment (-Preproduce): with the autoencoder every component within 5% relative L2 on the test
     * trajectories, better than without it; every model stable (A_L Hurwitz) and bounded for every step size.
     */
    @Test
    @Tag("reproduce")
    void fullStudyIsAccurateWithTheAutoencoderAndStableForEveryStepSize() throws IOException {
        RobertsonStudy.Summary summary = full();
        for (RobertsonStudy.Outcome o : summary.outcomes()) {
            assertTrue(o.sweepBounded(), o.variant().id() + ": a step size blew up: " + o.sweep());
            assertTrue(o.stability().path("spectral_abscissa").asDouble() <= 0 && !o.stability().path("unstable").asBoolean(true),
                    o.variant().id() + ": A_L not Hurwitz: " + o.stability());
        }
        RobertsonStudy.Outcome etd = summary.outcome(RobertsonStudy.Variant.ETD1_AE);
        RobertsonStudy.Outcome plain = summary.outcome(RobertsonStudy.Variant.ETD1);
        for (int i = 0; i < 3; i++) {
            assertTrue(etd.testComponentPct()[i] <= RobertsonStudy.TARGET_PCT, "y" + (i + 1) + ": relative L2 " + etd.testComponentPct()[i] + "%");
            assertTrue(etd.testComponentPct()[i] < plain.testComponentPct()[i], "y" + (i + 1) + ": the autoencoder helps");
        }
    }

    /**
     * The strictest reading (-Preproduce): every component within 5% of itself at every one of the 50 times. Not
     * met (README, Robertson: where y3 ≈ 10⁻¹² or y2 ≈ 10⁻⁹ an O(1) network would need absolute errors of 10⁻¹⁴); kept as the
     * measure of that gap.
     */
    @Test
    @Tag("reproduce")
    void fullStudyPredictsEveryComponentWithinFivePercentAtEveryTime() throws IOException {
        RobertsonStudy.Outcome etd = full().outcome(RobertsonStudy.Variant.ETD1_AE);
        for (int i = 0; i < 3; i++) {
            assertTrue(etd.testMaxPointwisePct()[i] <= RobertsonStudy.TARGET_PCT, "y" + (i + 1) + ": largest pointwise relative error "
                    + etd.testMaxPointwisePct()[i] + "% (relative L2 " + etd.testComponentPct()[i] + "%)");
        }
    }
}
