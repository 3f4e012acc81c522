package koopman4j.trainer;

import java.util.Map;
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

    /** One optimiser step on batch z (rows in the layout of {@link DeepKoopmanGraph#Z}). */
    void step(float[] z);

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
        public void step(float[] z) {
            step.step(z);
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
            public void step(float[] z) {
                MultiDataSet data = new MultiDataSet(new INDArray[] {features(z)}, new INDArray[0]);
                if (first) {
                    SameDiffQuiet.call(() -> sd.fit(data)); // creating the gradient function prints to stdout
                    first = false;
                } else {
                    sd.fit(data);
                }
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
