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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
 * The transient-growth study (seed 001 §5.1) end to end: a tiny run in every build whose numbers are checked
 * against a direct ErrorMetrics computation on the saved models and split; the full study under
 * {@code -Preproduce}, which must show ETD1 below IMEX for both ε (Figs. 3–4).
 */
class TransientGrowthStudyTest {

    private static final Path CONFIGS = Path.of("../../examples/configs");
    private static final Path LINEAR = CONFIGS.resolve("transient-growth-linear-etd1.yaml");
    private static final Path NONLINEAR = CONFIGS.resolve("transient-growth-etd1.yaml");
    private static final List<String> TINY = List.of("data.trajectories=30", "training.steps=10", "training.evalEvery=5",
            "training.checkpointEvery=10", "model.nonlinear.width=16");

    @TempDir
    Path out;

    @Test
    void smokeStudyWritesResultsReportFiguresAndErrorsThatMatchErrorMetrics() throws IOException {
        TransientGrowthStudy.Summary summary = TransientGrowthStudy.run(LINEAR, NONLINEAR, TINY, out);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("experiment,row,method,train_one_step_pct,test_one_step_pct,rollout_horizon,test_rollout_pct,seconds", csv.get(0));
        assertEquals(List.of("transient-growth-eps0,ε=0,spnode-etd1", "transient-growth-eps0,ε=0,spnode-imex",
                "transient-growth-eps1,ε=1,spnode-etd1", "transient-growth-eps1,ε=1,spnode-imex"),
                csv.stream().skip(1).map(l -> String.join(",", List.of(l.split(",")).subList(0, 3))).toList());
        Map<String, String[]> byKey = csv.stream().skip(1).map(l -> l.split(","))
                .collect(Collectors.toMap(f -> f[0] + "/" + f[2], f -> f));
        for (String[] f : byKey.values()) {
            assertEquals(8, f.length);
            for (int i : new int[] {3, 4, 6, 7}) {
                double v = Double.parseDouble(f[i]);
                assertTrue(Double.isFinite(v) && v >= 0, String.join(",", f));
            }
            assertEquals(10, Integer.parseInt(f[5]), "the whole [0, 2] at Δt = 0.2: " + String.join(",", f));
        }
        for (String file : List.of("report.md", "transient-growth-eps0.png", "transient-growth-eps1.png", "transient-growth-norms.png",
                "transient-growth-norms.svg", "eps0-etd1/model/model.json",
                "eps0-imex/metrics.json", "eps1-etd1/train.log", "eps1-imex/model/model.json", "eps1-data/test.npy")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        BufferedImage png = ImageIO.read(out.resolve("transient-growth-eps1.png").toFile());
        assertEquals(2 * 560, png.getWidth(), "ETD1 and IMEX side by side");

        // the same numbers straight from ErrorMetrics on the saved ETD1 model and split, deployed with Δt = 0.2
        for (String eps : List.of("eps0", "eps1")) {
            TrajectorySet train = TrajectoryFiles.read(out.resolve(eps + "-data/train.npy"));
            TrajectorySet test = TrajectoryFiles.read(out.resolve(eps + "-data/test.npy"));
            assertEquals(0.2, test.uniformStep(), 1e-12);
            StructurePreservingNode etd = StructurePreservingNode.load(out.resolve(eps + "-etd1/model")).withStep(0.2);
            String[] row = byKey.get("transient-growth-" + eps + "/spnode-etd1");
            assertEquals(ErrorMetrics.oneStepErrorPct(etd, train), Double.parseDouble(row[3]), 1e-9);
            assertEquals(ErrorMetrics.oneStepErrorPct(etd, test), Double.parseDouble(row[4]), 1e-9);
            assertEquals(ErrorMetrics.rolloutErrorPct(etd, test, 10), Double.parseDouble(row[6]), 1e-9);
            // and the trainer's own metrics.json saw the same split and model
            JsonNode metrics = new ObjectMapper().readTree(out.resolve(eps + "-etd1/metrics.json").toFile());
            assertEquals(metrics.path("test").path("rollout_error_pct").path("10").asDouble(), Double.parseDouble(row[6]), 1e-9);
            assertEquals(metrics.path("seconds").asDouble(), Double.parseDouble(row[7]), 1e-9);
            String integrator = new ObjectMapper().readTree(out.resolve(eps + "-imex/model/model.json").toFile())
                    .path("options").path("integrator").asText();
            assertEquals("IMEX", integrator.toUpperCase(java.util.Locale.ROOT), "the IMEX run used IMEX");
        }

        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| ε | g | integrator | test one-step | test rollout | test eq. 20 loss |"), report);
        assertTrue(report.contains("ETD < IMEX (test rollout) "), report);
        assertTrue(report.contains("A_bump = [[-2.000, 10.00], [0.000, -2.000]]"), report);
        assertTrue(report.contains("![ε=0](transient-growth-eps0.png)"), report);
        TransientGrowthStudy.Outcome etd0 = summary.outcome(0, "etd1");
        assertArrayEquals(StructurePreservingNode.load(out.resolve("eps0-etd1/model")).linearOperator()[0], etd0.linearOperator()[0]);
        assertTrue(etd0.stability().path("spectral_abscissa").asDouble() <= 0, "A_L Hurwitz (μ = 0)");
    }

    @Test
    void verdictNamesEachEpsilonAndWhetherEtdBeatsImex() {
        List<TransientGrowthStudy.Outcome> outcomes = List.of(outcome(0, "etd1", 13.9), outcome(0, "imex", 68.3),
                outcome(1, "etd1", 20), outcome(1, "imex", 5));
        assertEquals("**ETD < IMEX (test rollout) does not hold for 1 of 2 ε**: ε = 0: ETD1 13.9% < IMEX 68.3%; "
                + "ε = 1: ETD1 20.0% ≥ IMEX 5.000%.", StudyReport.verdict(outcomes));
        assertEquals("**ETD < IMEX (test rollout) holds for every ε**: ε = 0: ETD1 13.9% < IMEX 68.3%.",
                StudyReport.verdict(outcomes.subList(0, 2)));
    }

    @Test
    void figureShowsTheTestTrajectoryWithTheLargestTransientGrowth() {
        double[] t = {0, 1, 2};
        TrajectorySet set = new TrajectorySet(List.of("x1", "x2"), List.of(
                new koopman4j.core.data.Trajectory(t, new double[][] {{1, 0}, {0.5, 0}, {0.1, 0}}), // decays: rise 0
                new koopman4j.core.data.Trajectory(t, new double[][] {{0, 2}, {3, 0}, {1, 1}}), // rise 1 (ratio 1.5)
                new koopman4j.core.data.Trajectory(t, new double[][] {{0, 0.1}, {0.3, 0}, {0, 0.1}}))); // rise 0.2 (ratio 3)
        assertEquals(1, TransientGrowthStudy.mostGrowing(set));
    }

    @Test
    void relativeDistanceIsFrobeniusRatio() {
        // ‖[[1, 2], [0, 0]]‖_F / ‖A_bump‖_F = √5 / √108
        double[][] a = {{-1, 12}, {0, -2}};
        assertEquals(Math.sqrt(5.0 / 108.0), StudyReport.relativeDistance(a, koopman4j.systems.TransientGrowth.A_BUMP), 1e-15);
    }

    private static TransientGrowthStudy.Outcome outcome(double eps, String integrator, double rollout) {
        return new TransientGrowthStudy.Outcome("transient-growth-eps" + (int) eps, "ε=" + (int) eps, eps, integrator, "bilinear",
                1, 1, 10, rollout, 0.1, 1, 1, new double[][] {{-2, 10}, {0, -2}}, new ObjectMapper().createObjectNode(), Path.of("x"));
    }

    @Test
    void planRejectsAnIntegratorOverride() {
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> TransientGrowthStudy.plan(LINEAR, true, List.of("model.integrator=rk4")));
        assertEquals("--set model.integrator=rk4: the study trains every integrator of [etd1, imex] itself; leave model.integrator out",
                e.getMessage());
        InvalidDataException spaced = assertThrows(InvalidDataException.class,
                () -> TransientGrowthStudy.plan(LINEAR, true, List.of(" model.integrator = imex")));
        assertTrue(spaced.getMessage().startsWith("--set model.integrator = imex: the study trains"), spaced.getMessage());
    }

    @Test
    void planRejectsTheWrongSystemForEachRole() {
        InvalidDataException swapped = assertThrows(InvalidDataException.class, () -> TransientGrowthStudy.plan(NONLINEAR, true, List.of()));
        assertEquals(NONLINEAR + ": linear config (ε = 0): data.system is 'transient-growth', expected transient-growth-linear",
                swapped.getMessage());
        InvalidDataException other = assertThrows(InvalidDataException.class,
                () -> TransientGrowthStudy.plan(NONLINEAR, false, List.of("data.system=glycolysis")));
        assertEquals(NONLINEAR + ": nonlinear config (ε = 1): data.system is 'glycolysis', expected transient-growth", other.getMessage());
    }

    @Test
    void planRejectsFileDataPartialObservationAndDeepDmd() throws IOException {
        Path file = out.resolve("tg.yaml");
        Files.writeString(file, Files.readString(LINEAR).replace("system: transient-growth-linear", "path: data.csv"));
        InvalidDataException path = assertThrows(InvalidDataException.class, () -> TransientGrowthStudy.plan(file, true, List.of()));
        assertEquals(file + ": linear config (ε = 0): the study simulates its data; give data.system transient-growth-linear instead of "
                + "data.path", path.getMessage());
        InvalidDataException observe = assertThrows(InvalidDataException.class,
                () -> TransientGrowthStudy.plan(LINEAR, true, List.of("data.observe=[1]")));
        assertTrue(observe.getMessage().endsWith("data.observe must be empty; the study compares both states x1, x2"), observe.getMessage());
        Path ddmd = out.resolve("ddmd.yaml");
        Files.writeString(ddmd, "model: { kind: deep-dmd }\ndata: { system: transient-growth-linear, steps: 10, dt: 0.2 }\n");
        InvalidDataException kind = assertThrows(InvalidDataException.class, () -> TransientGrowthStudy.plan(ddmd, true, List.of()));
        assertEquals(ddmd + ": linear config (ε = 0) must have model.kind sp-node, got 'deep-dmd'", kind.getMessage());
    }

    @Test
    void planRejectsAnUnknownOverrideKeyBeforeTraining() {
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> TransientGrowthStudy.plan(LINEAR, true, List.of("training.stepz=3")));
        assertTrue(e.getMessage().startsWith("--set: unknown key 'training.stepz'"), e.getMessage());
    }

    /** The full study with the shipped configs (seed 001 Figs. 3–4): the exponential integrator wins for both ε. */
    @Test
    @Tag("reproduce")
    void fullStudyShowsEtdBelowImexForBothEpsilon() throws IOException {
        TransientGrowthStudy.Summary s = TransientGrowthStudy.run(LINEAR, NONLINEAR, List.of(), out);
        for (double eps : new double[] {0, 1}) {
            TransientGrowthStudy.Outcome etd = s.outcome(eps, "etd1");
            TransientGrowthStudy.Outcome imex = s.outcome(eps, "imex");
            assertTrue(etd.testRolloutPct() < imex.testRolloutPct(),
                    "ε = " + eps + ": ETD1 " + etd.testRolloutPct() + "% vs IMEX " + imex.testRolloutPct() + "%");
            assertTrue(etd.stability().path("spectral_abscissa").asDouble() <= 0, "A_L Hurwitz");
        }
    }
}
