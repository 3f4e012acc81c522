package koopman4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.Evaluation;
import koopman4j.core.model.KoopmanModel;
import koopman4j.core.stability.StabilityCertificate;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.systems.Simulator;
import koopman4j.systems.TransientGrowth;
import koopman4j.trainer.TrainingListener;
import koopman4j.trainer.TrainingProgress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SpNode}: fit on the transient-growth system in memory, forecast with any step, certify A_L, save and load. */
class SpNodeTest {

    @TempDir
    static Path dir;
    static TrajectorySet data;
    static SpNode.Options options;
    static StructurePreservingNode model;
    static final List<TrainingProgress> evaluations = new ArrayList<>();
    static final List<Integer> steps = new ArrayList<>();

    @BeforeAll
    static void fitSmallModel() {
        data = new Simulator(new TransientGrowth(1)).simulate(40, Simulator.uniformTimes(5, 0.2), 3);
        options = SpNode.Options.defaults().with("model.linear.mu=-0.5", "model.nonlinear.kind=bilinear", "model.nonlinear.rank=1",
                "training.learningRate=1.0e-2", "training.finalLearningRate=1.0e-2", "training.batchSize=32", "training.steps=30",
                "training.evalEvery=10", "training.seed=5");
        model = SpNode.fit(data, options, new TrainingListener() {
            @Override
            public void evaluated(TrainingProgress progress) {
                evaluations.add(progress);
            }

            @Override
            public void stepped(int step, int total, double loss) {
                steps.add(step);
                assertEquals(30, total);
            }
        });
    }

    @Test
    void fitsInMemoryWithAHurwitzOperatorLeftOfMu() {
        assertEquals(List.of(10, 20, 30), evaluations.stream().map(TrainingProgress::step).toList());
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 30).boxed().toList(), steps, "stepped after every step");
        assertEquals(List.of("x1", "x2"), model.stateNames());
        assertEquals(0.2, model.dt(), 1e-12);
        StabilityCertificate c = model.stability();
        assertEquals(StabilityCertificate.Region.HALF_PLANE, c.region());
        assertEquals(-0.5, c.mu());
        assertTrue(c.spectralBound() <= -0.5 + 1e-12, c.toString());
        assertFalse(c.unstable(), c.toString());
        assertTrue(c.toJson().has("distance_to_line_re_mu"));
    }

    @Test
    void forecastsWithItsOwnStepOrAnyOther() {
        double[] x0 = {1.5, -0.5};
        Trajectory own = model.predict(x0, 10);
        assertEquals(2.0, own.times()[10], 1e-12);
        Trajectory fine = model.predict(x0, 40, 0.05);
        assertEquals(2.0, fine.times()[40], 1e-12);
        // an exponential integrator with a finer step lands near the same state at t = 2
        assertEquals(own.states()[10][0], fine.states()[40][0], 0.1 * (1 + Math.abs(own.states()[10][0])));
        assertEquals("sp-node: the forecast step dt must be a finite number > 0, got -0.1",
                assertThrows(InvalidDataException.class, () -> model.predict(x0, 5, -0.1)).getMessage());
    }

    @Test
    void evaluatesAtTheDataStepAndReloadsBitIdentically() throws Exception {
        TrajectorySet fine = new Simulator(new TransientGrowth(1)).simulate(3, Simulator.uniformTimes(20, 0.1), 9);
        Evaluation e = model.evaluate(fine, 1, 20);
        assertTrue(Double.isFinite(e.rolloutErrorPct(20)), e.toString());
        assertTrue(e.reencodedRolloutErrorPct().isEmpty());
        model.save(dir.resolve("saved"));
        KoopmanModel loaded = Models.load(dir.resolve("saved"));
        assertInstanceOf(StructurePreservingNode.class, loaded);
        assertEquals(model.predict(new double[] {0.3, 1.2}, 25), loaded.predict(new double[] {0.3, 1.2}, 25));
        assertEquals(e, loaded.evaluate(fine, 1, 20));
        assertEquals(model.stability(), loaded.stability());
    }

    @Test
    void rejectsBadOptionsAndDataInOneLine() {
        TrajectorySet uneven = new TrajectorySet(List.of("x1", "x2"), List.of(
                new Trajectory(new double[] {0, 0.1, 0.3}, new double[][] {{1, 2}, {1, 2}, {1, 2}})));
        assertEquals("samples are not evenly spaced in time; evaluating an sp-node model needs one sample step",
                assertThrows(InvalidDataException.class, () -> model.evaluate(uneven, 1)).getMessage());
        assertEquals("options: model.integrator: unknown integrator 'euler'; expected etd1, imex or rk4",
                assertThrows(InvalidDataException.class, () -> options.with("model.integrator=euler")).getMessage());
        assertEquals("options: model.kind is 'deep-dmd'; SpNode trains sp-node models",
                assertThrows(InvalidDataException.class, () -> new SpNode.Options(DeepDmd.Options.defaults().toTree())).getMessage());
        assertEquals("data.trainSamples: sample 9 does not exist; the shortest training trajectory has 6 samples",
                assertThrows(InvalidDataException.class, () -> SpNode.fit(data, options.with("data.trainSamples=[0,9]"))).getMessage());
    }
}
