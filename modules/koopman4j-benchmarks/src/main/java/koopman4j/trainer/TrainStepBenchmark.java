package koopman4j.trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import koopman4j.benchmarks.BenchResult;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.Activation;
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
import org.nd4j.linalg.learning.config.Adam;

/**
 * {@code bench train-step}: milliseconds per Deep DMD training step (eq. 8, one-step loss,
 * λ₁ = 1e-6, Adam 1e-3, float32) on random pairs, the same problem as the PyTorch peer
 * {@code benchmarks/peers/torch_train_step.py}, so the two can be put side by side. Engines:
 * {@code fused} (what training uses on CPU), {@code samediff} (the graph through {@code SameDiff.fit}),
 * and {@code gemm}: the step's matrix products alone through {@code Nd4j.gemm}, the floor our BLAS allows.
 */
public final class TrainStepBenchmark {

    /** How a step is run. */
    public enum Engine {
        FUSED, SAMEDIFF, GEMM;

        public static Engine parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidDataException("unknown engine '" + name + "'; expected fused, samediff or gemm", e);
            }
        }
    }

    private TrainStepBenchmark() {
    }

    public static List<BenchResult> run(Engine engine, int[] batches, int[] widths, int[] depths, int dictionary, int n,
                                        int warmup, int steps) {
        List<BenchResult> results = new ArrayList<>();
        for (int depth : depths) {
            for (int width : widths) {
                for (int batch : batches) {
                    DeepDictionary.Options dict = new DeepDictionary.Options(n, depth, width, dictionary, Activation.ELU, false, 0);
                    Map<String, Object> params = new LinkedHashMap<>();
                    params.put("engine", engine.name().toLowerCase(Locale.ROOT));
                    params.put("batch", batch);
                    params.put("width", width);
                    params.put("depth", depth);
                    params.put("dict", dictionary);
                    params.put("n", n);
                    params.put("threads", DeepKoopmanStep.threads());
                    Runnable step = step(engine, dict, batch);
                    // warm up for `warmup` steps and at least 3 s: until C2 has compiled the fused step's vector
                    // loops they run as allocating Java code (seen in JFR for the first ~2 s), and GC follows
                    long warmEnd = System.nanoTime() + 3_000_000_000L;
                    for (int i = 0; i < warmup || System.nanoTime() < warmEnd; i++) {
                        step.run();
                    }
                    results.add(BenchResult.measure("train-step", params, 0, steps, step));
                }
            }
        }
        return results;
    }

    private static Runnable step(Engine engine, DeepDictionary.Options dict, int batch) {
        DeepKoopmanGraph.LossWeights weights = new DeepKoopmanGraph.LossWeights(1e-6, 0, 0, 0, 0);
        DeepKoopmanGraph.Batch shape = new DeepKoopmanGraph.Batch(batch, 1);
        Nd4j.getRandom().setSeed(0);
        // one window of one step per pair: rows 0…B−1 are x, rows B…2B−1 are x₊
        INDArray pairs = Nd4j.rand(DataType.FLOAT, 2L * batch, dict.inputs());
        SameDiff sd = DeepKoopmanGraph.training(dict, weights, shape, DataType.FLOAT);
        return switch (engine) {
            case FUSED -> {
                DeepKoopmanStep step = new DeepKoopmanStep(dict, weights, shape, new Adam(1e-3), 0);
                step.setParameters(DeepKoopmanTrainer.parametersOf(sd));
                float[] z = pairs.data().asFloat();
                yield () -> step.step(z);
            }
            case SAMEDIFF -> {
                sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
                        .dataSetFeatureMapping(DeepKoopmanGraph.Z).markLabelsUnused().build());
                MultiDataSet data = new MultiDataSet(new INDArray[] {pairs}, new INDArray[0]);
                SameDiffQuiet.call(() -> sd.fit(data));
                // One fit call per step: fitting chunks of steps through an iterator (one training session
                // per chunk) measured 3-6x slower per step in M2.1, so the trainer does not do that.
                yield () -> sd.fit(data);
            }
            case GEMM -> gemmsOf(dict, 2 * batch, batch);
        };
    }

    /**
     * The matrix products of one fused step with the one-step loss, through Nd4j.gemm on preallocated
     * arrays: per layer (in → out) the forward product over all rows, ∂W and (but for the first layer)
     * the input gradient; for K the prediction, its gradient with respect to ψ and ∂K.
     */
    private static Runnable gemmsOf(DeepDictionary.Options dict, int rows, int pairs) {
        List<Runnable> products = new ArrayList<>();
        int in = dict.inputs();
        for (int i = 0; i <= dict.depth(); i++) {
            int out = i < dict.depth() ? dict.width() : dict.outputs();
            INDArray h = Nd4j.rand(DataType.FLOAT, rows, in);
            INDArray w = Nd4j.rand(DataType.FLOAT, in, out);
            INDArray y = Nd4j.rand(DataType.FLOAT, rows, out);
            INDArray dw = Nd4j.create(DataType.FLOAT, in, out);
            INDArray dh = Nd4j.create(DataType.FLOAT, rows, in);
            products.add(() -> Nd4j.gemm(h, w, y, false, false, 1.0, 0.0));
            products.add(() -> Nd4j.gemm(h, y, dw, true, false, 1.0, 0.0));
            if (i > 0) {
                products.add(() -> Nd4j.gemm(y, w, dh, false, true, 1.0, 0.0));
            }
            in = out;
        }
        int m = dict.liftedDimension();
        INDArray psi = Nd4j.rand(DataType.FLOAT, pairs, m);
        INDArray k = Nd4j.rand(DataType.FLOAT, m, m);
        INDArray r = Nd4j.create(DataType.FLOAT, pairs, m);
        INDArray dk = Nd4j.create(DataType.FLOAT, m, m);
        products.add(() -> Nd4j.gemm(psi, k, r, false, true, 1.0, 0.0));
        products.add(() -> Nd4j.gemm(r, k, psi, false, false, 1.0, 0.0));
        products.add(() -> Nd4j.gemm(r, psi, dk, true, false, 1.0, 0.0));
        return () -> products.forEach(Runnable::run);
    }
}
