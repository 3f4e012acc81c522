package koopman4j.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.linalg.Precision;
import koopman4j.layers.Activation;
import koopman4j.layers.SameDiffQuiet;
import koopman4j.layers.integrators.Integrator;
import koopman4j.layers.integrators.Rollout;
import koopman4j.layers.integrators.TimeGrid;
import koopman4j.layers.spnode.Autoencoder;
import koopman4j.layers.spnode.BilinearNet;
import koopman4j.layers.spnode.HurwitzLinear;
import koopman4j.layers.spnode.LipschitzMlp;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.trainer.fused.SpNodeStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused float64 SP-NODE step ({@link SpNodeStep}) against its definition, the SameDiff training graph of
 * {@link SpNodeTrainer}: loss and every parameter's gradient to 1e-10 relative, for ETD1 and IMEX, Lipschitz
 * (normalisation active or not, activated or affine last layer), bilinear and absent g, with and without the
 * autoencoder, uniform, log-spaced and stiff grids (the graph's dense expmv path); and 100 Adam steps of the
 * trainer with each engine ending at the same parameters.
 */
class SpNodeStepTest {

    private record Case(String name, StructurePreservingNode.Options options, double[] times) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static StructurePreservingNode.Options options(int m, int n, double mu, BilinearNet.Options bilinear, LipschitzMlp.Options lipschitz,
                                                           Autoencoder.Options ae, Integrator integrator) {
        return new StructurePreservingNode.Options(m, new HurwitzLinear.Options(n, mu), bilinear, lipschitz, ae, integrator);
    }

    static List<Case> cases() {
        double[] uniform = {0, 0.4, 0.8, 1.2, 1.6, 2.0};
        double[] logSpaced = {0, 1e-3, 4e-3, 2e-2, 0.1, 0.7, 3.0};
        double[] stiff = {0, 1e-4, 1e-2, 1, 1e2, 1e4, 1e6};
        return List.of(
                new Case("etd1 lipschitz tanh n=2", options(2, 2, 0, null,
                        new LipschitzMlp.Options(2, 2, 16, 2.0, Activation.TANH, true), null, Integrator.ETD1), uniform),
                new Case("etd1 lipschitz elu activated output, mu>0", options(3, 3, 0.3, null,
                        new LipschitzMlp.Options(3, 3, 12, 0.5, Activation.ELU, false), null, Integrator.ETD1), logSpaced),
                new Case("etd1 autoencoder tanh + lipschitz relu", options(5, 3, -0.2, null,
                        new LipschitzMlp.Options(3, 2, 10, 1.5, Activation.RELU, true),
                        new Autoencoder.Options(5, 3, List.of(8, 6), Activation.TANH), Integrator.ETD1), logSpaced),
                new Case("etd1 stiff grid, autoencoder elu, lipschitz tanh", options(3, 2, 0, null,
                        new LipschitzMlp.Options(2, 2, 8, 1.0, Activation.TANH, true),
                        new Autoencoder.Options(3, 2, List.of(6), Activation.ELU), Integrator.ETD1), stiff),
                new Case("etd1 bilinear rank 2 with bias", options(3, 3, 0, new BilinearNet.Options(3, 2, true), null, null,
                        Integrator.ETD1), uniform),
                new Case("imex lipschitz tanh", options(2, 2, 0, null,
                        new LipschitzMlp.Options(2, 2, 16, 2.0, Activation.TANH, true), null, Integrator.IMEX), uniform),
                new Case("imex bilinear, autoencoder relu", options(4, 2, -0.5, new BilinearNet.Options(2, 1, false), null,
                        new Autoencoder.Options(4, 2, List.of(7), Activation.RELU), Integrator.IMEX), logSpaced),
                new Case("etd1 linear only n=1", options(1, 1, -0.3, null, null, null, Integrator.ETD1), logSpaced),
                new Case("imex linear only n=3", options(3, 3, 0.1, null, null, null, Integrator.IMEX), uniform));
    }

    /** Parameters declared with a seed and perturbed, so no weight sits at a special value; each case its own draw. */
    private static SpNodeTrainer.Parameters parameters(StructurePreservingNode.Options options, long seed) {
        Map<String, INDArray> values = StructurePreservingNode.values(StructurePreservingNode.declare(SameDiff.create(), options, DataType.DOUBLE, seed));
        Random rng = new Random(seed);
        for (INDArray v : values.values()) {
            for (long i = 0; i < v.length(); i++) {
                v.putScalar(i, v.getDouble(i) + 0.05 * rng.nextGaussian());
            }
        }
        return new SpNodeTrainer.Parameters(values);
    }

    private static INDArray states(int rows, int m, long seed) {
        Random rng = new Random(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, rows, m);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < m; j++) {
                x.putScalar(r, j, 0.8 * rng.nextGaussian());
            }
        }
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lossAndGradientsEqualTheSameDiffGraphs(Case c) {
        int batch = 9;
        TimeGrid grid = TimeGrid.of("test", c.times());
        SpNodeTrainer.Parameters params = parameters(c.options(), c.name().hashCode());
        INDArray x = states((grid.steps() + 1) * batch, c.options().inputs(), 7);

        SpNodeStep step = new SpNodeStep(c.options(), grid, batch, params.values(), params.gradients());
        step.input().assign(x);
        double loss = step.lossAndGradient();

        double[][] a = params.linearOperator(c.options().linear());
        SpNodeTrainer.Graph graph = SpNodeTrainer.graph(c.options(), grid, batch,
                Rollout.plans(c.options().integrator(), a, grid, Precision.DOUBLE, batch));
        StructurePreservingNode.assign(graph.parts(), params.values(), "test");
        double reference = graph.sd().output(Map.of(SpNodeTrainer.X, x), SpNodeTrainer.LOSS).get(SpNodeTrainer.LOSS).getDouble(0);
        Map<String, INDArray> grads = SameDiffQuiet.call(() -> graph.sd().calculateGradients(Map.of(SpNodeTrainer.X, x),
                params.values().keySet()));

        assertTrue(loss > 0 && Double.isFinite(loss), "loss " + loss);
        assertEquals(reference, loss, 1e-10 * Math.abs(reference), "loss");
        for (Map.Entry<String, INDArray> e : params.gradients().entrySet()) {
            INDArray expected = grads.get(e.getKey());
            INDArray actual = e.getValue();
            double scale = expected == null ? 0 : expected.norm2Number().doubleValue();
            double error = expected == null ? actual.norm2Number().doubleValue()
                    : actual.sub(expected.reshape(actual.shape())).norm2Number().doubleValue();
            assertTrue(scale > 0 || expected == null, e.getKey() + ": the reference gradient is 0, the case tests nothing");
            assertTrue(error <= 1e-10 * scale, e.getKey() + ": ‖fused − samediff‖ = " + error + ", ‖samediff‖ = " + scale);
        }
    }

    @Test
    void aRepeatedStepGivesTheSameLossAndGradientBitForBit() {
        Case c = cases().get(2);
        TimeGrid grid = TimeGrid.of("test", c.times());
        SpNodeTrainer.Parameters params = parameters(c.options(), 3);
        SpNodeStep step = new SpNodeStep(c.options(), grid, 5, params.values(), params.gradients());
        step.input().assign(states((grid.steps() + 1) * 5, c.options().inputs(), 1));
        double first = step.lossAndGradient();
        INDArray gradient = params.gradients().get("autoencoder/enc/w0").dup();
        assertEquals(first, step.lossAndGradient());
        assertEquals(gradient, params.gradients().get("autoencoder/enc/w0"));
    }

    @Test
    void rk4AndCreluAreRefusedWithTheReason() {
        TimeGrid grid = TimeGrid.of("test", 0, 1, 2);
        StructurePreservingNode.Options rk4 = options(2, 2, 0, null, null, null, Integrator.RK4);
        SpNodeTrainer.Parameters p = parameters(rk4, 1);
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> new SpNodeStep(rk4, grid, 4, p.values(), p.gradients()));
        assertEquals("training.engine fused: the rk4 integrator is trained by the SameDiff engine only (use training.engine auto or samediff)",
                e.getMessage());
        assertFalse(SpNodeStep.supports(rk4));
        StructurePreservingNode.Options crelu = options(3, 2, 0, null, null, new Autoencoder.Options(3, 2, List.of(4), Activation.CRELU), Integrator.ETD1);
        assertFalse(SpNodeStep.supports(crelu));
        assertFalse(SpNodeTrainer.fused("auto", crelu));
        assertTrue(SpNodeTrainer.fused("auto", options(2, 2, 0, null, null, null, Integrator.IMEX)));
        assertFalse(SpNodeTrainer.fused("samediff", options(2, 2, 0, null, null, null, Integrator.IMEX)));
    }
}
