package koopman4j.validation.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.layers.spnode.StructurePreservingNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kuramoto–Sivashinsky study (seed 001 §5.3, arXiv:2503.01775) end to end: a tiny run with the shipped configs in
 * every build, its agreement times recomputed from the saved models and test split; bad input refused before anything
 * runs; the full study under {@code -Preproduce}.
 */
class KuramotoSivashinskyStudyTest {

    private static final Path CONFIGS = Path.of("../../examples/configs");
    private static final List<Path> SHIPPED = List.of(CONFIGS.resolve("ks-ae20.yaml"), CONFIGS.resolve("ks-ae7.yaml"),
            CONFIGS.resolve("ks-full.yaml"));
    private static final List<String> TINY = List.of("data.steps=150", "training.steps=4", "training.evalEvery=2", "training.batchSize=32",
            "model.nonlinear.width=16", "model.autoencoder.width=16");
    private static final KuramotoSivashinskyStudy.Options OPTIONS = new KuramotoSivashinskyStudy.Options(0.2, 30, 12, 100, 30, 2);

    @TempDir
    Path out;

    @Test
    void smokeStudyWritesResultsReportFiguresAndAgreementTimesThatRecompute() throws IOException {
        KuramotoSivashinskyStudy.Summary summary = KuramotoSivashinskyStudy.run(SHIPPED, TINY, OPTIONS, out);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(KuramotoSivashinskyReport.HEADER, csv.get(0));
        assertEquals(List.of("ks-ae20,20", "ks-ae7,7", "ks-full,64"),
                csv.stream().skip(1).map(l -> String.join(",", Arrays.asList(l.split(",")).subList(0, 2))).toList());
        for (String file : List.of("report.md", "ks-spacetime.png", "ks-joint-pdf.png", "ks-ae20/model/model.json", "ks-ae7/metrics.json",
                "ks-full/train.log", "data/train.npy", "data/test.npy")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        TrajectorySet test = TrajectoryFiles.read(out.resolve("data/test.npy"));
        assertEquals(1, test.size());
        assertEquals(151, test.get(0).length());
        double[][] truth = test.get(0).states();
        int[] starts = KuramotoSivashinskyStudy.starts(truth.length, 30, 12);
        assertEquals(12, starts.length);
        assertEquals(truth.length - 1 - 30, starts[11]);
        for (KuramotoSivashinskyStudy.Outcome o : summary.outcomes()) {
            // μ from the Fourier symbol (q = 2π·2/22) in the certificate, A_L left of it
            double q = 2 * Math.PI * 2 / 22;
            assertEquals(q * q - q * q * q * q, o.mu(), 1e-12, o.name());
            assertTrue(o.abscissa() <= o.mu() + 1e-9, o.name() + ": max Re λ(A_L) " + o.abscissa());
            assertTrue(o.bounded() && o.longSteps() == 150, o.name());
            assertTrue(o.hellinger() >= 0 && o.hellinger() <= 1, o.name() + " Hellinger " + o.hellinger());
            assertTrue(o.stepMs() > 0, o.name());
            // agreement times again from the saved model
            StructurePreservingNode model = StructurePreservingNode.load(o.dir().resolve("model")).withStep(1.0);
            double sum = 0;
            for (int s : starts) {
                double[][] forecast = model.rollout(new double[][] {truth[s]}, 30)[0];
                double t = ChaosStatistics.agreementTime(forecast, Arrays.copyOfRange(truth, s + 1, s + 31), 1.0, 0.2);
                sum += Double.isInfinite(t) ? 30 : t;
            }
            assertEquals(sum / starts.length, o.meanAgreement(), 1e-9, o.name());
            JsonNode metrics = new ObjectMapper().readTree(o.dir().resolve("metrics.json").toFile());
            assertEquals(o.mu(), metrics.path("stability").path("mu").asDouble(), 1e-15);
        }
        assertEquals(20, summary.outcome("ks-ae20").latent());
        assertTrue(summary.outcome("ks-full").fullState() && !summary.outcome("ks-ae7").fullState());
        assertEquals("1.000", csv.get(3).substring(csv.get(3).lastIndexOf(',') + 1), "the full-state model against itself: " + csv.get(3));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("ks-spacetime.png") && report.contains("ks-joint-pdf.png") && report.contains("| ks-ae7 | 7 |"), report);
    }

    private Path config(String name, String yaml) throws IOException {
        Path file = out.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    private static final String SP_NODE = """
            model: { kind: sp-node, linear: { muFrom: kuramoto-sivashinsky }, autoencoder: { latent: 7 } }
            data: { system: kuramoto-sivashinsky, trajectories: 3, steps: %d, dt: 1.0, testFraction: 0.34, validationFraction: 0.5,
                    window: { steps: 8 } }
            """;

    @Test
    void refusesConfigsWithDifferentDataAnotherKindOrSystemOrTheSameName() throws IOException {
        Path a = config("a.yaml", SP_NODE.formatted(100));
        Path b = config("b.yaml", SP_NODE.formatted(200));
        assertEquals(b + ": its data section differs from " + a + "'s; the study trains every model on the same data",
                assertThrows(InvalidDataException.class, () -> KuramotoSivashinskyStudy.plan(List.of(a, b), List.of())).getMessage());
        Path ddmd = config("d.yaml", "model: { kind: deep-dmd }\ndata: { system: kuramoto-sivashinsky }\n");
        assertEquals(ddmd + ": model.kind must be sp-node, got 'deep-dmd'",
                assertThrows(InvalidDataException.class, () -> KuramotoSivashinskyStudy.plan(List.of(ddmd), List.of())).getMessage());
        Path glyco = config("g.yaml", SP_NODE.formatted(100).replace("system: kuramoto-sivashinsky", "system: glycolysis"));
        assertEquals(glyco + ": data.system is 'glycolysis', expected kuramoto-sivashinsky",
                assertThrows(InvalidDataException.class, () -> KuramotoSivashinskyStudy.plan(List.of(glyco), List.of())).getMessage());
        Files.createDirectories(out.resolve("other"));
        Path twin = out.resolve("other/a.yaml");
        Files.writeString(twin, SP_NODE.formatted(100));
        assertEquals(twin + ": a second config named a; the run directories would collide",
                assertThrows(InvalidDataException.class, () -> KuramotoSivashinskyStudy.plan(List.of(a, twin), List.of())).getMessage());
        assertEquals("kuramoto-sivashinsky study: give at least one config",
                assertThrows(InvalidDataException.class, () -> KuramotoSivashinskyStudy.plan(List.of(), List.of())).getMessage());
    }

    @Test
    void refusesAWindowLongerThanTheTrajectoriesBeforeTraining() throws IOException {
        Path shortData = config("short.yaml", SP_NODE.formatted(5));
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> KuramotoSivashinskyStudy.run(List.of(shortData), List.of(), OPTIONS, out.resolve("run")));
        assertEquals("data.window.steps: a window of 8 steps needs 9 samples; training trajectory 1 has 6", e.getMessage());
    }

    @Test
    void refusesANonPositiveThreshold() {
        assertEquals("--threshold must be a finite number > 0, got 0.0", assertThrows(InvalidDataException.class,
                () -> new KuramotoSivashinskyStudy.Options(0, 10, 10, 10, 10, 1)).getMessage());
    }

    /**
     * The README's run: the shipped configs at the scale the shared 2-core machine allowed (3000 samples per trajectory,
     * batch 500, 300 steps with the paper's 0.99 decay per step; about 20 min there): the paper's claims this scale can test.
     */
    static final List<String> README_RUN = List.of("data.steps=3000", "training.batchSize=500", "training.steps=300",
            "training.finalLearningRate=4.9e-5");

    @Test
    @Tag("reproduce")
    void readmeStudyKeepsEveryModelBoundedAndHurwitzOverItsLongRollout() throws IOException {
        KuramotoSivashinskyStudy.Summary summary = KuramotoSivashinskyStudy.run(SHIPPED, README_RUN, KuramotoSivashinskyStudy.Options.DEFAULT,
                out);
        for (KuramotoSivashinskyStudy.Outcome o : summary.outcomes()) {
            // the truth stays below |u| = 3.3 on this attractor; A_L Hurwitz after the shift and the Lipschitz bound keep rollouts bounded
            assertTrue(o.bounded() && o.maxAbsLong() < 10, o.name() + ": long rollout max |u| " + o.maxAbsLong());
            assertEquals(2999, o.longSteps() - 1, o.name());
            assertTrue(o.abscissa() <= o.mu() + 1e-9, o.name());
            assertTrue(o.stepMs() > 0 && o.meanAgreement() >= 1, o.name());
        }
        // the paper's 12× / 24× training speed-up of the latent models is not asserted: README measures ≈ 1× and 1.7× with this
        // fused step, whose cost the 200-wide hidden layers of g dominate whatever the ODE's dimension
    }
}
