package koopman4j.trainer.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.Activation;
import koopman4j.layers.DeepDictionary;
import koopman4j.layers.DeepKoopmanGraph;
import koopman4j.layers.SameDiffQuiet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/** The fused step against its definition, the SameDiff graph of {@link DeepKoopmanGraph}, in float32. */
class DeepKoopmanStepTest {

    private static final int N = 3;

    private record Case(DeepDictionary.Options dict, DeepKoopmanGraph.LossWeights weights, DeepKoopmanGraph.Batch batch) { }

    private static Case smallCase(Activation activation, boolean residual, boolean rollout) {
        // widths 13 and 11 leave vector tails, so the SIMD and scalar loops both run
        DeepDictionary.Options dict = new DeepDictionary.Options(N, 3, 13, 11, activation, residual, 0);
        DeepKoopmanGraph.LossWeights w = rollout ? new DeepKoopmanGraph.LossWeights(1e-2, 1e-3, 0.5, 0.7, 0.3)
                : new DeepKoopmanGraph.LossWeights(1e-6, 0, 0, 0, 0);
        return new Case(dict, w, new DeepKoopmanGraph.Batch(rollout ? 7 : 37, rollout ? 6 : 1));
    }

    private static SameDiff reference(Case c, long seed) {
        Nd4j.getRandom().setSeed(seed);
        SameDiff sd = DeepKoopmanGraph.training(c.dict(), c.weights(), c.batch(), DataType.FLOAT);
        INDArray k = sd.getVariable(DeepKoopmanGraph.K).getArr();
        k.addi(Nd4j.randn(DataType.FLOAT, k.shape()).muli(0.05)); // K away from I: the rollout terms get real gradients
        return sd;
    }

    private static Map<String, INDArray> parameters(SameDiff sd) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                p.put(v.name(), v.getArr().dup());
            }
        }
        return p;
    }

    private static float[] batch(Case c, long seed) {
        Random rng = new Random(seed);
        float[] z = new float[(int) c.batch().rows() * N];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        return z;
    }

    private static DeepKoopmanStep fused(Case c, SameDiff sd, IUpdater updater) {
        DeepKoopmanStep step = new DeepKoopmanStep(c.dict(), c.weights(), c.batch(), updater, 1);
        step.setParameters(parameters(sd));
        return step;
    }

    private static double relativeError(INDArray actual, INDArray expected) {
        return actual.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void gradientsEqualSameDiffsForEveryActivationWithAndWithoutRollout(Activation activation) {
        for (boolean rollout : new boolean[] {false, true}) {
            Case c = smallCase(activation, activation == Activation.TANH || activation == Activation.CRELU, rollout);
            SameDiff sd = reference(c, 5);
            float[] z = batch(c, 9);
            INDArray zArr = Nd4j.create(z, new long[] {c.batch().rows(), N}, 'c');
            Map<String, INDArray> expected = SameDiffQuiet.call(() -> sd.calculateGradients(Map.of(DeepKoopmanGraph.Z, zArr),
                    parameters(sd).keySet()));
            DeepKoopmanStep step = fused(c, sd, new Adam(1e-3));
            double expectedLoss = sd.output(Map.of(DeepKoopmanGraph.Z, zArr), DeepKoopmanGraph.LOSS).get(DeepKoopmanGraph.LOSS).getDouble(0);
            assertEquals(expectedLoss, step.loss(z), 1e-5 * Math.abs(expectedLoss), activation + " rollout=" + rollout + ": loss");
            Map<String, INDArray> actual = step.gradients(z);
            assertEquals(expected.keySet(), actual.keySet());
            for (String name : expected.keySet()) {
                double err = relativeError(actual.get(name), expected.get(name).reshape(actual.get(name).shape()));
                assertTrue(err < 1e-5, activation + " rollout=" + rollout + ": ∂/∂" + name + " relative error " + err);
            }
        }
    }

    @Test
    void gradientsEqualSameDiffsOnABatchLargeEnoughForTheActivationPassesToSplitAcrossThreads() {
        DeepDictionary.Options dict = new DeepDictionary.Options(N, 2, 40, 8, Activation.ELU, true, 0);
        Case c = new Case(dict, new DeepKoopmanGraph.LossWeights(1e-6, 0, 0, 0, 0), new DeepKoopmanGraph.Batch(2048, 1));
        assertTrue(c.batch().rows() * dict.width() >= 1 << 16, "large enough for Kernels to use a second thread");
        SameDiff sd = reference(c, 21);
        float[] z = batch(c, 22);
        INDArray zArr = Nd4j.create(z, new long[] {c.batch().rows(), N}, 'c');
        Map<String, INDArray> expected = SameDiffQuiet.call(() -> sd.calculateGradients(Map.of(DeepKoopmanGraph.Z, zArr),
                parameters(sd).keySet()));
        Map<String, INDArray> actual = fused(c, sd, new Adam(1e-3)).gradients(z);
        for (String name : expected.keySet()) {
            double err = relativeError(actual.get(name), expected.get(name).reshape(actual.get(name).shape()));
            assertTrue(err < 1e-5, "∂/∂" + name + " relative error " + err + " with " + Kernels.THREADS + " thread(s)");
        }
    }

    @Test
    void parametersAfterHundredStepsEqualSameDiffFitForAdamAndAdaGrad() {
        for (IUpdater updater : new IUpdater[] {new Adam(1e-3), new AdaGrad(1e-2)}) {
            Case c = smallCase(Activation.ELU, false, true);
            SameDiff sd = reference(c, 11);
            DeepKoopmanStep step = fused(c, sd, updater.clone());
            Map<String, INDArray> start = parameters(sd);
            sd.setTrainingConfig(TrainingConfig.builder().updater(updater.clone())
                    .dataSetFeatureMapping(DeepKoopmanGraph.Z).markLabelsUnused().build());
            for (int i = 0; i < 100; i++) {
                float[] z = batch(c, 100 + i);
                MultiDataSet data = new MultiDataSet(new INDArray[] {Nd4j.create(z, new long[] {c.batch().rows(), N}, 'c')}, new INDArray[0]);
                SameDiffQuiet.call(() -> sd.fit(data));
                step.step(z);
            }
            Map<String, INDArray> expected = parameters(sd);
            Map<String, INDArray> actual = step.parameters();
            for (String name : expected.keySet()) {
                INDArray moved = expected.get(name).sub(start.get(name));
                assertTrue(moved.norm2Number().doubleValue() > 0, name + " did not move");
                double err = actual.get(name).sub(expected.get(name)).norm2Number().doubleValue()
                        / expected.get(name).norm2Number().doubleValue();
                assertTrue(err < 1e-5, updater.getClass().getSimpleName() + ": " + name + " relative error " + err);
            }
        }
    }

    @Test
    void continuingInANewStepIsBitIdenticalToStepsUninterrupted() {
        Case c = smallCase(Activation.TANH, false, true);
        SameDiff sd = reference(c, 13);
        DeepKoopmanStep uninterrupted = fused(c, sd, new Adam(1e-2));
        DeepKoopmanStep first = fused(c, sd, new Adam(1e-2));
        DeepKoopmanStep second = new DeepKoopmanStep(c.dict(), c.weights(), c.batch(), new Adam(1e-2), 1);
        for (int i = 0; i < 10; i++) {
            float[] z = batch(c, 200 + i);
            uninterrupted.step(z);
            (i < 5 ? first : second).step(z);
            if (i == 4) {
                second.continueFrom(first);
            }
        }
        Map<String, INDArray> expected = uninterrupted.parameters();
        Map<String, INDArray> actual = second.parameters();
        for (String name : expected.keySet()) {
            assertEquals(expected.get(name), actual.get(name), name);
        }
    }

    @Test
    void restoringASavedStateInANewStepIsBitIdenticalToStepsUninterrupted() {
        DeepDictionary.Options dict = new DeepDictionary.Options(N, 2, 16, 8, Activation.ELU, false, 0.2);
        Case c = new Case(dict, new DeepKoopmanGraph.LossWeights(1e-6, 0, 0, 0, 0), new DeepKoopmanGraph.Batch(32, 1));
        SameDiff sd = reference(c, 5);
        DeepKoopmanStep uninterrupted = fused(c, sd, new Adam(1e-2));
        DeepKoopmanStep first = fused(c, sd, new Adam(1e-2));
        DeepKoopmanStep second = new DeepKoopmanStep(c.dict(), c.weights(), c.batch(), new Adam(1e-2), 99);
        for (int i = 0; i < 10; i++) {
            float[] z = batch(c, 300 + i);
            DeepKoopmanStep s = i < 5 ? first : second;
            uninterrupted.reseedDropout(i);
            s.reseedDropout(i);
            uninterrupted.step(z);
            s.step(z);
            if (i == 4) {
                DeepKoopmanStep.State saved = first.state();
                second.restore(new DeepKoopmanStep.State(saved.parameters().clone(), saved.updater().clone(), saved.iteration()));
            }
        }
        assertEquals(10, second.iteration());
        assertArrayEquals(uninterrupted.state().parameters(), second.state().parameters());
        assertArrayEquals(uninterrupted.state().updater(), second.state().updater());
    }

    @Test
    void aBatchWithANaNLeavesParametersMomentsAndCountAsTheyWere() {
        Case c = smallCase(Activation.ELU, false, true);
        DeepKoopmanStep step = fused(c, reference(c, 6), new Adam(1e-2));
        step.step(batch(c, 1));
        DeepKoopmanStep.State before = step.state();
        float[] z = batch(c, 2);
        z[7] = Float.NaN;
        assertTrue(Double.isNaN(step.step(z)));
        DeepKoopmanStep.State after = step.state();
        assertArrayEquals(before.parameters(), after.parameters());
        assertArrayEquals(before.updater(), after.updater());
        assertEquals(before.iteration(), after.iteration());
        assertTrue(Double.isFinite(step.step(batch(c, 3))), "a good batch after it steps on");
    }

    @Test
    void restoreRefusesAStateOfAnotherModel() {
        Case c = smallCase(Activation.ELU, false, false);
        DeepKoopmanStep step = new DeepKoopmanStep(c.dict(), c.weights(), c.batch(), new Adam(1e-3), 1);
        DeepKoopmanStep.State s = step.state();
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> step.restore(new DeepKoopmanStep.State(new float[3], s.updater(), 0)));
        assertEquals("checkpoint holds 3 parameters and " + s.updater().length + " optimiser values; this model has "
                + s.parameters().length + " and " + s.updater().length, e.getMessage());
    }

    @Test
    void dropoutZeroesAndRescalesHiddenUnitsAndStillDescends() {
        DeepDictionary.Options dict = new DeepDictionary.Options(N, 2, 16, 8, Activation.ELU, false, 0.25);
        Case c = new Case(dict, new DeepKoopmanGraph.LossWeights(1e-6, 0, 0, 0, 0), new DeepKoopmanGraph.Batch(64, 1));
        SameDiff sd = reference(c, 3);
        DeepKoopmanStep step = fused(c, sd, new Adam(1e-2));
        float[] z = batch(c, 4);
        double first = step.step(z);
        double last = first;
        for (int i = 0; i < 200; i++) {
            last = step.step(z);
        }
        assertTrue(last < 0.5 * first, "loss " + first + " → " + last);
    }

    @Test
    void rejectsParametersOfAnotherShapeAndBatchesOfAnotherSize() {
        Case c = smallCase(Activation.ELU, false, false);
        DeepKoopmanStep step = new DeepKoopmanStep(c.dict(), c.weights(), c.batch(), new Adam(1e-3), 1);
        Map<String, INDArray> p = step.parameters();
        p.put("dict/w0", Nd4j.zeros(DataType.FLOAT, N + 1, 13));
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> step.setParameters(p));
        assertEquals("parameter 'dict/w0' has 52 values, this model needs 39", e.getMessage());
        p.remove("dict/w0");
        e = assertThrows(InvalidDataException.class, () -> step.setParameters(p));
        assertEquals("parameters lack 'dict/w0'", e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> step.step(new float[5]));
        assertEquals("batch has 5 values, expected 74 × 3", bad.getMessage());
        DeepKoopmanGraph.Batch huge = new DeepKoopmanGraph.Batch(100_000_000, 1);
        e = assertThrows(InvalidDataException.class, () -> new DeepKoopmanStep(c.dict(), c.weights(), huge, new Adam(1e-3), 1));
        assertEquals("training.batchSize: a batch of 200000000 samples is too large for one step", e.getMessage());
    }
}
