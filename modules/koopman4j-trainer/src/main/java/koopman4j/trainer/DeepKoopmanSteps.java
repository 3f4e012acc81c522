package koopman4j.trainer;

import java.util.Map;
import java.util.OptionalDouble;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.DeepDictionary;
import koopman4j.layers.DeepKoopmanGraph;
import koopman4j.layers.SameDiffQuiet;
import koopman4j.trainer.fused.DeepKoopmanStep;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * How the Deep DMD trainer takes optimiser steps on one batch shape: the fused CPU step, or the
 * SameDiff training graph through {@code fit} (any backend; the GPU path, whose data stays on the device).
 */
interface DeepKoopmanSteps {

    /**
     * One optimiser step on batch z (rows in the layout of {@link DeepKoopmanGraph#Z}); returns the loss
     * before the update, NaN when the loss or the gradient is not finite (the fused step then leaves its state
     * as it was), or nothing where the engine does not compute it on the way (SameDiff's {@code fit}: the
     * trainer then checks the loss at evaluations only).
     */
    OptionalDouble step(float[] z);

    /** Restarts the random stream of dropout masks (one seed per step makes a resumed run draw the same masks). */
    void reseed(long seed);

    /**
     * The training state a checkpoint holds. The SameDiff engine gives its parameters and update count
     * but not its optimiser's moments ({@code updater} null): they restart on resume or roll-back.
     */
    DeepKoopmanStep.State state();

    /** Puts back a state from {@link #state} of the same model. */
    void restore(DeepKoopmanStep.State state);

    /** The loss on batch z with the current parameters. */
    double loss(float[] z);

    /** A copy of the parameters by graph name. */
    Map<String, INDArray> parameters();

    /**
     * @param engine   training.engine: fused, samediff, or auto (fused on the CPU backend)
     * @param params   starting parameters, or null for the graph's own initialisation
     * @param previous the last stage's steps whose optimiser state carries over (fused only), or null to start afresh
     */
    static DeepKoopmanSteps create(String engine, DeepDictionary.Options dict, DeepKoopmanGraph.LossWeights weights,
                                   DeepKoopmanGraph.Batch batch, IUpdater updater, Map<String, INDArray> params, long seed,
                                   DeepKoopmanSteps previous) {
        if (previous != null && !(previous instanceof Fused)) {
            throw new IllegalArgumentException("only the fused step carries its optimiser state over");
        }
        if (!fused(engine)) {
            return sameDiff(dict, weights, batch, updater, params);
        }
        DeepKoopmanStep step = new DeepKoopmanStep(dict, weights, batch, updater, seed);
        if (previous != null) {
            step.continueFrom(((Fused) previous).step());
        } else {
            // the inference graph declares θ and K in the training graph's order: the same initial values
            step.setParameters(params != null ? params : DeepKoopmanTrainer.parametersOf(DeepKoopmanGraph.inference(dict, DataType.FLOAT)));
        }
        return new Fused(step);
    }

    /** The fused CPU step. */
    record Fused(DeepKoopmanStep step) implements DeepKoopmanSteps {
        @Override
        public OptionalDouble step(float[] z) {
            return OptionalDouble.of(step.step(z));
        }

        @Override
        public void reseed(long seed) {
            step.reseedDropout(seed);
        }

        @Override
        public DeepKoopmanStep.State state() {
            return step.state();
        }

        @Override
        public void restore(DeepKoopmanStep.State state) {
            step.restore(state);
        }

        @Override
        public double loss(float[] z) {
            return step.loss(z);
        }

        @Override
        public Map<String, INDArray> parameters() {
            return step.parameters();
        }
    }

    /** Whether training.engine picks the fused step on this backend; fused on a GPU backend is refused. */
    static boolean fused(String engine) {
        boolean fused = switch (engine) {
            case "fused" -> true;
            case "samediff" -> false;
            case "auto" -> Nd4j.getEnvironment().isCPU();
            default -> throw new InvalidDataException("training.engine: unknown engine '" + engine + "'");
        };
        if (fused && !Nd4j.getEnvironment().isCPU()) {
            throw new InvalidDataException("training.engine: fused runs on the CPU backend only; use auto or samediff with CUDA");
        }
        return fused;
    }

    private static DeepKoopmanSteps sameDiff(DeepDictionary.Options dict, DeepKoopmanGraph.LossWeights weights,
                                             DeepKoopmanGraph.Batch batch, IUpdater updater, Map<String, INDArray> params) {
        SameDiff sd = DeepKoopmanGraph.training(dict, weights, batch, DataType.FLOAT);
        if (params != null) {
            DeepKoopmanTrainer.setParameters(sd, params);
        }
        sd.setTrainingConfig(TrainingConfig.builder().updater(updater)
                .dataSetFeatureMapping(DeepKoopmanGraph.Z).markLabelsUnused().build());
        return new DeepKoopmanSteps() {
            private boolean first = true;

            @Override
            public OptionalDouble step(float[] z) {
                MultiDataSet data = new MultiDataSet(new INDArray[] {features(z)}, new INDArray[0]);
                if (first) {
                    SameDiffQuiet.call(() -> sd.fit(data)); // creating the gradient function prints to stdout
                    first = false;
                } else {
                    sd.fit(data);
                }
                return OptionalDouble.empty(); // fit records no loss without a listener; another forward pass would cost a step's third
            }

            @Override
            public void reseed(long seed) {
                Nd4j.getRandom().setSeed(seed);
            }

            @Override
            public DeepKoopmanStep.State state() {
                INDArray flat = Nd4j.toFlattened('c', DeepKoopmanTrainer.parametersOf(sd).values());
                return new DeepKoopmanStep.State(flat.castTo(DataType.FLOAT).data().asFloat(), null,
                        sd.getTrainingConfig().getIterationCount());
            }

            @Override
            public void restore(DeepKoopmanStep.State state) {
                Map<String, INDArray> current = DeepKoopmanTrainer.parametersOf(sd);
                long total = current.values().stream().mapToLong(INDArray::length).sum();
                if (state.parameters().length != total) {
                    throw new InvalidDataException("checkpoint holds " + state.parameters().length + " parameters; this model has " + total);
                }
                int offset = 0;
                for (Map.Entry<String, INDArray> e : current.entrySet()) {
                    int length = (int) e.getValue().length();
                    float[] values = java.util.Arrays.copyOfRange(state.parameters(), offset, offset + length);
                    sd.getVariable(e.getKey()).getArr().assign(Nd4j.create(values, e.getValue().shape(), 'c'));
                    offset += length;
                }
                sd.getTrainingConfig().setIterationCount(state.iteration());
            }

            @Override
            public double loss(float[] z) {
                return sd.output(Map.of(DeepKoopmanGraph.Z, features(z)), DeepKoopmanGraph.LOSS).get(DeepKoopmanGraph.LOSS).getDouble(0);
            }

            @Override
            public Map<String, INDArray> parameters() {
                return DeepKoopmanTrainer.parametersOf(sd);
            }

            private INDArray features(float[] z) {
                return Nd4j.create(z, new long[] {batch.rows(), dict.inputs()}, 'c');
            }
        };
    }
}
